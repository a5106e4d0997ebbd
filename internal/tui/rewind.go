package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/checkpoint"
	"github.com/basalt-dev/basalt/internal/harness"
)

// rewindBackend is what /rewind needs of the session; the harness
// implements it.
type rewindBackend interface {
	RewindPoints() ([]harness.RewindPoint, error)
	RewindNotes() []string
	PlanRestore(turn int) ([]checkpoint.FileAction, error)
	RestoreCode(turn int, overwrite bool) (checkpoint.Report, error)
	RewindConversation(turn int) (harness.Rewound, error)
}

var _ rewindBackend = (*harness.Session)(nil)

// escWindow is how soon a second esc on an empty input must follow the
// first to open the rewind menu.
const escWindow = time.Second

const (
	rewindHint = "press esc again to rewind"
	clearHint  = "press esc again to clear the input (up brings it back)"
)

// rewindAction is one choice of the rewind menu, in Claude Code's words.
type rewindAction int

const (
	rewindBoth rewindAction = iota
	rewindConversation
	rewindCode
	rewindNeverMind
)

func (a rewindAction) label() string {
	return [...]string{"Restore code and conversation", "Restore conversation", "Restore code", "Never mind"}[a]
}

func (a rewindAction) code() bool         { return a == rewindBoth || a == rewindCode }
func (a rewindAction) conversation() bool { return a == rewindBoth || a == rewindConversation }

// rewindStage is the screen of the menu the user is on.
type rewindStage int

const (
	stagePrompts rewindStage = iota // choose a prompt
	stageActions                    // choose what to restore
	stageConfirm                    // files changed outside basalt: overwrite them?
	stageWorking                    // restoring
)

// rewindMenu is the /rewind screen: the prompts, most recent first, then
// the actions for the one chosen.
type rewindMenu struct {
	stage   rewindStage
	points  []harness.RewindPoint
	notes   []string
	sel     int
	actions []rewindAction
	act     int
	plan    []checkpoint.FileAction
	planWhy string // why code cannot be restored to the chosen prompt
}

// rewindMsg is every message of the rewind flow.
type rewindMsg interface{ isRewindMsg() }

type rewindOpenedMsg struct {
	points []harness.RewindPoint
	notes  []string
	err    error
}

type rewindPlannedMsg struct {
	turn int
	plan []checkpoint.FileAction
	err  error
}

type rewindDoneMsg struct {
	turn     int
	action   rewindAction
	report   *checkpoint.Report
	rewound  *harness.Rewound
	codeErr  error
	convoErr error
}

func (rewindOpenedMsg) isRewindMsg()  {}
func (rewindPlannedMsg) isRewindMsg() {}
func (rewindDoneMsg) isRewindMsg()    {}

func (m *Model) cmdRewind(string) tea.Cmd {
	if m.busyRefusal("rewind") {
		return nil
	}
	return m.openRewind()
}

// openRewind loads the prompts (I/O, so in a command) and opens the menu.
func (m *Model) openRewind() tea.Cmd {
	rb, ok := m.b.(rewindBackend)
	if !ok {
		m.notice(noticeWarn, "/rewind is not available in this session")
		return nil
	}
	return func() tea.Msg {
		points, err := rb.RewindPoints()
		return rewindOpenedMsg{points: points, notes: rb.RewindNotes(), err: err}
	}
}

// escOnEmpty opens the rewind menu on the second esc in a row on an empty
// input, as Claude Code does.
func (m *Model) escOnEmpty() tea.Cmd {
	now := m.now()
	if !m.lastEsc.IsZero() && now.Sub(m.lastEsc) <= escWindow {
		m.lastEsc = time.Time{}
		m.hint = ""
		return m.openRewind()
	}
	m.lastEsc = now
	m.hint = rewindHint
	return nil
}

