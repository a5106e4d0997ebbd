package tui

import (
	"context"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// askMsg carries a permission question from the agent's goroutine to the
// program. reply has room for one answer, so answering never blocks.
type askMsg struct {
	call     *agent.ToolCall
	decision permission.Decision
	reply    chan agent.Answer
	// preview is the change of a file call against the file as it is
	// (real line numbers, context); nil shows the call's input.
	preview *tool.FileDiff
}

// NewAsker returns the agent's Ask callback for a program that receives
// messages through send (tea.Program.Send). The callback runs on the
// agent's goroutine and blocks it until the user answers in the program
// or ctx is cancelled (Esc interrupts the turn), whichever comes first.
func NewAsker(send func(tea.Msg)) func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error) {
	return func(ctx context.Context, call *agent.ToolCall, d permission.Decision) (agent.Answer, error) {
		m := askMsg{call: call, decision: d, reply: make(chan agent.Answer, 1)}
		// The file is read here, on the agent's goroutine, so the
		// program's Update never waits on the disk.
		wd, _ := os.Getwd()
		m.preview = previewDiff(call, wd)
		// Send blocks while the program is busy, and the wait below must
		// also end on cancellation, so it is sent from its own goroutine
		// (Send returns once the program has exited).
		go send(m)
		select {
		case a := <-m.reply:
			return a, nil
		case <-ctx.Done():
			return agent.Answer{}, ctx.Err()
		}
	}
}

// answer is the command that hands the user's answer to the waiting agent.
func (m askMsg) answer(a agent.Answer) tea.Cmd {
	return func() tea.Msg {
		select {
		case m.reply <- a:
		default: // already answered
		}
		return nil
	}
}
