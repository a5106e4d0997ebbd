package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
)

// hooksBackend is the part of the backend /hooks reads; the harness
// session has it (a backend without hooks shows none).
type hooksBackend interface {
	HooksView() harness.HooksView
}

// cmdHooks lists the hooks the session runs, grouped by event, with the
// file each comes from; then those that do not run, and a settings
// change waiting to be applied.
func (m *Model) cmdHooks(string) tea.Cmd {
	var v harness.HooksView
	if hb, ok := m.b.(hooksBackend); ok {
		v = hb.HooksView()
	}
	m.output("%s", hooksReport(v, m.st.bold.Render))
	return nil
}

// hooksReport renders v; bold styles the headings.
func hooksReport(v harness.HooksView, bold func(...string) string) string {
	var b strings.Builder
	b.WriteString(bold("Hooks") + " (the snapshot taken when the session started)\n")
	if len(v.Entries) == 0 {
		b.WriteString("  none\n")
	}
	last := ""
	for _, e := range v.Entries {
		if string(e.Event) != last {
			last = string(e.Event)
			head := "  " + last
			if !e.Fired {
				head += " (not fired by basalt)"
			}
			b.WriteString(head + "\n")
		}
		matcher := e.Matcher
		if matcher == "" {
			matcher = "*"
		}
		fmt.Fprintf(&b, "    [%s] %s\n      %s, timeout %s\n", matcher, e.Command, e.Source, e.Timeout)
	}
	if len(v.Skipped) > 0 {
		b.WriteString(bold("Not run") + "\n")
		for _, s := range v.Skipped {
			b.WriteString("  " + s + "\n")
		}
	}
	if p := v.Pending; p != nil {
		b.WriteString(bold("Changed in "+strings.Join(p.Files, ", ")+" since the session started") + " (not applied: restart basalt to apply)\n")
		for _, c := range p.Changes {
			b.WriteString("  " + c.String() + "\n")
		}
		if len(p.Trust) > 0 {
			b.WriteString("  a changed project file needs the folder trusted again: `basalt trust`\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
