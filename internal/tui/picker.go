package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// picker chooses one of a list (/model, /resume). Typing filters it.
type picker struct {
	title  string
	items  []pickItem
	filter string
	sel    int
	choose func(pickItem) tea.Cmd
	// cancel, when set, runs on esc (a # note puts its text back in the
	// input, so cancelling loses nothing).
	cancel func()
}

type pickItem struct {
	label, detail, value string
}

// pickerMsg opens a picker built by a command (its items needed I/O).
type pickerMsg struct {
	p   *picker
	err error
}

func (p *picker) visible() []pickItem {
	if p.filter == "" {
		return p.items
	}
	var out []pickItem
	f := strings.ToLower(p.filter)
	for _, it := range p.items {
		if strings.Contains(strings.ToLower(it.label+" "+it.detail), f) {
			out = append(out, it)
		}
	}
	return out
}

func (m *Model) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.picker
	items := p.visible()
	switch k.String() {
	case "esc":
		m.picker = nil
		if p.cancel != nil {
			p.cancel()
		}
	case "up":
		p.sel = max(p.sel-1, 0)
	case "down":
		p.sel = min(p.sel+1, max(len(items)-1, 0))
	case "enter":
		if len(items) == 0 {
			return nil
		}
		m.picker = nil
		return p.choose(items[p.sel])
	case "backspace":
		if p.filter != "" {
			p.filter = p.filter[:len(p.filter)-1]
			p.sel = 0
		}
	default:
		if k.Text != "" {
			p.filter += k.Text
			p.sel = 0
		}
	}
	return nil
}

func (p *picker) view(st styles, width, height int) []string {
	items := p.visible()
	body := []string{st.bold.Render(p.title) + st.dim.Render("  ↑↓ choose · enter select · esc cancel · type to filter")}
	if p.filter != "" {
		body = append(body, st.dim.Render("filter: ")+p.filter)
	}
	rows := max(height-len(body)-2, 3)
	start := 0
	if p.sel >= rows {
		start = p.sel - rows + 1
	}
	for i := start; i < len(items) && i < start+rows; i++ {
		it := items[i]
		// Two spaces at least: a long label (a session's first
		// prompt) must not run into its detail.
		line := "  " + padRight(it.label, 28) + "  " + st.dim.Render(it.detail)
		if i == p.sel {
			line = st.accent.Render("❯ " + padRight(it.label, 28) + "  " + it.detail)
		}
		body = append(body, ansi.Truncate(line, width-2, "…"))
	}
	if len(items) == 0 {
		body = append(body, st.dim.Render("  nothing matches"))
	}
	return box(st, body, width)
}
