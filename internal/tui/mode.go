package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/permission"
)

// modeMsg reports a permission-mode switch.
type modeMsg struct {
	info Info
	err  error
}

// modeLabel is how the status line shows a permission mode; warn marks
// the one that lets everything through.
func modeLabel(mode string) (label string, warn bool) {
	switch permission.Mode(mode) {
	case permission.ModeAcceptEdits:
		return "⏵⏵ accept edits", false
	case permission.ModePlan:
		return "⏸ plan mode", false
	case permission.ModeBypass:
		return "⚠ bypass permissions", true
	case permission.ModeDontAsk:
		return "dontAsk mode", false
	}
	return "default mode", false
}

// modePart is the status line's mode, in the warning colour for
// bypassPermissions.
func (m *Model) modePart() string {
	label, warn := modeLabel(m.info.PermissionMode)
	switch {
	case warn:
		return m.st.statusWarn.Render(label)
	case permission.Mode(m.info.PermissionMode) == permission.ModePlan:
		return m.st.hunk.Render(label)
	case permission.Mode(m.info.PermissionMode) == permission.ModeAcceptEdits:
		return m.st.accent.Render(label)
	}
	return label
}

// cycleMode is Shift+Tab: the next mode of default → acceptEdits → plan,
// shown at once and switched in the session by a command.
func (m *Model) cycleMode() tea.Cmd {
	next := harness.NextMode(permission.Mode(m.info.PermissionMode))
	return m.setModeCmd(string(next))
}

// setModeCmd switches the session's mode; the status line shows the new
// mode at once, and the session's answer (or its refusal) follows.
func (m *Model) setModeCmd(mode string) tea.Cmd {
	m.info.PermissionMode = mode
	b := m.b
	return func() tea.Msg {
		info, err := b.SetPermissionMode(mode)
		if err != nil {
			info = b.Info()
		}
		return modeMsg{info: info, err: err}
	}
}

func (m *Model) modeSet(msg modeMsg) {
	if msg.err != nil {
		m.notice(noticeError, "%s", errorText(msg.err))
	}
	m.info.PermissionMode = msg.info.PermissionMode
}
