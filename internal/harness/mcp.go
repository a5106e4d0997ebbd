package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/mcp"
	"github.com/basalt-dev/basalt/internal/permission"
)

// MCPServer is one MCP server as the frontends show it; Status is
// Claude Code's spelling (connected, pending, failed, needs-auth,
// disabled).
type MCPServer struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Scope  string `json:"-"`
	Target string `json:"-"`
	Error  string `json:"-"`
	Tools  int    `json:"-"`
}

// startMCP starts the session's MCP servers in the background and
// returns the notices about those that will not start: a run says which
// servers it skipped and why.
func (s *Session) startMCP(ctx context.Context) []string {
	cfg := s.cfg
	var notices []string
	for _, sk := range cfg.MCP.Skipped {
		notices = append(notices, fmt.Sprintf("MCP server %s (%s scope) not started: %s", sk.Name, sk.Scope, sk.Reason))
	}
	for _, p := range cfg.MCP.Pending() {
		notices = append(notices, fmt.Sprintf("MCP server %s (.mcp.json) not started: not approved for this project; approve it in an interactive basalt session, or list it in enabledMcpjsonServers", p.Name))
	}
	if len(cfg.MCP.Servers) == 0 {
		return notices
	}
	o, warns := mcp.OptionsFromConfig(cfg, mcp.Options{Log: s.o.Log, Version: s.o.Version, Env: cfg.CommandEnv(), Wrap: s.sbx.mcpWrap(ctx, cfg.ProjectRoot)})
	notices = append(notices, warns...)
	s.mcp = mcp.Start(ctx, cfg.MCP.Servers, o)
	return notices
}

// attachMCP offers the servers' tools to a new conversation as they
// connect, and lets plan mode run the read-only ones.
func (s *Session) attachMCP(a *agent.Session, checker *permission.Checker) {
	if s.mcp == nil {
		return
	}
	a.SetToolSource(s.mcp)
	checker.SetReadOnlyTool(s.mcp.ReadOnly)
}

// MCP is the session's MCP manager; nil when no server is configured.
func (s *Session) MCP() *mcp.Manager { return s.mcp }

// MCPServers are the configured servers and where each stands.
func (s *Session) MCPServers() []MCPServer {
	var out []MCPServer
	if s.mcp != nil {
		for _, st := range s.mcp.Statuses() {
			out = append(out, MCPServer{Name: st.Name, Status: string(st.State), Scope: st.Scope, Target: st.Target, Error: st.Error, Tools: st.Tools})
		}
	}
	for _, sk := range s.cfg.MCP.Skipped {
		out = append(out, MCPServer{Name: sk.Name, Status: string(mcp.StateDisabled), Scope: sk.Scope, Error: sk.Reason})
	}
	return out
}

// MCPNotices takes what the MCP servers had to say since the last call:
// connected, failed, stopped, changed their tools.
func (s *Session) MCPNotices() []string {
	if s.mcp == nil {
		return nil
	}
	return s.mcp.Events()
}

// prepareMCP expands a prompt for the MCP servers: "/mcp__s__p ARGS"
// becomes the server prompt's text, and each @server:uri attaches that
// resource. Problems are notices; the prompt then goes as written.
func (s *Session) prepareMCP(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(agent.Event)) ([]anthropic.ContentBlockParamUnion, error) {
	for _, n := range s.MCPNotices() {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}
	if s.mcp == nil || len(prompt) == 0 || prompt[0].OfText == nil {
		return prompt, nil
	}
	text := prompt[0].OfText.Text
	if cmd, ok := strings.CutPrefix(strings.TrimSpace(text), "/mcp__"); ok {
		name, args, _ := strings.Cut(cmd, " ")
		expanded, err := s.mcp.RunPrompt(ctx, "mcp__"+name, args)
		if err != nil {
			return nil, &UsageError{Err: err, Hint: "`/mcp` lists the servers' prompts and their arguments"}
		}
		prompt = append([]anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(expanded)}, prompt[1:]...)
		text = expanded
	}
	blocks, notices := s.mcp.Attach(ctx, text)
	for _, n := range notices {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}
	return append(prompt, blocks...), nil
}

// closeMCP ends every server.
func (s *Session) closeMCP() {
	if s.mcp != nil {
		s.mcp.Close()
	}
}

// MCPConfig is the session's MCP configuration.
func (s *Session) MCPConfig() config.MCPConfig { return s.cfg.MCP }

// mcpToolNames are the names of the MCP tools offered now.
func (s *Session) mcpToolNames() []string {
	if s.mcp == nil {
		return nil
	}
	var out []string
	for _, t := range s.mcp.Tools() {
		out = append(out, t.Name())
	}
	return out
}

// MCPLogin runs the OAuth browser flow of the server called name;
// open shows the user the address.
func (s *Session) MCPLogin(ctx context.Context, name string, open func(url string) error) error {
	srv, ok := s.cfg.MCP.Server(name)
	if !ok {
		return fmt.Errorf("no MCP server %s", name)
	}
	return mcp.Login(ctx, srv, s.cfg.StateDir, open)
}

// flushMCPNotices passes on what the servers said during the turn (one
// that stopped, one that wants a login), so that a headless run, which
// has no next turn, still says it.
func (s *Session) flushMCPNotices(on func(agent.Event)) {
	for _, n := range s.MCPNotices() {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}
}
