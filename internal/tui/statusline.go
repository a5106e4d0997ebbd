package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
)

// statusLineEvery is the shortest time between two runs of the statusLine
// command, Claude Code's documented 300 ms: a streamed answer updates the
// conversation many times a second, a script need not run that often.
const statusLineEvery = 300 * time.Millisecond

// statusLineBackend runs the statusLine setting's command (harness).
type statusLineBackend interface {
	HasStatusLine() bool
	StatusLine(ctx context.Context) (string, error)
}

var _ statusLineBackend = (*harness.Session)(nil)

// statusLineState is the custom status line under the input: its last
// text and when the command may run again.
type statusLineState struct {
	text      string
	running   bool // a run is under way
	pending   bool // something changed during the run: run again after it
	scheduled bool // a statusLineTickMsg is on its way
	last      time.Time
	failed    bool // the last failure was shown; shown once until a run succeeds
}

type statusLineMsg struct {
	text string
	err  error
}

type statusLineTickMsg struct{}

// refreshStatusLine runs the statusLine command now, or as soon as 300 ms
// have passed since the last run, or after the run under way.
func (m *Model) refreshStatusLine() tea.Cmd {
	sb, ok := m.b.(statusLineBackend)
	if !ok || !sb.HasStatusLine() {
		return nil
	}
	sl := &m.sl
	if sl.running {
		sl.pending = true
		return nil
	}
	if wait := statusLineEvery - m.now().Sub(sl.last); !sl.last.IsZero() && wait > 0 {
		if sl.scheduled {
			return nil
		}
		sl.scheduled = true
		return tea.Tick(wait, func(time.Time) tea.Msg { return statusLineTickMsg{} })
	}
	sl.running, sl.last = true, m.now()
	return func() tea.Msg {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		text, err := sb.StatusLine(ctx)
		return statusLineMsg{text: text, err: err}
	}
}

// statusLineMsgs handles the status line's own messages; ok is false for
// any other message.
func (m *Model) statusLineMsgs(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case statusLineTickMsg:
		m.sl.scheduled = false
		return m.refreshStatusLine(), true
	case statusLineMsg:
		m.sl.running = false
		if msg.err != nil {
			if !m.sl.failed {
				m.notice(noticeWarn, "%v", msg.err)
			}
			m.sl.failed = true
		} else {
			m.sl.text, m.sl.failed = msg.text, false
		}
		if m.sl.pending {
			m.sl.pending = false
			return m.refreshStatusLine(), true
		}
		return nil, true
	}
	return nil, false
}

// statusLineAfterEvent refreshes the line when the conversation changed:
// an answer, tool results, a compaction.
func (m *Model) statusLineAfterEvent(ev agent.Event) tea.Cmd {
	switch ev.Kind {
	case agent.EventAssistant, agent.EventToolResults, agent.EventCompacted:
		return m.refreshStatusLine()
	}
	return nil
}

// statusLineView is the custom line, cut to the width; "" without one.
func (m *Model) statusLineView() []string {
	if m.sl.text == "" {
		return nil
	}
	return []string{ansi.Truncate(m.sl.text, max(m.width, 1), "…")}
}
