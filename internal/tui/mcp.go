package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/mcp"
)

// mcpBackend is what a backend with MCP servers offers beyond Backend:
// the servers' manager (prompts, resources, tool hints) and the login.
type mcpBackend interface {
	MCP() *mcp.Manager
	MCPLogin(ctx context.Context, name string, open func(url string) error) error
}

func (m *Model) mcpManager() *mcp.Manager {
	if b, ok := m.b.(mcpBackend); ok {
		return b.MCP()
	}
	return nil
}

// cmdMCP is /mcp: every server and where it stands (a server that wants
// a login says how), and the servers' prompts; "/mcp login NAME" runs
// the browser flow.
func (m *Model) cmdMCP(args string) tea.Cmd {
	if name, ok := strings.CutPrefix(args, "login "); ok {
		return m.mcpLogin(strings.TrimSpace(name))
	}
	b := m.b
	mgr := m.mcpManager()
	return func() tea.Msg {
		info := b.Info()
		if len(info.MCPServers) == 0 {
			return outputMsg{text: "No MCP servers. Add one with `basalt mcp add` (or a project's .mcp.json).", kind: noticePlain}
		}
		var sb strings.Builder
		sb.WriteString("MCP servers\n")
		for _, s := range info.MCPServers {
			fmt.Fprintf(&sb, "  %-16s %s\n", s.Name, mcpStatusLine(s))
		}
		if mgr != nil {
			if ps := mgr.Prompts(); len(ps) > 0 {
				sb.WriteString("Prompts\n")
				for _, p := range ps {
					fmt.Fprintf(&sb, "  %s  %s\n", p.Usage(), p.Description)
				}
			}
		}
		return outputMsg{text: strings.TrimRight(sb.String(), "\n"), kind: noticePlain}
	}
}

// mcpStatusLine is one server's state in words.
func mcpStatusLine(s harness.MCPServer) string {
	where := ""
	if s.Scope != "" {
		where = " (" + s.Scope
		if s.Target != "" {
			where += ": " + s.Target
		}
		where += ")"
	}
	switch mcp.State(s.Status) {
	case mcp.StateConnected:
		return fmt.Sprintf("connected, %d tools%s", s.Tools, where)
	case mcp.StatePending:
		return "connecting…" + where
	case mcp.StateNeedsLogin:
		return fmt.Sprintf("needs login: /mcp login %s%s", s.Name, where)
	case mcp.StateDisabled:
		return "disabled: " + s.Error + where
	}
	return "failed: " + s.Error + where
}

func (m *Model) mcpLogin(name string) tea.Cmd {
	b, ok := m.b.(mcpBackend)
	if !ok || name == "" {
		m.notice(noticeError, "/mcp login NAME: name an HTTP MCP server (/mcp lists them)")
		return nil
	}
	send := m.send
	ctx, cancel := m.commandContext(5 * time.Minute)
	return func() tea.Msg {
		defer cancel()
		err := b.MCPLogin(ctx, name, func(url string) error {
			send(outputMsg{text: "Open this address in your browser to log in to " + name + ":\n  " + url, kind: noticePlain})
			return nil
		})
		if err != nil {
			return outputMsg{text: fmt.Sprintf("/mcp login %s: %v", name, err), kind: noticeError}
		}
		return outputMsg{text: "Logged in to " + name + "; its tools join on the next prompt.", kind: noticePlain}
	}
}

// mcpPromptCommand runs /mcp__SERVER__PROMPT ARGS: the backend expands it
// into the server's prompt, and the conversation shows what was typed.
func (m *Model) mcpPromptCommand(line string) (tea.Cmd, bool) {
	if !strings.HasPrefix(line, "/mcp__") {
		return nil, false
	}
	return m.startTurn(line, line), true
}

// mcpCommandItems are the servers' prompts for the "/" completion.
func (m *Model) mcpCommandItems(prefix string) []compItem {
	mgr := m.mcpManager()
	if mgr == nil {
		return nil
	}
	var items []compItem
	for _, p := range mgr.Prompts() {
		if strings.HasPrefix("/"+p.Command, prefix) {
			items = append(items, compItem{value: "/" + p.Command, detail: strings.TrimSpace(p.Usage() + "  " + p.Description), noArgs: len(p.Args) == 0})
		}
	}
	return items
}

// mcpResourceCmd completes "@server:uri…" from the server's resources; ok
// is false when the word is not one.
func (m *Model) mcpResourceCmd(q string) (tea.Cmd, bool) {
	mgr := m.mcpManager()
	server, _, found := strings.Cut(q, ":")
	if mgr == nil || !found {
		return nil, false
	}
	known := false
	for _, s := range mgr.Statuses() {
		known = known || s.Name == server
	}
	if !known {
		return nil, false
	}
	ctx, cancel := m.commandContext(10 * time.Second)
	return func() tea.Msg {
		defer cancel()
		var items []compItem
		for _, c := range mgr.Completions(ctx, q) {
			items = append(items, compItem{value: strings.TrimPrefix(c, "@")})
		}
		return filesMsg{query: q, items: items}
	}, true
}

// mcpAskTitle names the server in a permission question about one of its
// tools, with what the server says the tool does.
func (m *Model) mcpAskTitle(tool string) (title, hint string, ok bool) {
	server, name, isMCP := mcp.SplitToolName(tool)
	if !isMCP {
		return "", "", false
	}
	title = fmt.Sprintf("MCP server %s wants to use its tool %s", server, name)
	if mgr := m.mcpManager(); mgr != nil {
		if a, found := mgr.Annotations(tool); found {
			switch {
			case a.ReadOnly:
				hint = "the server marks it read-only"
			case a.Destructive:
				hint = "the server says it may change or delete things"
			default:
				hint = "the server says it changes things but does not destroy"
			}
			if a.Title != "" {
				hint = a.Title + " — " + hint
			}
		}
	}
	return title, hint, true
}