// escOnText clears the input on the second esc in a row, keeping the text
// in the prompt history (Up brings it back), as Claude Code does; the
// next esc esc then opens the rewind menu.
func (m *Model) escOnText() tea.Cmd {
	now := m.now()
	if m.lastEsc.IsZero() || now.Sub(m.lastEsc) > escWindow {
		m.lastEsc = now
		m.hint = clearHint
		return nil
	}
	m.lastEsc, m.hint = time.Time{}, ""
	text := m.input.Value()
	m.input.Reset()
	m.pastes = nil
	m.comp = completion{}
	return m.history.add(text, m.info.HistoryFile)
}

func (m *Model) rewindUpdate(msg rewindMsg) tea.Cmd {
	switch msg := msg.(type) {
	case rewindOpenedMsg:
		if msg.err != nil {
			m.notice(noticeError, "%s", errorText(msg.err))
			return nil
		}
		if len(msg.points) == 0 {
			m.notice(noticeInfo, "Nothing to rewind to: no prompt was sent in this conversation yet.")
			return nil
		}
		m.rewind = &rewindMenu{points: msg.points, notes: msg.notes}
	case rewindPlannedMsg:
		r := m.rewind
		if r == nil || r.stage != stagePrompts || r.points[r.sel].Turn != msg.turn {
			return nil
		}
		r.plan, r.planWhy = msg.plan, ""
		switch {
		case msg.err != nil:
			r.planWhy = "Code cannot be restored: " + errorText(msg.err)
		case len(msg.plan) == 0:
			r.planWhy = "No file was changed through basalt since this prompt."
		}
		r.actions = []rewindAction{rewindBoth, rewindConversation, rewindCode, rewindNeverMind}
		if r.planWhy != "" {
			r.actions = []rewindAction{rewindConversation, rewindNeverMind}
		}
		r.stage, r.act = stageActions, 0
	case rewindDoneMsg:
		m.rewind = nil
		m.rewindDone(msg)
	}
	return nil
}

func (m *Model) rewindKey(k tea.KeyPressMsg) tea.Cmd {
	r := m.rewind
	switch r.stage {
	case stagePrompts:
		switch k.String() {
		case "esc":
			m.rewind = nil
		case "up":
			r.sel = max(r.sel-1, 0)
		case "down":
			r.sel = min(r.sel+1, len(r.points)-1)
		case "enter":
			rb := m.b.(rewindBackend)
			turn := r.points[r.sel].Turn
			return func() tea.Msg {
				plan, err := rb.PlanRestore(turn)
				return rewindPlannedMsg{turn: turn, plan: plan, err: err}
			}
		}
	case stageActions:
		switch k.String() {
		case "esc":
			r.stage = stagePrompts
		case "up":
			r.act = max(r.act-1, 0)
		case "down":
			r.act = min(r.act+1, len(r.actions)-1)
		case "1", "2", "3", "4":
			if i := int(k.String()[0] - '1'); i < len(r.actions) {
				r.act = i
				return m.rewindChoose()
			}
		case "enter":
			return m.rewindChoose()
		}
	case stageConfirm:
		switch k.String() {
		case "esc":
			r.stage = stageActions
		case "y":
			return m.rewindRun(true)
		case "n":
			return m.rewindRun(false)
		}
	}
	return nil
}

// rewindChoose acts on the chosen action: asks first when restoring code
// would overwrite files changed outside basalt.
func (m *Model) rewindChoose() tea.Cmd {
	r := m.rewind
	a := r.actions[r.act]
	if a == rewindNeverMind {
		r.stage = stagePrompts
		return nil
	}
	if a.code() && len(modifiedFiles(r.plan)) > 0 {
		r.stage = stageConfirm
		return nil
	}
	return m.rewindRun(false)
}

func modifiedFiles(plan []checkpoint.FileAction) []string {
	var out []string
	for _, a := range plan {
		if a.Modified && a.Unavailable == "" {
			out = append(out, a.Path)
		}
	}
	return out
}

