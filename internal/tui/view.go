package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// View draws the frame: the conversation fills what the input, the
// prompt or picker, and the status line leave.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Frame())
	v.AltScreen = true
	v.WindowTitle = "basalt"
	return v
}

// Frame is the frame's text (View without the terminal settings), for
// tests.
func (m *Model) Frame() string {
	if m.quitting {
		return ""
	}
	bottom := m.bottom()
	convH := max(m.height-len(bottom), 1)
	conv := m.conversation(convH)
	if pad := convH - len(conv); pad > 0 {
		// The conversation sits on the input, as in a terminal.
		conv = append(make([]string, pad), conv...)
	}
	return strings.Join(append(conv, bottom...), "\n")
}

// bottom is everything under the conversation.
func (m *Model) bottom() []string {
	var out []string
	if m.busy {
		out = append(out, m.spinnerLine())
	}
	switch {
	case m.ask != nil:
		out = append(out, m.askView()...)
	case m.picker != nil:
		out = append(out, m.picker.view(m.st, m.width, max(m.height/2, 5))...)
	case m.rewind != nil:
		out = append(out, m.rewindView()...)
	default:
		rule := m.st.border.Render(strings.Repeat("─", max(m.width, 1)))
		out = append(out, rule)
		out = append(out, strings.Split(m.input.View(), "\n")...)
		out = append(out, rule)
		out = append(out, m.comp.view(m.st, m.width)...)
	}
	hint := m.hint
	if m.sel != nil {
		hint = selectHint
	}
	if hint != "" {
		out = append(out, m.st.dim.Render(ansi.Truncate("  "+hint, m.width, "…")))
	}
	out = append(out, m.statusLineView()...) // statusline.go: the statusLine command's
	out = append(out, m.statusLine())
	return out
}

func (m *Model) convHeight() int { return max(m.height-len(m.bottom()), 1) }

// conversation returns the last h lines of the conversation, m.scroll
// lines up from the bottom. It walks the entries from the newest and stops
// once it has enough, so a frame costs what is on screen, not the length
// of the conversation. A selected tool call (tab) is kept on screen: the
// walk goes on until it is drawn, and the scroll moves to show it.
func (m *Model) conversation(h int) []string {
	rc := &renderCtx{width: max(m.width, 20), expanded: m.expanded, st: &m.st, md: &m.md, selected: m.sel}
	need := h + m.scroll
	selTop, selBottom := -1, -1 // lines of the selected entry, counted from the bottom
	var rev []string            // lines, newest first
	for i := len(m.entries) - 1; i >= 0 && (len(rev) < need || m.sel != nil && selTop < 0); i-- {
		if len(rev) > 0 {
			rev = append(rev, "")
		}
		e := m.entries[i]
		isSel := m.sel != nil && e == entry(m.sel)
		if isSel {
			selBottom = len(rev)
		}
		segs := e.lines(rc)
		for s := len(segs) - 1; s >= 0 && (len(rev) < need || isSel); s-- {
			for j := len(segs[s]) - 1; j >= 0 && (len(rev) < need || isSel); j-- {
				rev = append(rev, segs[s][j])
			}
		}
		if isSel {
			selTop = len(rev) - 1
		}
	}
	if selTop >= 0 {
		// Show the card whole when it fits, else its head line. When
		// scrolled, the bottom line is the "more lines" marker.
		if selBottom < m.scroll+1 {
			m.scroll = max(selBottom-1, 0)
		}
		if selTop >= m.scroll+h {
			m.scroll = selTop - h + 1
		}
	}
	if m.scroll > 0 && len(rev) < m.scroll+h {
		m.scroll = max(len(rev)-h, 0) // at the top
	}
	start := min(m.scroll, len(rev))
	end := min(start+h, len(rev))
	out := make([]string, 0, h)
	for i := end - 1; i >= start; i-- {
		out = append(out, rev[i])
	}
	if m.scroll > 0 && len(out) > 0 {
		out[len(out)-1] = m.st.dim.Render(fmt.Sprintf("  ↓ %d more lines (pgdown)", m.scroll))
	}
	return out
}

// spinnerLine says the model is working: elapsed time, live output tokens,
// and a retry as it happens.
func (m *Model) spinnerLine() string {
	el := m.now().Sub(m.started).Truncate(time.Second)
	frame := spinnerFrames[m.spin%len(spinnerFrames)]
	tokens := m.turnOut + (m.outChars+3)/4
	s := fmt.Sprintf("%s Working… %s · ↓ %s tokens · esc to interrupt", frame, el, compact(tokens))
	line := m.st.accent.Render(s)
	if m.retry != "" {
		line = m.st.accent.Render(frame+" ") + m.st.warn.Render(m.retry)
	}
	return ansi.Truncate(line, m.width, "…")
}

// compact writes a count as 950, 12.3k or 1.2M.
func compact(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprint(n)
	case n < 1_000_000:
		return fmt.Sprintf("%.1fk", float64(n)/1000)
	}
	return fmt.Sprintf("%.1fM", float64(n)/1e6)
}
