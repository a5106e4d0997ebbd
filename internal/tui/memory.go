package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/memory"
)

// cmdMemory lists the memory files in force and opens the one the user
// picks in their editor; the files a `#` note can go to are offered too,
// so a missing one can be started.
func (m *Model) cmdMemory(string) tea.Cmd {
	var b strings.Builder
	b.WriteString(m.st.bold.Render("Memory files in force") + "\n")
	if len(m.info.Memory) == 0 {
		b.WriteString("  none\n")
	}
	p := &picker{title: "Open a memory file in " + editorName()}
	listed := map[string]bool{}
	for _, f := range m.info.Memory {
		fmt.Fprintf(&b, "  %-7s %s\n", f.Kind, f.Path)
		p.items = append(p.items, pickItem{label: f.Path, detail: string(f.Kind), value: f.Path})
		listed[f.Path] = true
	}
	for _, t := range m.info.MemoryTargets {
		if !listed[t.Path] {
			p.items = append(p.items, pickItem{label: t.Path, detail: t.Label, value: t.Path})
		}
	}
	b.WriteString("Changes apply from the next session (/clear): the memory of this one is part of its cached prompt.")
	m.output("%s", b.String())
	p.choose = func(it pickItem) tea.Cmd { return m.editMemory(it.value) }
	m.picker = p
	return nil
}

// editorName is the editor /memory runs: $VISUAL, then $EDITOR, as other
// terminal programs choose it.
func editorName() string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if e := strings.TrimSpace(os.Getenv(v)); e != "" {
			return e
		}
	}
	return ""
}

// editMemory runs the editor on path, giving it the terminal until it
// exits. The editor value may carry arguments ("code -w").
func (m *Model) editMemory(path string) tea.Cmd {
	editor := editorName()
	if editor == "" {
		m.notice(noticeError, "set $EDITOR (or $VISUAL) to edit memory files; this one is %s", path)
		return nil
	}
	if m.busyRefusal("memory") {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		m.notice(noticeError, "%v", err)
		return nil
	}
	args := strings.Fields(editor)
	c := exec.Command(args[0], append(args[1:], path)...)
	return tea.ExecProcess(c, func(err error) tea.Msg {
		if err != nil {
			return outputMsg{text: fmt.Sprintf("%s %s: %v", editor, path, err), kind: noticeError}
		}
		return outputMsg{text: "Edited " + path + ". It applies from the next session (/clear).", kind: noticeInfo}
	})
}

// memoryNote handles a prompt that starts with #: the rest is a note to
// remember, written to the memory file the user picks. Esc puts the text
// back in the input (a prompt that only looked like a note is not lost).
func (m *Model) memoryNote(text string) tea.Cmd {
	note := strings.TrimSpace(strings.TrimPrefix(text, "#"))
	if note == "" {
		m.notice(noticeWarn, "# needs a note after it: # always run make check")
		return nil
	}
	if len(m.info.MemoryTargets) == 0 {
		m.notice(noticeError, "no memory file to write the note to (no project, no home directory)")
		return nil
	}
	p := &picker{title: "Remember where? " + note, cancel: func() { m.input.SetValue(text) }}
	for _, t := range m.info.MemoryTargets {
		p.items = append(p.items, pickItem{label: t.Label, detail: t.Path, value: t.Path})
	}
	p.choose = func(it pickItem) tea.Cmd {
		return func() tea.Msg {
			if err := memory.AppendNote(it.value, note); err != nil {
				return outputMsg{text: fmt.Sprintf("the note was not saved: %v", err), kind: noticeError}
			}
			return outputMsg{text: "Noted in " + it.value + ". It applies from the next session (/clear).", kind: noticeInfo}
		}
	}
	m.picker = p
	return nil
}