// rewindRun restores what the chosen action names.
func (m *Model) rewindRun(overwrite bool) tea.Cmd {
	r := m.rewind
	a := r.actions[r.act]
	turn := r.points[r.sel].Turn
	r.stage = stageWorking
	rb := m.b.(rewindBackend)
	return func() tea.Msg {
		done := rewindDoneMsg{turn: turn, action: a}
		if a.code() {
			rep, err := rb.RestoreCode(turn, overwrite)
			done.report, done.codeErr = &rep, err
		}
		if a.conversation() {
			rw, err := rb.RewindConversation(turn)
			done.rewound, done.convoErr = &rw, err
		}
		return done
	}
}

// rewindDone shows what a rewind did: the rewound conversation in place
// of the longer one, the prompt back in the input, and what was restored
// and what could not be.
func (m *Model) rewindDone(msg rewindDoneMsg) {
	if msg.action.conversation() && msg.convoErr == nil {
		var keep []entry
		if len(m.entries) > 0 {
			if w, ok := m.entries[0].(*welcomeEntry); ok {
				keep = []entry{w}
			}
		}
		m.entries, m.sel, m.scroll = keep, nil, 0
		m.lastTurn = turnTotals{}
		m.info.ContextUsed = 0 // measured again by the next answer
		m.showHistory(msg.rewound.History, false)
		if n := len(m.entries); n > 0 {
			if _, ok := m.entries[n-1].(*noticeEntry); ok && len(msg.rewound.History) > 0 {
				m.entries = m.entries[:n-1] // showHistory's "resumed here"
			}
		}
		m.input.SetValue(msg.rewound.Prompt)
		m.input.CursorEnd()
		m.notice(noticeInfo, "Rewound the conversation to before prompt #%d; its text is back in the input to edit or send again.", msg.turn)
	}
	if msg.convoErr != nil {
		m.notice(noticeError, "%s", errorText(msg.convoErr))
	}
	if msg.codeErr != nil {
		m.notice(noticeError, "%s", errorText(msg.codeErr))
	}
	if msg.report != nil && msg.codeErr == nil {
		m.notice(noticeInfo, "%s", restoreSummary(msg.turn, *msg.report))
	}
}

// restoreSummary words a restore's report.
func restoreSummary(turn int, r checkpoint.Report) string {
	var b strings.Builder
	switch n := len(r.Restored) + len(r.Deleted); {
	case n == 0 && len(r.Skipped) == 0 && len(r.Unchanged) > 0:
		fmt.Fprintf(&b, "The code already was as before prompt #%d.", turn)
	case n == 0 && len(r.Skipped) == 0:
		fmt.Fprintf(&b, "No file was changed through basalt since before prompt #%d.", turn)
		fmt.Fprintf(&b, "The code already was as before prompt #%d.", turn)
	case n == 0:
		fmt.Fprintf(&b, "Restored no file to before prompt #%d.", turn)
	default:
		fmt.Fprintf(&b, "Restored the code to before prompt #%d:", turn)
	}
	for _, p := range r.Restored {
		b.WriteString("\n  restored " + p)
	}
	for _, p := range r.Deleted {
		b.WriteString("\n  deleted  " + p + " (created after the prompt)")
	}
	if len(r.Skipped) > 0 {
		b.WriteString("\nCould not restore:")
		for _, s := range r.Skipped {
			b.WriteString("\n  " + s.Path + ": " + s.Why)
		}
	}
	return b.String()
}

