package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// slBackend is a fakeBackend with a statusLine command.
type slBackend struct {
	*fakeBackend
	runs int
	err  error
}

func (b *slBackend) HasStatusLine() bool { return true }
func (b *slBackend) StatusLine(context.Context) (string, error) {
	b.runs++
	if b.err != nil {
		return "", b.err
	}
	return "SL run " + string(rune('0'+b.runs)), nil
}

// TestStatusLineThrottled: the command's first line shows under the
// input; a change within 300 ms of the last run waits for the rest of
// the 300 ms; a change during a run runs it once more afterwards; a
// failure is one warning and the old line stays.
func TestStatusLineThrottled(t *testing.T) {
	t.Parallel()
	b := &slBackend{fakeBackend: &fakeBackend{info: testInfo()}}
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Backend: b, Info: b.info, NoColor: true, Now: func() time.Time { return clock },
		TurnContext: func() (context.Context, context.CancelFunc) { return context.WithCancel(t.Context()) }})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})

	run := m.refreshStatusLine()
	if run == nil {
		t.Fatal("no run at the start")
	}
	// A change while the command runs is remembered, not run alongside.
	if m.refreshStatusLine() != nil {
		t.Error("a second run started while the first was running")
	}
	_, next := m.Update(run())
	if !strings.Contains(m.Frame(), "SL run 1") {
		t.Fatalf("the line is not shown:\n%s", m.Frame())
	}
	// The remembered change waits for the rest of the 300 ms.
	if next == nil {
		t.Fatal("the change during the run was dropped")
	}
	if _, isTick := next().(statusLineTickMsg); !isTick {
		t.Fatal("the change during the run did not wait for the 300 ms")
	}
	if b.runs != 1 {
		t.Fatalf("runs = %d within 300 ms, want 1", b.runs)
	}
	clock = clock.Add(statusLineEvery)
	_, again := m.Update(statusLineTickMsg{})
	if again == nil {
		t.Fatal("no run after 300 ms")
	}
	m.Update(again())
	if b.runs != 2 || !strings.Contains(m.Frame(), "SL run 2") {
		t.Errorf("runs = %d, frame:\n%s", b.runs, m.Frame())
	}

	b.err = errors.New("statusLine command: exit status 1")
	clock = clock.Add(statusLineEvery)
	m.Update(m.refreshStatusLine()())
	clock = clock.Add(statusLineEvery)
	m.Update(m.refreshStatusLine()())
	frame := m.Frame()
	if strings.Count(frame, "exit status 1") != 1 || !strings.Contains(frame, "SL run 2") {
		t.Errorf("want one warning and the old line kept:\n%s", frame)
	}
}
