package tui

import (
	"context"
	"errors"
	"io"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// Sender delivers messages to the program from other goroutines (the
// agent's events, permission questions, awsAuthRefresh output). It exists
// before the program does, because the agent session that needs it is
// built first; messages sent before the program starts wait for it.
type Sender struct {
	mu      sync.Mutex
	p       *tea.Program
	pending []tea.Msg
}

// Send delivers msg; it blocks while the program is busy and returns at
// once after the program has exited.
func (s *Sender) Send(msg tea.Msg) {
	s.mu.Lock()
	p := s.p
	if p == nil {
		s.pending = append(s.pending, msg)
	}
	s.mu.Unlock()
	if p != nil {
		p.Send(msg)
	}
}

func (s *Sender) attach(p *tea.Program) {
	s.mu.Lock()
	s.p = p
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	go func() {
		for _, m := range pending {
			p.Send(m)
		}
	}()
}

// Run runs the program on the terminal (in and out) until the user exits
// or ctx is cancelled. Bubble Tea restores the terminal on return, on a
// panic and on SIGTERM.
func Run(ctx context.Context, o Options, s *Sender, in io.Reader, out io.Writer) error {
	o.TurnContext = func() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }
	m := New(o)
	m.send = s.Send
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)}
	p := tea.NewProgram(m, opts...)
	s.attach(p)
	_, err := p.Run()
	if m.cancel != nil {
		m.cancel() // a turn still running stops with the program
	}
	if !errors.Is(err, tea.ErrProgramPanic) {
		m.writeExit(out)
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
