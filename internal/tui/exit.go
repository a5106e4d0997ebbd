package tui

import (
	"fmt"
	"io"
	"strings"
)

// The session draws on the terminal's alternate screen, which gives the
// conversation the whole window, a fixed input and redraws without
// flicker; but what is drawn there is gone when the program exits. So on
// exit the conversation is written once more, to the normal screen, where
// it stays in the terminal's scrollback as inline rendering would have
// left it, followed by how to resume it.

// writeExit writes the conversation and the resume hint to out, after
// the program has left the alternate screen.
func (m *Model) writeExit(out io.Writer) {
	text := m.scrollback()
	if text != "" {
		fmt.Fprintln(out, text)
		fmt.Fprintln(out)
	}
	if hint := m.resumeHint(); hint != "" {
		fmt.Fprintln(out, hint)
	}
}

// scrollback is the whole conversation as the screen showed it, at the
// window's width, without the welcome.
func (m *Model) scrollback() string {
	rc := &renderCtx{width: max(m.width, 20), st: &m.st, md: &m.md}
	var b strings.Builder
	for _, e := range m.entries {
		if _, ok := e.(*welcomeEntry); ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		var lines []string
		for _, seg := range e.lines(rc) {
			lines = append(lines, seg...)
		}
		b.WriteString(strings.Join(lines, "\n"))
	}
	return b.String()
}

// resumeHint names the session and how to go on with it; "" when nothing
// was said, so there is nothing to resume.
func (m *Model) resumeHint() string {
	if m.info.SessionID == "" || !m.hasPrompt() {
		return ""
	}
	return m.st.dim.Render(fmt.Sprintf("Session %s. Resume it with: basalt -r %s", m.info.SessionID, m.info.SessionID))
}

func (m *Model) hasPrompt() bool {
	for _, e := range m.entries {
		if _, ok := e.(*userEntry); ok {
			return true
		}
	}
	return false
}
