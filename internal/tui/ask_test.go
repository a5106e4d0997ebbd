package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
)

// runCmd runs a command and the batches it returns, delivering their
// messages to the model, as the program would, skipping ticks.
func runCmd(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			runCmd(m, c)
		}
	case nil, tickMsg:
	default:
		if _, ok := msg.(interface{ RuntimeTicks() }); ok {
			return
		}
		_, next := m.Update(msg)
		runCmd(m, next)
	}
}

func TestAskHandshake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		keys []tea.KeyPressMsg
		want agent.Answer
	}{
		{"yes", []tea.KeyPressMsg{{Code: '1', Text: "1"}}, agent.Answer{Allow: true}},
		{"yes with enter", []tea.KeyPressMsg{{Code: tea.KeyEnter}}, agent.Answer{Allow: true}},
		{"no with message", append([]tea.KeyPressMsg{{Code: '3', Text: "3"}}, append(keys("use make test"), tea.KeyPressMsg{Code: tea.KeyEnter})...),
			agent.Answer{Message: "use make test"}},
		{"esc refuses, as a dismissal", []tea.KeyPressMsg{{Code: tea.KeyEscape}}, agent.Answer{Abort: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, 80, 24)
			startTurn(m, "go")
			msgs := make(chan tea.Msg, 1)
			ask := NewAsker(func(msg tea.Msg) { msgs <- msg })
			type result struct {
				a   agent.Answer
				err error
			}
			done := make(chan result, 1)
			go func() {
				a, err := ask(t.Context(), bashCall(), permission.Decision{Behavior: permission.Ask})
				done <- result{a, err}
			}()
			m.Update(<-msgs)
			if m.ask == nil {
				t.Fatal("no permission prompt after the question arrived")
			}
			for i, k := range tc.keys {
				_, cmd := m.Update(k)
				if i == len(tc.keys)-1 {
					// Earlier keys only return the cursor's blink timers.
					runCmd(m, cmd)
				}
			}
			select {
			case r := <-done:
				if r.err != nil || r.a != tc.want {
					t.Errorf("answer = %+v, %v; want %+v", r.a, r.err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the agent is still waiting for its answer")
			}
			if m.ask != nil {
				t.Error("the prompt is still open")
			}
		})
	}
}

func keys(s string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// TestAskCancelled: interrupting the turn releases the agent's goroutine
// even though nobody answered.
func TestAskCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	sent := make(chan tea.Msg, 1)
	ask := NewAsker(func(msg tea.Msg) { sent <- msg })
	errc := make(chan error, 1)
	go func() {
		_, err := ask(ctx, bashCall(), permission.Decision{Behavior: permission.Ask})
		errc <- err
	}()
	<-sent
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ask did not return on cancellation")
	}
}

// TestAskAfterTurnEnded: a question that arrives after its turn ended is
// answered "no" at once instead of leaving a prompt nobody waits for.
func TestAskAfterTurnEnded(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	q := askFor(bashCall())
	_, cmd := m.Update(q)
	runCmd(m, cmd)
	if m.ask != nil {
		t.Error("prompt opened outside a turn")
	}
	if a := <-q.reply; a.Allow {
		t.Error("a stale question was allowed")
	}
}

// TestAlwaysWritesRule: "yes, and don't ask again" saves the suggested
// rule and applies it to the session before the agent gets its answer,
// so the answer need not ask the agent to remember it.
func TestAlwaysWritesRule(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 80, 24)
	m.info.LocalSettings = t.TempDir() + "/.basalt/settings.local.json"
	fb.settings = m.info.LocalSettings
	startTurn(m, "go")
	q := askFor(bashCall(), "Bash(go test:*)")
	m.Update(q)
	_, cmd := m.Update(tea.KeyPressMsg{Code: '2', Text: "2"})
	runCmd(m, cmd)
	if a := <-q.reply; !a.Allow || a.Remember {
		t.Errorf("answer = %+v, want allow, with the rule already in the session", a)
	}
	if diff := cmp.Diff([]string{"allow Bash(go test:*)"}, fb.allowed); diff != "" {
		t.Errorf("rules added to the session mismatch (-want +got):\n%s", diff)
	}
	added, _, err := config.EditRules(m.info.LocalSettings, "allow", []string{"Bash(go test:*)"}, nil)
	if err != nil || len(added) != 0 {
		t.Errorf("the rule was not written before: added %v, %v", added, err)
	}
}

// TestAlwaysRemembersWhenFileFails: when the settings file cannot be
// written, the session still keeps the rule (as a session rule, which
// /clear and /resume keep too, and /permissions lists), and the user is
// told the file was not updated.
func TestAlwaysRemembersWhenFileFails(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 80, 24)
	dir := t.TempDir()
	fb.settings = filepath.Join(dir, "settings.local.json")
	if err := os.WriteFile(fb.settings, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	startTurn(m, "go")
	q := askFor(bashCall(), "Bash(go test:*)")
	m.Update(q)
	_, cmd := m.Update(tea.KeyPressMsg{Code: '2', Text: "2"})
	runCmd(m, cmd)
	if a := <-q.reply; !a.Allow {
		t.Errorf("answer = %+v, want allow", a)
	}
	if diff := cmp.Diff([]string{"Bash(go test:*)"}, fb.sessionOnly); diff != "" {
		t.Errorf("session rules mismatch (-want +got):\n%s", diff)
	}
	if frame := strings.Join(strings.Fields(ansi.Strip(m.Frame())), " "); !strings.Contains(frame, "could not update") || !strings.Contains(frame, "for this session only") {
		t.Errorf("frame does not say the file was not updated and the rule is kept for the session:\n%s", frame)
	}
	typeText(m, "/permissions")
	press(m, tea.KeyEnter, 0)
	if frame := ansi.Strip(m.Frame()); !strings.Contains(frame, "session") || !strings.Contains(frame, "Bash(go test:*)") {
		t.Errorf("/permissions does not list the session rule:\n%s", frame)
	}
}
