package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// completion is the menu under the input: commands after "/", files after
// "@".
type completion struct {
	kind        byte // '/' or '@'; 0 closed
	query       string
	items       []compItem
	sel         int
	submitAfter bool // the accepted command takes no argument: send it
}

type compItem struct {
	value, detail string
	noArgs        bool
}

// maxCompletions is how many items the menu shows.
const maxCompletions = 6

func (c *completion) open() bool { return c.kind != 0 && len(c.items) > 0 }

func (c *completion) move(d int) {
	if len(c.items) > 0 {
		c.sel = (c.sel + d + len(c.items)) % len(c.items)
	}
}

// acceptOnEnter: Enter completes a partly typed command (and sends it if
// it takes no argument) and picks a file; a command typed in full is sent.
func (c *completion) acceptOnEnter(value string) bool {
	if c.kind == '/' {
		it := c.items[c.sel]
		c.submitAfter = it.noArgs
		return strings.TrimSpace(value) != it.value
	}
	return true
}

// complete updates the menu from the input. Files are listed by a
// command, since that reads the disk.
func (m *Model) complete() tea.Cmd {
	v := m.input.Value()
	if strings.HasPrefix(v, "/") && !strings.ContainsAny(v, " \n") {
		var items []compItem
		for _, c := range commandTable() {
			if strings.HasPrefix("/"+c.name, v) && !c.hidden {
				items = append(items, compItem{value: "/" + c.name, detail: c.help, noArgs: c.noArgs})
			}
		}
		items = append(items, m.mcpCommandItems(v)...)
		m.comp = completion{kind: '/', query: v, items: items}
		return nil
	}
	word := lastWord(v)
	if strings.HasPrefix(word, "@") {
		q := word[1:]
		if m.comp.kind == '@' && m.comp.query == q {
			return nil
		}
		m.comp = completion{kind: '@', query: q, items: m.comp.items}
		if cmd, ok := m.mcpResourceCmd(q); ok {
			return cmd
		}
		return listFilesCmd(m.info.WorkDir, q)
	}
	m.comp = completion{}
	return nil
}

func lastWord(s string) string {
	i := strings.LastIndexAny(s, " \n\t")
	return s[i+1:]
}

func (m *Model) acceptCompletion() {
	it := m.comp.items[m.comp.sel]
	v := m.input.Value()
	switch m.comp.kind {
	case '/':
		v = it.value
		if !it.noArgs {
			v += " "
		}
	case '@':
		v = v[:len(v)-len(lastWord(v))] + "@" + it.value
		if !strings.HasSuffix(it.value, "/") {
			v += " "
		}
	}
	m.input.SetValue(v)
	m.input.CursorEnd()
	submit := m.comp.submitAfter
	m.comp = completion{submitAfter: submit}
}

// filesMsg answers listFilesCmd.
type filesMsg struct {
	query string
	items []compItem
}

// listFilesCmd lists the entries of the directory part of query whose
// names start with the rest, directories with a trailing slash.
func listFilesCmd(workDir, query string) tea.Cmd {
	return func() tea.Msg {
		dir, prefix := filepath.Split(query)
		entries, err := os.ReadDir(filepath.Join(workDir, dir))
		if err != nil {
			return filesMsg{query: query}
		}
		var items []compItem
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(strings.ToLower(name), strings.ToLower(prefix)) || strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".") {
				continue
			}
			if e.IsDir() {
				name += "/"
			}
			items = append(items, compItem{value: dir + name})
		}
		sort.Slice(items, func(i, j int) bool { return items[i].value < items[j].value })
		return filesMsg{query: query, items: items}
	}
}

func (m *Model) filesListed(msg filesMsg) {
	if m.comp.kind == '@' && m.comp.query == msg.query {
		m.comp.items, m.comp.sel = msg.items, 0
	}
}

func (c *completion) view(st styles, width int) []string {
	if !c.open() {
		return nil
	}
	start := 0
	if c.sel >= maxCompletions {
		start = c.sel - maxCompletions + 1
	}
	var out []string
	for i := start; i < len(c.items) && i < start+maxCompletions; i++ {
		it := c.items[i]
		line := "  " + it.value
		if it.detail != "" {
			line = "  " + padRight(it.value, 14) + " " + st.dim.Render(it.detail)
		}
		if i == c.sel {
			line = st.accent.Render("❯ " + strings.TrimPrefix(ansi.Strip(line), "  "))
		}
		out = append(out, ansi.Truncate(line, width, "…"))
	}
	if n := len(c.items) - maxCompletions; n > 0 {
		out = append(out, st.dim.Render(fmt.Sprintf("  … %d more", n)))
	}
	return out
}

func padRight(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
