package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// renderCtx is what entries need to draw themselves.
type renderCtx struct {
	width    int
	expanded bool // ctrl+o: thinking, tool output and diffs in full
	st       *styles
	md       *markdown
	selected *toolEntry // the tool call chosen with tab, if any
}

// entry is one item of the conversation. lines returns segments of lines
// (already wrapped to the width) so that a long streamed answer is not
// copied on every frame.
type entry interface {
	lines(rc *renderCtx) [][]string
}

type userEntry struct{ text string }

func (e *userEntry) lines(rc *renderCtx) [][]string {
	var out []string
	for i, l := range strings.Split(e.text, "\n") {
		prefix := "  "
		if i == 0 {
			prefix = "> "
		}
		for _, w := range wrap(l, rc.width-2) {
			out = append(out, rc.st.user.Render(prefix)+w)
			prefix = "  "
		}
	}
	return [][]string{out}
}

type assistantEntry struct{ md mdStream }

func (e *assistantEntry) lines(rc *renderCtx) [][]string {
	done, tail := e.md.lines(rc.md, rc.width)
	return [][]string{done, tail}
}

// thinkingEntry is text shown collapsed until ctrl+o: the model's
// thinking, or the summary that replaced the conversation (title).
type thinkingEntry struct {
	text  strings.Builder
	title string // "" : "Thinking"
}

func (e *thinkingEntry) lines(rc *renderCtx) [][]string {
	text := strings.TrimSpace(e.text.String())
	title := e.title
	if title == "" {
		title = "Thinking"
	}
	if !rc.expanded {
		return [][]string{{rc.st.dim.Render(fmt.Sprintf("✻ %s… (%d words, ctrl+o to show)", title, len(strings.Fields(text))))}}
	}
	out := []string{rc.st.dim.Render("✻ " + title)}
	for _, l := range strings.Split(text, "\n") {
		for _, w := range wrap(l, rc.width-2) {
			out = append(out, "  "+rc.st.dim.Italic(true).Render(w))
		}
	}
	return [][]string{out}
}

// noticeKind colours a notice.
type noticeKind int

const (
	noticeInfo noticeKind = iota
	noticeWarn
	noticeError
	noticePlain // command output: no marker, no colour
)

type noticeEntry struct {
	text string
	kind noticeKind
}

func (e *noticeEntry) lines(rc *renderCtx) [][]string {
	var out []string
	style, mark := rc.st.dim, "· "
	switch e.kind {
	case noticeWarn:
		style, mark = rc.st.warn, "! "
	case noticeError:
		style, mark = rc.st.err, "✗ "
	case noticePlain:
		for _, l := range strings.Split(e.text, "\n") {
			out = append(out, wrapANSI(l, rc.width)...)
		}
		return [][]string{out}
	}
	for i, l := range strings.Split(e.text, "\n") {
		p := "  "
		if i == 0 {
			p = mark
		}
		for _, w := range wrap(l, rc.width-2) {
			out = append(out, style.Render(p+w))
			p = "  "
		}
	}
	return [][]string{out}
}

// toolEntry is one tool call: a line naming it, then its result.
type toolEntry struct {
	call     *agent.ToolCall
	result   *tool.Result
	denied   *permission.Decision // set when the call was refused
	running  bool
	answered string // the user's answer to a permission question, if asked
	open     bool   // expanded by itself (tab, then enter), whatever ctrl+o says
	// progress is a running subagent's latest step, steps how many it
	// took (agents.go).
	progress string
	steps    int
}

// collapsedOutput is how many lines of a Bash output show before ctrl+o.
const collapsedOutput = 4

// collapsedDiff is how many diff lines show before ctrl+o.
const collapsedDiff = 16

