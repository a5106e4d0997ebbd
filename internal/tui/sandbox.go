package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
)

// sandboxBackend is what a backend with the OS sandbox offers beyond
// Backend (*harness.Session does).
type sandboxBackend interface {
	Sandbox() harness.SandboxView
	SetSandbox(ctx context.Context, on bool) (harness.SandboxView, error)
}

// cmdSandbox is /sandbox: the sandbox's state and policy; "/sandbox on"
// and "/sandbox off" switch it and save the choice in the project's local
// settings, as Claude Code's /sandbox does.
func (m *Model) cmdSandbox(args string) tea.Cmd {
	sb, ok := m.b.(sandboxBackend)
	if !ok {
		m.notice(noticeWarn, "this session has no sandbox")
		return nil
	}
	switch args {
	case "":
		return func() tea.Msg { return outputMsg{text: sandboxReport(sb.Sandbox()), kind: noticePlain} }
	case "on", "off":
		if m.busyRefusal("sandbox") {
			return nil
		}
		b := m.b
		on := args == "on"
		return func() tea.Msg {
			v, err := sb.SetSandbox(context.Background(), on)
			if err != nil {
				return infoMsg{err: err}
			}
			text := "Sandbox off: Bash commands run under the permission rules alone."
			if v.On {
				text = "Sandbox on: Bash commands run inside it."
				if v.AutoAllow {
					text += " Commands it confines run without asking (deny and ask rules still apply)."
				}
			}
			if v.Saved != "" {
				text += " Saved in " + v.Saved + "."
			}
			return infoMsg{info: b.Info(), notice: text}
		}
	}
	m.notice(noticeWarn, "usage: /sandbox [on|off]")
	return nil
}

// sandboxReport is /sandbox's text.
func sandboxReport(v harness.SandboxView) string {
	var b strings.Builder
	switch {
	case v.On:
		b.WriteString("Sandbox: on")
		if v.AutoAllow {
			b.WriteString(" (auto-allow: commands it confines run without asking; deny and ask rules still apply)")
		}
	case v.Refusal != "":
		b.WriteString("Sandbox: required but unavailable — " + v.Refusal)
	case v.Configured:
		b.WriteString("Sandbox: off (switched off; /sandbox on switches it back)")
	default:
		b.WriteString("Sandbox: off (set sandbox.enabled in your settings, or /sandbox on)")
	}
	if v.Locked {
		b.WriteString("\n  set by the managed policy: it cannot be switched here")
	}
	if v.Probed && !v.Status.Available {
		fmt.Fprintf(&b, "\n  unavailable: %s", v.Status.Reason)
		if v.Status.Hint != "" {
			fmt.Fprintf(&b, " (%s)", v.Status.Hint)
		}
	}
	if v.Description != "" {
		b.WriteString("\n" + strings.TrimRight(v.Description, "\n"))
	}
	b.WriteString("\n/sandbox on, /sandbox off switch it for this session; `basalt doctor` checks it.")
	return b.String()
}
