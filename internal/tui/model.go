package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/media"
)

// Options configure a [Model].
type Options struct {
	Backend Backend
	Info    Info
	NoColor bool
	// History is the prompts of earlier sessions, oldest first.
	History []string
	// Notices are shown at the start (model resolution, resumed session).
	Notices []string
	// Prompt is sent as the first turn (`basalt "fix the tests"`).
	Prompt  string
	Version string
	Now     func() time.Time
	// TurnContext derives the context of one turn or command from the
	// program's; its cancel function interrupts the turn (Esc). Run sets
	// it; tests give their own.
	TurnContext func() (context.Context, context.CancelFunc)
	// Doctor runs the doctor's checks and returns their report (/doctor);
	// nil when there is no doctor to run.
	Doctor func(ctx context.Context) string
}

// Model is the Bubble Tea model of the interactive session. It is used
// through a pointer: its render caches are updated while drawing.
type Model struct {
	o    Options
	b    Backend
	info Info
	now  func() time.Time
	send func(tea.Msg) // tea.Program.Send; set by Run

	width, height int
	st            styles
	md            markdown
	entries       []entry
	expanded      bool
	scroll        int        // lines scrolled up from the bottom
	sel           *toolEntry // the tool call chosen with tab; nil when the input has the keys

	input   textarea.Model
	history history
	pastes  []string      // large pastes, shown as placeholders in the input
	images  []media.Image // attached images, shown as [Image #N] in the input
	comp    completion

	// The running turn.
	busy      bool
	turn      int // numbers turns, so late events of an old one are ignored
	cancel    context.CancelFunc
	started   time.Time
	outChars  int // characters streamed this turn, for the live token estimate
	turnOut   int // output tokens reported this turn
	retry     string
	spin      int
	current   *assistantEntry
	thinking  *thinkingEntry
	tools     map[string]*toolEntry
	queued    []string
	ask       *askPrompt
	picker    *picker
	rewind    *rewindMenu     // rewind.go
	lastEsc   time.Time       // esc esc on an empty input opens the rewind menu
	sl        statusLineState // statusline.go
	lastCtrlC time.Time
	turnSum   turnTotals // this turn's requests
	lastTurn  turnTotals // the last finished turn, for /cost
	hint      string     // one-line message under the input, e.g. "press ctrl+c again to exit"
	quitting  bool
}

// New returns the model. Run starts it in a terminal; tests call Update
// and View directly.
func New(o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	m := &Model{o: o, b: o.Backend, info: o.Info, now: o.Now, width: 80, height: 24, tools: map[string]*toolEntry{}}
	m.send = func(tea.Msg) {}
	m.setTheme(true)
	m.input = newInput()
	m.history = history{items: o.History, pos: len(o.History)}
	m.layout()
	m.push(&welcomeEntry{version: o.Version, info: func() Info { return m.info }})
	for _, n := range o.Notices {
		m.push(&noticeEntry{text: n})
	}
	return m
}

func newInput() textarea.Model {
	in := textarea.New()
	in.Prompt = "> "
	in.ShowLineNumbers = false
	in.Placeholder = "Ask basalt… (/ for commands, @ for files)"
	in.DynamicHeight = true
	in.MinHeight = 1
	in.MaxHeight = 8
	in.MaxContentHeight = 1 << 20
	in.CharLimit = 0
	// Enter sends; the newline keys are handled before the textarea sees
	// them.
	in.KeyMap.InsertNewline.SetEnabled(false)
	in.Focus()
	return in
}

func (m *Model) setTheme(dark bool) {
	m.st = newStyles(dark, m.o.NoColor)
	switch {
	case m.o.NoColor:
		m.md.style = "notty"
	case dark:
		m.md.style = "dark"
	default:
		m.md.style = "light"
	}
}

// Init asks the terminal for its background colour, to pick light or dark
// styles.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, textarea.Blink, loadHistory(m.b), m.refreshStatusLine()}
	if p := strings.TrimSpace(m.o.Prompt); p != "" {
		cmds = append(cmds, func() tea.Msg { return initialPromptMsg{p} })
	}
	return tea.Batch(cmds...)
}

// initialPromptMsg starts the turn of the prompt given on the command line,
// in Update like every other state change.
type initialPromptMsg struct{ text string }

// push adds an entry and follows the bottom of the conversation.
func (m *Model) push(e entry) {
	m.entries = append(m.entries, e)
	m.scroll = 0
}

func (m *Model) notice(kind noticeKind, format string, args ...any) {
	m.push(&noticeEntry{text: fmt.Sprintf(format, args...), kind: kind})
}

