package cli

import (
	"github.com/basalt-dev/basalt/internal/config"
)

// sandboxView is config show's "sandbox" object: the sandbox settings in
// force (config.SandboxConfig), each with the file or default it comes
// from, so a user can see why Bash is or is not confined before starting
// a session. /sandbox shows the policy they turn into.
type sandboxView struct {
	Enabled                  sourced `json:"enabled"`
	Locked                   bool    `json:"locked_by_managed_policy"`
	FailIfUnavailable        sourced `json:"fail_if_unavailable"`
	AutoAllowBashIfSandboxed sourced `json:"auto_allow_bash_if_sandboxed"`
	AllowUnsandboxedCommands sourced `json:"allow_unsandboxed_commands"`
	AllowAllUnixSockets      sourced `json:"allow_all_unix_sockets"`
	AllowLocalBinding        sourced `json:"allow_local_binding"`
	BasaltHooks              sourced `json:"basalt_hooks"`
	BasaltMCPServers         sourced `json:"basalt_mcp_servers"`

	ExcludedCommands []sourced `json:"excluded_commands"`
	AllowedDomains   []sourced `json:"allowed_domains"`
	AllowUnixSockets []sourced `json:"allow_unix_sockets"`
	AllowWrite       []sourced `json:"allow_write"`
	DenyWrite        []sourced `json:"deny_write"`
	DenyRead         []sourced `json:"deny_read"`
	AllowRead        []sourced `json:"allow_read"`
}

func newSandboxView(sc config.SandboxConfig) sandboxView {
	list := func(vs []config.Value[string]) []sourced {
		out := make([]sourced, 0, len(vs))
		for _, v := range vs {
			out = append(out, show(v))
		}
		return out
	}
	return sandboxView{
		Enabled:                  show(sc.Enabled),
		Locked:                   sc.Locked,
		FailIfUnavailable:        show(sc.FailIfUnavailable),
		AutoAllowBashIfSandboxed: show(sc.AutoAllowBashIfSandboxed),
		AllowUnsandboxedCommands: show(sc.AllowUnsandboxedCommands),
		AllowAllUnixSockets:      show(sc.AllowAllUnixSockets),
		AllowLocalBinding:        show(sc.AllowLocalBinding),
		BasaltHooks:              show(sc.BasaltHooks),
		BasaltMCPServers:         show(sc.BasaltMCPServers),
		ExcludedCommands:         list(sc.ExcludedCommands),
		AllowedDomains:           list(sc.AllowedDomains),
		AllowUnixSockets:         list(sc.AllowUnixSockets),
		AllowWrite:               list(sc.AllowWrite),
		DenyWrite:                list(sc.DenyWrite),
		DenyRead:                 list(sc.DenyRead),
		AllowRead:                list(sc.AllowRead),
	}
}

// writeText prints the sandbox rows of config show; the lists only when
// they have entries, one row per entry with its source.
func (v sandboxView) writeText(row func(string, sourced)) {
	enabled := v.Enabled
	if v.Locked {
		enabled.Source += " (managed policy: /sandbox cannot switch it)"
	}
	row("enabled", enabled)
	row("fail if unavailable", v.FailIfUnavailable)
	row("auto-allow Bash", v.AutoAllowBashIfSandboxed)
	row("allow unsandboxed", v.AllowUnsandboxedCommands)
	row("all unix sockets", v.AllowAllUnixSockets)
	row("local binding", v.AllowLocalBinding)
	row("hooks inside", v.BasaltHooks)
	row("MCP servers inside", v.BasaltMCPServers)
	for _, l := range []struct {
		name string
		vs   []sourced
	}{
		{"excluded command", v.ExcludedCommands}, {"allowed domain", v.AllowedDomains},
		{"unix socket", v.AllowUnixSockets}, {"allow write", v.AllowWrite}, {"deny write", v.DenyWrite},
		{"deny read", v.DenyRead}, {"allow read", v.AllowRead},
	} {
		for _, s := range l.vs {
			row(l.name, s)
		}
	}
}
