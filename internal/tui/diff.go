package tui

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/tool"
)

func diffSummary(d *tool.FileDiff) string {
	add, del := 0, 0
	for _, h := range d.Hunks {
		for _, l := range h.Lines {
			switch {
			case strings.HasPrefix(l, "+"):
				add++
			case strings.HasPrefix(l, "-"):
				del++
			}
		}
	}
	verb := "Updated"
	if d.Created {
		verb = "Created"
	}
	return fmt.Sprintf("%s %s with %s and %s", verb, d.Path, count(add, "addition"), count(del, "removal"))
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// diffLines draws hunks with the line numbers of the new file, added lines
// green and removed lines red. truncate keeps the first collapsedDiff lines.
func diffLines(d *tool.FileDiff, rc *renderCtx, truncate bool) []string {
	st := rc.st
	var out []string
	total := 0
	for hi, h := range d.Hunks {
		if hi > 0 {
			out = append(out, st.dim.Render("    ⋮"))
		}
		oldN, newN := h.OldStart, h.NewStart
		for _, l := range h.Lines {
			total++
			if truncate && len(out) >= collapsedDiff {
				continue
			}
			if l == "" {
				l = " "
			}
			body := strings.ReplaceAll(l[1:], "\t", "    ")
			var s string
			switch l[0] {
			case '+':
				s = st.added.Render(fmt.Sprintf("    %4d + %s", newN, body))
				newN++
			case '-':
				s = st.removed.Render(fmt.Sprintf("    %4d - %s", oldN, body))
				oldN++
			default:
				s = st.dim.Render(fmt.Sprintf("    %4d   ", newN)) + body
				oldN++
				newN++
			}
			out = append(out, ansi.Truncate(s, rc.width, "…"))
		}
	}
	if truncate && total > collapsedDiff {
		shown := min(total, collapsedDiff)
		out = append(out, st.dim.Render(fmt.Sprintf("    … +%d lines (ctrl+o to show all)", total-shown)))
	}
	return out
}

// proposedDiff is the change an Edit, MultiEdit or Write call asks to make,
// computed from its input alone (the UI does not read files): the replaced
// text against its replacement, without line numbers of the file.
func proposedDiff(name string, input json.RawMessage) (*tool.FileDiff, bool) {
	var in struct {
		FilePath  string `json:"file_path"`
		OldString string `json:"old_string"`
		NewString string `json:"new_string"`
		Content   string `json:"content"`
		Edits     []struct {
			OldString string `json:"old_string"`
			NewString string `json:"new_string"`
		} `json:"edits"`
	}
	if json.Unmarshal(input, &in) != nil || in.FilePath == "" {
		return nil, false
	}
	d := &tool.FileDiff{Path: in.FilePath}
	switch name {
	case "Edit":
		d.Hunks = []tool.Hunk{replaceHunk(in.OldString, in.NewString)}
	case "MultiEdit":
		for _, e := range in.Edits {
			d.Hunks = append(d.Hunks, replaceHunk(e.OldString, e.NewString))
		}
	case "Write":
		d.Created = true
		h := tool.Hunk{OldStart: 1, NewStart: 1}
		for _, l := range splitLines(in.Content) {
			h.Lines = append(h.Lines, "+"+l)
		}
		h.NewLines = len(h.Lines)
		d.Hunks = []tool.Hunk{h}
	default:
		return nil, false
	}
	return d, true
}

// replaceHunk is old → new with their common first and last lines shown as
// context.
func replaceHunk(old, new string) tool.Hunk {
	a, b := splitLines(old), splitLines(new)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	h := tool.Hunk{OldStart: 1, NewStart: 1, OldLines: len(a), NewLines: len(b)}
	for _, l := range a[:pre] {
		h.Lines = append(h.Lines, " "+l)
	}
	for _, l := range a[pre : len(a)-suf] {
		h.Lines = append(h.Lines, "-"+l)
	}
	for _, l := range b[pre : len(b)-suf] {
		h.Lines = append(h.Lines, "+"+l)
	}
	for _, l := range a[len(a)-suf:] {
		h.Lines = append(h.Lines, " "+l)
	}
	return h
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