// The messages of the program.
type (
	eventMsg struct {
		turn int
		ev   agent.Event
	}
	turnDoneMsg struct {
		turn int
		err  error
		info Info
	}
	tickMsg    struct{ turn int }
	refreshMsg struct{ line string } // a line of awsAuthRefresh output
	// infoMsg replaces the session's info after a command changed it.
	infoMsg struct {
		info    Info
		notice  string
		err     error
		reset   bool          // a new conversation: clear the view
		history []HistoryItem // the resumed conversation, shown after the reset
	}
	// outputMsg is a command's report, shown as plain text.
	outputMsg struct {
		text string
		kind noticeKind
	}
)

// RefreshOutput returns the sink for awsAuthRefresh's output lines: they
// appear in the conversation while the refresh runs.
func RefreshOutput(send func(tea.Msg)) func(string) {
	return func(line string) { send(refreshMsg{line: line}) }
}

// Update handles one message. It does no I/O: whatever has to wait or
// touch the outside world is returned as a tea.Cmd.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := m.statusLineMsgs(msg); ok { // statusline.go
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
		return m, nil
	case tea.PasteMsg:
		// A paste is input like a key press: a ctrl+c after it clears
		// it, and is not the second press of an exit.
		m.lastCtrlC = time.Time{}
		if m.hint == exitHint {
			m.hint = ""
		}
		return m, m.paste(msg.Content)
	case imageMsg:
		return m, m.imageRead(msg)
	case clipboardMsg:
		return m, m.clipboardRead(msg)
	case initialPromptMsg:
		return m, m.startTurn(msg.text, msg.text)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case eventMsg:
		if msg.turn == m.turn {
			m.event(msg.ev)
			return m, m.statusLineAfterEvent(msg.ev)
		}
		return m, nil
	case agentProgressMsg:
		m.agentProgress(msg.p)
		return m, nil
	case askMsg:
		if !m.busy {
			// The turn is over: nobody waits for this answer.
			return m, msg.answer(agent.Answer{})
		}
		m.ask = newAskPrompt(msg)
		return m, nil
	case turnDoneMsg:
		return m, tea.Batch(m.turnDone(msg), m.refreshStatusLine())
	case tickMsg:
		if msg.turn != m.turn || !m.busy {
			return m, nil
		}
		m.spin++
		return m, m.tick()
	case refreshMsg:
		m.notice(noticeInfo, "awsAuthRefresh: %s", msg.line)
		return m, nil
	case infoMsg:
		return m, tea.Batch(m.applyInfo(msg), m.refreshStatusLine())
	case outputMsg:
		m.push(&noticeEntry{text: msg.text, kind: msg.kind})
		return m, nil
	case settingsWrittenMsg:
		return m, m.settingsWritten(msg)
	case rulesEditedMsg:
		m.rulesEdited(msg)
		return m, nil
	case rewindMsg:
		return m, m.rewindUpdate(msg)
	case pickerMsg:
		m.picker = msg.p
		if msg.err != nil {
			m.notice(noticeError, "%v", msg.err)
		}
		return m, nil
	case filesMsg:
		m.filesListed(msg)
		return m, nil
	case modeMsg:
		m.modeSet(msg)
		return m, nil
	case historyMsg:
		m.showHistory(msg.items, true)
		return m, nil
	case quitMsg:
		m.quitting = true
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

type quitMsg struct{}

// turnTotals adds up the requests of one turn.
type turnTotals struct {
	ok    bool
	usage cost.Usage
	cost  cost.Cost
}

// layout sizes the input to the window.
func (m *Model) layout() {
	m.input.SetWidth(max(m.width-2, 10))
}

// paste inserts pasted text; a large paste is kept aside and shown as a
// placeholder, so the input stays readable, and is put back on sending.
//
// A pasted path of an image file (what a terminal pastes when a file is
// dropped on it) attaches the image instead.
func (m *Model) paste(text string) tea.Cmd {
	if path, ok := pastedImagePath(text, m.info.WorkDir, os.Getenv("HOME")); ok {
		return loadImageFile(path, text)
	}
	m.insertPaste(text)
	return nil
}

// insertPaste inserts pasted text as it is, or as a placeholder.
func (m *Model) insertPaste(text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Count(text, "\n") + 1
	if lines <= 8 && len(text) <= 2000 {
		m.input.InsertString(text)
		return
	}
	m.pastes = append(m.pastes, text)
	m.input.InsertString(fmt.Sprintf("[Pasted text #%d, %d lines]", len(m.pastes), lines))
}