func (m *Model) rewindView() []string {
	r := m.rewind
	st := m.st
	width := m.width
	var body []string
	switch r.stage {
	case stagePrompts, stageWorking:
		body = append(body, st.bold.Render("Rewind")+st.dim.Render("  ↑↓ choose a prompt · enter select · esc cancel"))
		for _, n := range r.notes {
			for _, l := range strings.Split(ansi.Wordwrap(n, max(width-4, 20), ""), "\n") {
				body = append(body, st.dim.Render(l))
			}
		}
		rows := max(max(m.height/2, 5)-len(body)-2, 3)
		start := 0
		if r.sel >= rows {
			start = r.sel - rows + 1
		}
		for i := start; i < len(r.points) && i < start+rows; i++ {
			p := r.points[i]
			line := fmt.Sprintf("#%d %s  %s", p.Turn, m.promptTime(p.Time), harness.PreviewLine(p.Prompt, 60))
			detail := filesDetail(p)
			if i == r.sel {
				body = append(body, ansi.Truncate(st.accent.Render("❯ "+line+"  "+detail), width-2, "…"))
			} else {
				body = append(body, ansi.Truncate("  "+line+"  "+st.dim.Render(detail), width-2, "…"))
			}
		}
	case stageActions, stageConfirm:
		p := r.points[r.sel]
		body = append(body, st.bold.Render(fmt.Sprintf("Rewind to before prompt #%d", p.Turn))+st.dim.Render("  "+harness.PreviewLine(p.Prompt, 50)))
		if r.planWhy != "" {
			body = append(body, st.dim.Render(r.planWhy))
		} else {
			body = append(body, st.dim.Render(planSummary(r.plan)))
		}
		if r.stage == stageConfirm {
			body = append(body, st.warn.Render("These files changed outside basalt since basalt last changed them:"))
			for _, f := range modifiedFiles(r.plan) {
				body = append(body, "  "+f)
			}
			body = append(body, "Overwrite them? "+st.accent.Render("y")+" overwrite · "+st.accent.Render("n")+" keep them, restore the others · esc back")
			break
		}
		for i, a := range r.actions {
			line := fmt.Sprintf("%d. %s", i+1, a.label())
			if i == r.act {
				body = append(body, st.accent.Render("❯ "+line))
			} else {
				body = append(body, "  "+line)
			}
		}
		body = append(body, st.dim.Render("↑↓ choose · enter confirm · esc back"))
	}
	for i := range body {
		body[i] = ansi.Truncate(body[i], width-2, "…")
	}
	return box(st, body, width)
}

// promptTime is when a prompt was sent: the time today, with the date
// before today (a resumed session's older prompts).
func (m *Model) promptTime(t time.Time) string {
	t = t.Local()
	if y, mo, d := m.now().Local().Date(); t.Year() == y && t.Month() == mo && t.Day() == d {
		return t.Format("15:04")
	}
	return t.Format("Jan 02 15:04")
}

// filesDetail says which files the model changed after a prompt.
func filesDetail(p harness.RewindPoint) string {
	if p.CodeLost {
		return "code snapshots dropped (size bounds): conversation only"
	}
	switch n := len(p.Files); n {
	case 0:
		return "no file changes"
	default:
		names := make([]string, 0, 3)
		for i, f := range p.Files {
			if i == 3 {
				names = append(names, "…")
				break
			}
			names = append(names, filepath.Base(f))
		}
		return fmt.Sprintf("%s changed: %s", count(n, "file"), strings.Join(names, ", "))
	}
}

// planSummary says what restoring the code would do.
func planSummary(plan []checkpoint.FileAction) string {
	restore, del, same, gone := 0, 0, 0, 0
	for _, a := range plan {
		switch {
		case a.Unavailable != "":
			gone++
		case a.Unchanged:
			same++
		case a.Delete:
			del++
		default:
			restore++
		}
	}
	parts := []string{fmt.Sprintf("Restoring code puts back %s", count(restore, "file"))}
	if del > 0 {
		parts = append(parts, fmt.Sprintf("deletes %s the model created", count(del, "file")))
	}
	if same > 0 {
		parts = append(parts, fmt.Sprintf("%s already as it was", count(same, "file")))
	}
	if gone > 0 {
		parts = append(parts, fmt.Sprintf("%s without a snapshot", count(gone, "file")))
	}
	return strings.Join(parts, "; ") + "."
}