func (e *toolEntry) lines(rc *renderCtx) [][]string {
	st := rc.st
	selected := rc.selected == e
	if e.open && !rc.expanded {
		full := *rc
		full.expanded = true
		rc = &full
	}
	bullet := st.ok.Render("●")
	switch {
	case selected:
		bullet = st.accent.Render("❯")
	case e.running:
		bullet = st.dim.Render("○")
	case e.denied != nil || e.result != nil && e.result.IsError:
		bullet = st.err.Render("●")
	}
	head := bullet + " " + st.toolName.Render(e.call.Name)
	if arg := oneLine(e.call.Summary()); arg != "" {
		head += st.dim.Render("(") + arg + st.dim.Render(")")
	}
	if selected {
		verb := "expand"
		if rc.expanded {
			verb = "collapse"
		}
		head += st.accent.Render("  ← enter to " + verb)
	}
	out := []string{ansi.Truncate(head, rc.width, "…")}
	add := func(first bool, s string) {
		p := "    "
		if first {
			p = "  ⎿ "
		}
		out = append(out, ansi.Truncate(st.dim.Render(p)+s, rc.width, "…"))
	}
	switch {
	case e.denied != nil:
		add(true, st.err.Render(oneLine(deniedText(e))))
	case e.running && e.progress != "":
		add(true, st.dim.Render(fmt.Sprintf("%s (%d steps)", oneLine(e.progress), e.steps)))
	case e.running:
		add(true, st.dim.Render("running…"))
	case e.result != nil:
		out = append(out, e.resultLines(rc, add)...)
	}
	return [][]string{out}
}

func deniedText(e *toolEntry) string {
	if e.answered != "" {
		return e.answered
	}
	return "denied: " + e.denied.Reason
}

// resultLines renders the result by what it is: a diff, a todo list, a
// command's output, or the first line of anything else.
func (e *toolEntry) resultLines(rc *renderCtx, add func(bool, string)) []string {
	st := rc.st
	r := e.result
	var extra []string
	switch d := r.Display.(type) {
	case *harness.AgentDisplay:
		add(true, st.dim.Render(agentResultLine(d)))
		if !rc.expanded {
			return extra
		}
	case *tool.FileDiff:
		if !r.IsError {
			add(true, diffSummary(d))
			return diffLines(d, rc, !rc.expanded)
		}
	case []tool.Todo:
		first := true
		for _, t := range d {
			mark, style := "☐", st.dim.UnsetForeground()
			switch t.Status {
			case tool.TodoCompleted:
				mark, style = "☒", st.dim.Strikethrough(true)
			case tool.TodoInProgress:
				mark, style = "◐", st.bold
			}
			add(first, style.Render(mark+" "+t.Content))
			first = false
		}
		return nil
	case *tool.PlanDisplay:
		if !r.IsError {
			add(true, st.ok.Render("plan approved"))
			return planLines(d.Plan, rc)
		}
	case *tool.BashDisplay:
		_ = d
	}
	text := strings.TrimRight(r.Content, "\n")
	all := strings.Split(text, "\n")
	style := st.dim.UnsetForeground()
	if r.IsError {
		style = st.err
	}
	if e.call.Name != "Bash" {
		// One line: the first line and how many more there are.
		s := oneLine(all[0])
		if len(all) > 1 {
			s += st.dim.Render(fmt.Sprintf(" (+%d lines)", len(all)-1))
		}
		if !rc.expanded || len(all) == 1 {
			add(true, style.Render(s))
			return nil
		}
	}
	shown := all
	if !rc.expanded && len(all) > collapsedOutput {
		shown = all[:collapsedOutput]
	}
	for i, l := range shown {
		add(i == 0, style.Render(ansi.Strip(l)))
	}
	if len(shown) < len(all) {
		add(false, st.dim.Render(fmt.Sprintf("… +%d lines (ctrl+o to show all)", len(all)-len(shown))))
	}
	return extra
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// wrap wraps plain text to width, keeping at least one (empty) line.
func wrap(s string, width int) []string {
	width = max(width, 10)
	w := ansi.Wrap(strings.ReplaceAll(s, "\t", "    "), width, " ")
	return strings.Split(w, "\n")
}

func wrapANSI(s string, width int) []string { return wrap(s, width) }

func stripANSI(s string) string { return ansi.Strip(s) }
