package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"charm.land/huh/v2"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/trust"
)

// A project's .mcp.json comes with the repository: its servers are
// programs (or endpoints) someone else chose. They start only once the
// user approved them. The answer joins the trust store, keyed by the
// .mcp.json file with the hash of its bytes as fingerprint, listing the
// approved servers as settings "mcpServers.NAME": `basalt trust --list`
// shows it, `basalt trust --revoke` in the folder forgets it, and any
// change to the file asks again.

const mcpSettingPrefix = "mcpServers."

// settleMCP applies the remembered answer about the project's .mcp.json
// and, when it can ask and servers are still waiting, asks. Servers
// neither approved nor asked about stay waiting: the session says it
// skipped them.
func (a *App) settleMCP(ctx context.Context, cfg *config.Config, canAsk bool, run formRunner) error {
	m := &cfg.MCP
	if len(m.Pending()) == 0 {
		return nil
	}
	if e, ok := a.trustStore().Lookup(m.MCPApprovalKey()); ok && e.Fingerprint == m.ProjectHash {
		m.Approve(approvedNames(e), "approved by you", "you did not approve it (`basalt trust --revoke "+filepath.Dir(m.ProjectFile)+"` to be asked again)")
		return nil
	}
	if !canAsk {
		return nil
	}
	pending := m.Pending()
	chosen, err := askMCP(ctx, run, m.ProjectFile, pending)
	if err != nil {
		return err
	}
	st := a.trustStore()
	e := trust.Entry{Fingerprint: m.ProjectHash, TrustedAt: time.Now().UTC()}
	for _, n := range chosen {
		e.Settings = append(e.Settings, mcpSettingPrefix+n)
	}
	st.Trust(m.MCPApprovalKey(), e)
	if err := st.Save(); err != nil {
		return err
	}
	m.Approve(chosen, "approved by you", "you did not approve it")
	return nil
}

func approvedNames(e trust.Entry) []string {
	var out []string
	for _, s := range e.Settings {
		if n, ok := strings.CutPrefix(s, mcpSettingPrefix); ok {
			out = append(out, n)
		}
	}
	return out
}

// errMCPCancelled is Esc or Ctrl+C at the MCP question.
var errMCPCancelled = fmt.Errorf("MCP server question cancelled, session not started: %w", context.Canceled)

// askMCP lists each waiting server with what it runs or reaches, and
// returns the ones the user approves.
func askMCP(ctx context.Context, run formRunner, file string, pending []config.MCPServer) ([]string, error) {
	var opts []huh.Option[string]
	for _, s := range pending {
		opts = append(opts, huh.NewOption(fmt.Sprintf("%s  (%s: %s)", s.Name, s.Type, s.Target()), s.Name))
	}
	var chosen []string
	form := newStyledForm(huh.NewGroup(huh.NewMultiSelect[string]().
		Title(fmt.Sprintf("Start the MCP servers of %s?", file)).
		Description("This project's .mcp.json would start these servers. A stdio server is a program that runs with your permissions; an HTTP server receives what the agent sends it.\nSelect the ones to use (x or space), then enter. Your answer is remembered until the file changes.").
		Options(opts...).
		Height(len(opts) + 8).
		Value(&chosen)))
	err := run(ctx, form)
	switch {
	case err == nil:
		return chosen, nil
	case errors.Is(err, huh.ErrUserAborted), ctx.Err() != nil:
		return nil, errMCPCancelled
	}
	return nil, fmt.Errorf("MCP server question: %w", err)
}
