package tui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/hooks"
)

// hooksBackend is the part of the backend /hooks reads; the harness
// session has it (a backend without hooks shows none).
type hooksBackend interface {
	HooksView() harness.HooksView
	ApplyPendingHooks() ([]hooks.Change, error)
}

// cmdHooks lists the hooks the session runs, grouped by event, with the
// file each comes from; then those that do not run, and a settings
// change waiting to be applied.
func (m *Model) cmdHooks(args string) tea.Cmd {
	hb, ok := m.b.(hooksBackend)
	switch {
	case args == "apply" && ok:
		changes, err := hb.ApplyPendingHooks()
		switch {
		case err != nil:
			m.notice(noticeError, "%v", err)
		case len(changes) == 0:
			m.output("The hooks in the settings files are those the session runs: nothing to apply.")
		default:
			var b strings.Builder
			b.WriteString("Applied: the session runs these hooks from now on\n")
			for _, c := range changes {
				b.WriteString("  " + c.String() + "\n")
			}
			m.output("%s", strings.TrimRight(b.String(), "\n"))
		}
		return nil
	case args != "" && args != "apply":
		m.notice(noticeError, "/hooks takes no argument but apply: /hooks lists, /hooks apply applies a reviewed settings change")
		return nil
	}
	var v harness.HooksView
	if ok {
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
		b.WriteString(bold("Changed in "+strings.Join(p.Files, ", ")+" since the session started") + " (not applied: /hooks apply, or restart basalt)\n")
		for _, c := range p.Changes {
			b.WriteString("  " + c.String() + "\n")
		}
		if len(p.Trust) > 0 {
			b.WriteString("  a changed project file needs the folder trusted again: `basalt trust`, then restart basalt\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// promptBlocked handles a prompt a UserPromptSubmit hook blocked, as
// Claude Code does: the prompt is erased from the conversation and from
// the history (memory and file: it may hold what the hook guards
// against, a secret), and the user reads the hook's reason. It reports
// whether err was such a block.
func (m *Model) promptBlocked(err error) bool {
	var blocked *harness.PromptBlockedError
	if !errors.As(err, &blocked) {
		return false
	}
	for i := len(m.entries) - 1; i >= 0; i-- {
		if u, ok := m.entries[i].(*userEntry); ok {
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			m.history.forget(u.text)
			if m.info.HistoryFile != "" {
				_ = dropHistoryLine(m.info.HistoryFile, u.text)
			}
			break
		}
	}
	m.notice(noticeWarn, "%s", blocked.Message)
	return true
}

// forget removes the newest history item equal to text.
func (h *history) forget(text string) {
	for i := len(h.items) - 1; i >= 0; i-- {
		if strings.TrimSpace(h.items[i]) == text {
			h.items = append(h.items[:i], h.items[i+1:]...)
			h.pos, h.draft = len(h.items), ""
			return
		}
	}
}

// dropHistoryLine removes the last line of the history file that holds
// text.
func dropHistoryLine(path, text string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		var s string
		if json.Unmarshal(bytes.TrimSpace(lines[i]), &s) == nil && strings.TrimSpace(s) == text {
			return os.WriteFile(path, bytes.Join(append(lines[:i], lines[i+1:]...), nil), 0o600)
		}
	}
	return nil
}
