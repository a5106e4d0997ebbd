package mcp

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Prompt is a server prompt, offered as the slash command
// /mcp__SERVER__PROMPT.
type Prompt struct {
	Server      string
	Name        string
	Command     string // without the slash
	Description string
	Args        []PromptArg
}

// PromptArg is one argument of a prompt.
type PromptArg struct {
	Name        string
	Description string
	Required    bool
}

// Prompts are the prompts of the connected servers.
func (m *Manager) Prompts() []Prompt {
	var out []Prompt
	for _, s := range m.servers {
		s.mu.Lock()
		for _, p := range s.prompts {
			pr := Prompt{Server: s.cfg.Name, Name: p.Name, Command: ToolName(s.cfg.Name, p.Name), Description: p.Description}
			for _, a := range p.Arguments {
				pr.Args = append(pr.Args, PromptArg{Name: a.Name, Description: a.Description, Required: a.Required})
			}
			out = append(out, pr)
		}
		s.mu.Unlock()
	}
	return out
}

// RunPrompt gets the prompt a slash command names (mcp__SERVER__PROMPT)
// with its arguments given in order, space-separated, as Claude Code
// maps them, and returns its messages as the text of the user's prompt.
func (m *Manager) RunPrompt(ctx context.Context, command, args string) (string, error) {
	// A prompt typed before its server is up waits for it, as a tool
	// call does.
	if server, _, ok := SplitToolName(command); ok {
		if s := m.server(server); s != nil {
			select {
			case <-s.ready:
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
	}
	var p *Prompt
	for _, q := range m.Prompts() {
		if q.Command == command {
			p = &q
			break
		}
	}
	if p == nil {
		return "", fmt.Errorf("no MCP prompt /%s", command)
	}
	values := strings.Fields(args)
	in := map[string]string{}
	for i, a := range p.Args {
		switch {
		case i < len(values) && i == len(p.Args)-1:
			in[a.Name] = strings.Join(values[i:], " ") // the last argument takes the rest
		case i < len(values):
			in[a.Name] = values[i]
		case a.Required:
			return "", fmt.Errorf("/%s needs the argument %s (%s)", command, a.Name, usage(*p))
		}
	}
	s := m.server(p.Server)
	sess, err := s.use(ctx)
	if err != nil {
		return "", err
	}
	res, err := sess.GetPrompt(ctx, &sdk.GetPromptParams{Name: p.Name, Arguments: in})
	if err != nil {
		return "", fmt.Errorf("MCP server %s: prompt %s: %w", p.Server, p.Name, err)
	}
	var parts []string
	for _, msg := range res.Messages {
		c := convert([]sdk.Content{msg.Content}, nil, m.o.MaxOutputTokens)
		parts = append(parts, c.text)
	}
	return strings.Join(parts, "\n\n"), nil
}

// usage is "/mcp__s__p ARG1 [ARG2]".
func usage(p Prompt) string {
	var b strings.Builder
	b.WriteString("/" + p.Command)
	for _, a := range p.Args {
		if a.Required {
			fmt.Fprintf(&b, " %s", strings.ToUpper(a.Name))
		} else {
			fmt.Fprintf(&b, " [%s]", strings.ToUpper(a.Name))
		}
	}
	return b.String()
}

// Usage is the prompt's command line with its arguments.
func (p Prompt) Usage() string { return usage(p) }