// expandPastes puts the pasted texts back in place of their placeholders.
func (m *Model) expandPastes(s string) string {
	for i, p := range m.pastes {
		ph := fmt.Sprintf("[Pasted text #%d, %d lines]", i+1, strings.Count(p, "\n")+1)
		s = strings.Replace(s, ph, p, 1)
	}
	return s
}

// submit handles what the user typed: a command or a prompt.
func (m *Model) submit() tea.Cmd {
	raw := m.input.Value()
	text := strings.TrimSpace(m.expandPastes(raw))
	if m.busy && len(m.images) > 0 && placeholderRE().MatchString(text) {
		m.hint = "a prompt with images is sent when the current turn ends: press enter then"
		return nil
	}
	images := m.takeImages(text)
	m.input.Reset()
	m.pastes = nil
	m.comp = completion{}
	if text == "" {
		return nil
	}
	hcmd := m.history.add(raw, m.info.HistoryFile)
	if strings.HasPrefix(text, "/") && !strings.HasPrefix(text, "//") {
		return tea.Batch(hcmd, m.command(text))
	}
	if strings.HasPrefix(text, "#") {
		return tea.Batch(hcmd, m.memoryNote(text))
	}
	if m.busy {
		m.queued = append(m.queued, text)
		m.hint = "queued: it is sent when the current turn ends"
		return hcmd
	}
	if len(images) > 0 {
		return tea.Batch(hcmd, m.startImageTurn(text, images))
	}
	return tea.Batch(hcmd, m.startTurn(text, text))
}

// startTurn shows the prompt and runs it. shown is what the conversation
// shows (a command like /init shows itself, not the prompt it sends).
func (m *Model) startTurn(shown, prompt string) tea.Cmd {
	m.push(&userEntry{text: shown})
	return m.begin(func(ctx context.Context, on func(agent.Event)) error {
		_, err := m.b.Run(ctx, prompt, on)
		return err
	})
}

// begin starts a turn-like operation (a prompt, /compact) in a command.
func (m *Model) begin(run func(context.Context, func(agent.Event)) error) tea.Cmd {
	m.turn++
	m.busy, m.started, m.outChars, m.turnOut, m.retry, m.spin, m.hint = true, m.now(), 0, 0, "", 0, ""
	m.current, m.thinking = nil, nil
	ctx, cancel := m.o.TurnContext()
	m.cancel = cancel
	turn, send, b := m.turn, m.send, m.b
	work := func() tea.Msg {
		err := run(ctx, func(ev agent.Event) { send(eventMsg{turn: turn, ev: ev}) })
		cancel()
		return turnDoneMsg{turn: turn, err: err, info: b.Info()}
	}
	return tea.Batch(work, m.tick())
}

func (m *Model) tick() tea.Cmd {
	turn := m.turn
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{turn: turn} })
}

// interrupt cancels the running turn; the agent closes it cleanly and the
// turnDoneMsg follows.
func (m *Model) interrupt() {
	if m.cancel != nil {
		m.cancel()
	}
	if m.ask != nil {
		m.ask = nil
	}
	m.hint = "interrupting…"
}

func (m *Model) turnDone(msg turnDoneMsg) tea.Cmd {
	if msg.turn != m.turn {
		return nil
	}
	m.busy, m.cancel, m.ask, m.retry, m.hint = false, nil, nil, "", ""
	if m.turnSum.ok {
		m.lastTurn = m.turnSum
	}
	m.turnSum = turnTotals{}
	m.info = msg.info
	for _, t := range m.tools {
		if t.running {
			t.running = false
			t.result = &toolResultInterrupted
		}
	}
	m.tools = map[string]*toolEntry{}
	m.current, m.thinking = nil, nil
	var limit *agent.LimitError
	switch {
	case msg.err == nil:
	case errors.Is(msg.err, agent.ErrInterrupted) || errors.Is(msg.err, context.Canceled):
		m.notice(noticeWarn, "Interrupted. The conversation is kept: say what to do next.")
	case m.promptBlocked(msg.err): // hooks.go
	case errors.As(msg.err, &limit):
		m.notice(noticeWarn, "%s", errorText(msg.err)) // with the way out (/budget, a smaller request)
	default:
		m.notice(noticeError, "%s", errorText(msg.err))
	}
	if len(m.queued) > 0 {
		next := m.queued[0]
		m.queued = m.queued[1:]
		return m.startTurn(next, next)
	}
	return nil
}

// errorText is an error with its hint, as the CLI would print it.
func errorText(err error) string {
	s := err.Error()
	var h interface{ Hint() string }
	if errors.As(err, &h) && h.Hint() != "" {
		s += "\n" + h.Hint()
	}
	return s
}
