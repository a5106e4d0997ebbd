package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
)

// TestEscInterrupts runs a real turn command whose backend waits for its
// context: Esc must cancel it, and the turn end is reported.
func TestEscInterrupts(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 80, 24)
	started := make(chan struct{})
	fb.run = func(ctx context.Context, _ string, on func(agent.Event)) error {
		close(started)
		<-ctx.Done()
		return fmt.Errorf("%w: %w", agent.ErrInterrupted, ctx.Err())
	}
	typeText(m, "long job")
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	done := make(chan turnDoneMsg, 1)
	go collect(cmd, done)
	<-started
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	select {
	case msg := <-done:
		m.Update(msg)
	case <-time.After(5 * time.Second):
		t.Fatal("esc did not interrupt the turn")
	}
	if m.busy {
		t.Error("still busy after the turn ended")
	}
	if f := ansi.Strip(m.Frame()); !strings.Contains(f, "Interrupted. The conversation is kept") {
		t.Errorf("no interruption notice in:\n%s", f)
	}
}

func TestCtrlCTwiceExits(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	typeText(m, "draft")
	if cmd := press(m, 'c', tea.ModCtrl); cmd != nil {
		t.Fatal("the first ctrl+c quit")
	}
	if m.input.Value() != "" {
		t.Error("the first ctrl+c did not clear the input")
	}
	cmd := press(m, 'c', tea.ModCtrl)
	if cmd == nil {
		t.Fatal("the second ctrl+c did not quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("the second ctrl+c did not return tea.Quit")
	}
}

func TestSlashCompletion(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	typeText(m, "/co")
	if got := len(m.comp.items); got != 2 { // /cost, /compact
		t.Fatalf("completions for /co = %d, want 2", got)
	}
	golden(t, "complete_80x24", m)
	press(m, tea.KeyDown, 0)
	press(m, tea.KeyTab, 0)
	if got := m.input.Value(); got != "/compact" {
		t.Errorf("after tab: %q, want /compact", got)
	}
}

func TestHistory(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	m.info.HistoryFile = filepath.Join(t.TempDir(), "history.jsonl")
	for _, p := range []string{"first", "second\nline"} {
		typeText(m, p)
		_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		cmd().(tea.BatchMsg)[0]() // the history write only
		m.Update(turnDoneMsg{turn: m.turn, info: m.info})
	}
	typeText(m, "draft")
	press(m, tea.KeyUp, 0)
	if got := m.input.Value(); got != "second\nline" {
		t.Errorf("up: %q", got)
	}
	m.input.MoveToBegin()
	press(m, tea.KeyUp, 0)
	if got := m.input.Value(); got != "first" {
		t.Errorf("up up: %q", got)
	}
	press(m, tea.KeyDown, 0)
	m.input.MoveToEnd()
	press(m, tea.KeyDown, 0)
	if got := m.input.Value(); got != "draft" {
		t.Errorf("down down: %q, want the draft back", got)
	}
	got, err := LoadHistory(m.info.HistoryFile)
	if err != nil || len(got) != 2 || got[1] != "second\nline" {
		t.Errorf("history file = %q, %v", got, err)
	}
}

// collect runs cmd and its batches concurrently, as the program does, and
// delivers the turnDoneMsg.
func collect(cmd tea.Cmd, done chan<- turnDoneMsg) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			go collect(c, done)
		}
	case turnDoneMsg:
		done <- msg
	}
}
