package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// exitWindow is how soon a second ctrl+c must follow the first to exit.
const exitWindow = 2 * time.Second

// key handles a key press: the permission prompt and pickers first, then
// the session's keys, then the input editor.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	s := k.String()
	if s == "ctrl+c" {
		return m.ctrlC()
	}
	if s != "ctrl+c" {
		m.lastCtrlC = time.Time{}
		if m.hint == exitHint {
			m.hint = ""
		}
	}
	if m.ask != nil {
		return m.askKey(k)
	}
	if m.picker != nil {
		return m.pickerKey(k)
	}
	if m.rewind != nil {
		return m.rewindKey(k)
	}
	if s != "esc" {
		m.lastEsc = time.Time{}
		if m.hint == rewindHint || m.hint == clearHint {
			m.hint = ""
		}
	}
	if m.sel != nil {
		if handled := m.selectKey(s); handled {
			return nil
		}
	}
	switch s {
	case "shift+tab":
		return m.cycleMode()
	case "ctrl+z":
		// The shell's job control: fg resumes, and Bubble Tea restores
		// and redraws the screen.
		return tea.Suspend
	case "esc":
		if m.comp.open() {
			m.comp = completion{}
			return nil
		}
		if m.busy {
			m.interrupt()
			return nil
		}
		if m.input.Value() == "" {
			return m.escOnEmpty() // rewind.go
		}
		return m.escOnText() // rewind.go
	case "ctrl+o":
		m.expanded = !m.expanded
		return nil
	case "ctrl+v":
		// Terminals paste text themselves (bracketed paste); ctrl+v
		// reaches basalt as a key, so it reads the clipboard for an
		// image, which no terminal pastes.
		return m.pasteClipboard()
	case "pgup":
		m.scroll += max(m.convHeight()-2, 1)
		return nil
	case "pgdown":
		m.scroll = max(m.scroll-max(m.convHeight()-2, 1), 0)
		return nil
	case "ctrl+d":
		if m.input.Value() == "" {
			return m.quit()
		}
	case "shift+enter", "ctrl+j", "alt+enter":
		m.input.InsertRune('\n')
		return nil
	case "tab":
		if m.comp.open() {
			m.acceptCompletion()
			return nil
		}
		if m.input.Value() == "" {
			m.selectTool(m.lastTool())
			return nil
		}
	case "enter":
		if m.comp.open() && m.comp.acceptOnEnter(m.input.Value()) {
			m.acceptCompletion()
			if !m.comp.submitAfter {
				return nil
			}
		}
		return m.submit()
	case "up":
		if m.comp.open() {
			m.comp.move(-1)
			return nil
		}
		if m.input.Line() == 0 {
			if v, ok := m.history.prev(m.input.Value()); ok {
				m.input.SetValue(v)
			}
			return nil
		}
	case "down":
		if m.comp.open() {
			m.comp.move(1)
			return nil
		}
		if m.input.Line() == m.input.LineCount()-1 {
			if v, ok := m.history.next(); ok {
				m.input.SetValue(v)
			}
			return nil
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	return tea.Batch(cmd, m.complete())
}

const exitHint = "press ctrl+c again to exit"

// ctrlC interrupts the turn or clears the input; a second press within
// exitWindow exits.
func (m *Model) ctrlC() tea.Cmd {
	now := m.now()
	if !m.lastCtrlC.IsZero() && now.Sub(m.lastCtrlC) <= exitWindow {
		return m.quit()
	}
	m.lastCtrlC = now
	switch {
	case m.busy:
		m.interrupt()
	case m.input.Value() != "":
		m.input.Reset()
		m.pastes = nil
		m.images = nil
		m.comp = completion{}
	}
	m.picker = nil
	m.hint = exitHint
	return nil
}

func (m *Model) quit() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	if m.ask != nil {
		m.ask = nil
	}
	m.quitting = true
	return tea.Quit
}

// selectHint is shown while a tool call is chosen.
const selectHint = "↑↓ choose a tool call · enter show or hide all of it · esc back to the input"

// selectKey handles a key while a tool call is chosen (after tab). It
// reports whether the key was used; any other key gives the keys back to
// the input (and is handled there), so typing just works.
func (m *Model) selectKey(s string) bool {
	switch s {
	case "up", "shift+tab":
		if t := m.nextTool(-1); t != nil {
			m.selectTool(t)
		}
		return true
	case "down", "tab":
		if t := m.nextTool(1); t != nil {
			m.selectTool(t)
		}
		return true
	case "enter", "space", "right", "left":
		m.sel.open = !m.sel.open
		return true
	case "esc":
		m.selectTool(nil)
		return true
	}
	m.selectTool(nil)
	return false
}

// selectTool chooses t, or gives the keys back to the input (nil), which
// also returns to the bottom of the conversation.
func (m *Model) selectTool(t *toolEntry) {
	if t == nil && m.sel != nil {
		m.scroll = 0
	}
	m.sel = t
}

// lastTool is the newest tool call of the conversation, or nil.
func (m *Model) lastTool() *toolEntry {
	for i := len(m.entries) - 1; i >= 0; i-- {
		if t, ok := m.entries[i].(*toolEntry); ok {
			return t
		}
	}
	return nil
}

// nextTool is the tool call before (dir -1) or after (dir 1) the chosen
// one, or nil at either end.
func (m *Model) nextTool(dir int) *toolEntry {
	at := -1
	for i, e := range m.entries {
		if e == entry(m.sel) {
			at = i
			break
		}
	}
	if at < 0 {
		return nil
	}
	for i := at + dir; i >= 0 && i < len(m.entries); i += dir {
		if t, ok := m.entries[i].(*toolEntry); ok {
			return t
		}
	}
	return nil
}
