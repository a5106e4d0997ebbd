package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
)

// writeLocalHooks writes the project's (untracked, so trusted) local
// settings file with hooks.
func writeLocalHooks(t *testing.T, r *rig, hooks string) {
	t.Helper()
	p := filepath.Join(r.work, ".claude", "settings.local.json")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"hooks": `+hooks+`}`), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hookEvents reads the events.jsonl the logging hooks appended to: each
// event's name with its source, reason, trigger or notification type.
func hookEvents(t *testing.T, r *rig) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(r.work, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var in map[string]any
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			t.Fatalf("hook stdin %q: %v", sc.Text(), err)
		}
		e, _ := in["hook_event_name"].(string)
		for _, k := range []string{"source", "reason", "trigger", "notification_type"} {
			if v, ok := in[k].(string); ok {
				e += " " + v
			}
		}
		out = append(out, e)
	}
	return out
}

const logAll = `"hooks": [{"type": "command", "command": "cat >> events.jsonl"}]`

// TestHooksLifecycle: SessionStart fires with startup, clear and compact,
// SessionEnd with clear and other, PreCompact with manual, in order.
func TestHooksLifecycle(t *testing.T) {
	sc := &emulator.Scenario{Turns: countingScenario.Turns, SideReply: "A summary."}
	r := newRig(t, sc, nil)
	writeLocalHooks(t, r, `{"SessionStart": [{`+logAll+`}], "SessionEnd": [{`+logAll+`}], "PreCompact": [{`+logAll+`}]}`)
	s, _ := r.open(t, Options{})
	answerOf(t, s, "hello")
	if _, err := s.Reset(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	answerOf(t, s, "hello again")
	if err := s.Compact(t.Context(), func(agent.Event) {}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"SessionStart startup", "SessionEnd clear", "SessionStart clear", "PreCompact manual", "SessionStart compact", "SessionEnd other"}
	if got := hookEvents(t, r); !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

// TestPromptBlocked: a UserPromptSubmit hook's exit 2 is a
// *PromptBlockedError carrying its stderr, and the prompt is not in the
// conversation: the next one is answered as the first.
func TestPromptBlocked(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	writeLocalHooks(t, r, `{"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "grep -q secret && { echo no secrets >&2; exit 2; }; exit 0"}]}]}`)
	s, _ := r.open(t, Options{})
	_, err := s.Run(t.Context(), "my secret", func(agent.Event) {})
	var blocked *PromptBlockedError
	if !errors.As(err, &blocked) || !strings.Contains(blocked.Message, "UserPromptSubmit operation blocked by hook:\n") || !strings.Contains(blocked.Message, "no secrets") {
		t.Fatalf("err = %v, want a *PromptBlockedError with the hook's stderr", err)
	}
	if got := answerOf(t, s, "hello"); got != "First answer." {
		t.Errorf("after a blocked prompt: %q, want the first answer (nothing was kept)", got)
	}
}

// TestNotificationOnQuestion: a permission question fires the
// Notification hooks with notification_type permission_prompt.
func TestNotificationOnQuestion(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "Running.", ToolUse: []emulator.ToolUse{{Name: "Bash", Input: json.RawMessage(`{"command":"touch ran"}`)}}},
		{Text: "Done."},
	}}
	r := newRig(t, sc, nil)
	writeLocalHooks(t, r, `{"Notification": [{`+logAll+`}]}`)
	asked := 0
	ask := func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error) {
		asked++
		return agent.Answer{}, nil
	}
	s, _ := r.open(t, Options{Ask: ask})
	answerOf(t, s, "go")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if asked != 1 {
		t.Fatalf("asked %d times", asked)
	}
	// The hook runs beside the question: wait for its line.
	var got []string
	for range 100 {
		if _, err := os.Stat(filepath.Join(r.work, "events.jsonl")); err == nil {
			if got = hookEvents(t, r); len(got) > 0 {
				break
			}
		}
		waitABit()
	}
	if !slices.Equal(got, []string{"Notification permission_prompt"}) {
		t.Errorf("events %q", got)
	}
}

func waitABit() { <-time.After(20 * time.Millisecond) }

// TestHooksChangeReviewed: an edited settings file does not change the
// hooks that run until ApplyPendingHooks; then the edit is no longer
// pending, and a later edit is pending again.
func TestHooksChangeReviewed(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	writeLocalHooks(t, r, `{"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "echo old >> ran.txt"}]}]}`)
	s, _ := r.open(t, Options{})
	if s.PendingHooks() != nil {
		t.Fatal("a change pending before any edit")
	}
	writeLocalHooks(t, r, `{"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "echo new >> ran.txt"}]}]}`)
	var notices []string
	if _, err := s.Run(t.Context(), "one", func(ev agent.Event) {
		if ev.Kind == agent.EventNotice {
			notices = append(notices, ev.Text)
		}
	}); err != nil {
		t.Fatal(err)
	}
	hc := s.PendingHooks()
	if hc == nil || len(hc.Changes) != 2 || len(hc.Trust) != 0 {
		t.Fatalf("pending %+v, want one removal and one addition", hc)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "changed during the session") {
		t.Errorf("notices %q", notices)
	}
	changes, err := s.ApplyPendingHooks()
	if err != nil || len(changes) != 2 {
		t.Fatalf("apply: %v %v", changes, err)
	}
	if s.PendingHooks() != nil {
		t.Error("still pending after apply")
	}
	answerOf(t, s, "two")
	b, _ := os.ReadFile(filepath.Join(r.work, "ran.txt"))
	if string(b) != "old\nnew\n" {
		t.Errorf("runs %q, want the old hook before the apply and the new one after", b)
	}
	writeLocalHooks(t, r, `{}`)
	if hc := s.PendingHooks(); hc == nil || len(hc.Changes) != 1 || hc.Changes[0].Added {
		t.Errorf("after removing the hook: %+v", hc)
	}
}

// TestProjectHooksChangeNeedsTrust: a project file's edited hooks are
// listed but never applied in the session.
func TestProjectHooksChangeNeedsTrust(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	p := filepath.Join(r.work, ".claude", "settings.json")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	// Only the files loaded at start are watched.
	if err := os.WriteFile(p, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := r.open(t, Options{})
	if err := os.WriteFile(p, []byte(`{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "touch x"}]}]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	hc := s.PendingHooks()
	if hc == nil || !hc.Trust[p] {
		t.Fatalf("pending %+v, want the project file marked as needing trust", hc)
	}
	if _, err := s.ApplyPendingHooks(); err == nil || !strings.Contains(err.Error(), "basalt trust") {
		t.Errorf("apply: %v, want a refusal naming basalt trust", err)
	}
	if len(s.Hooks().Set().Hooks) != 0 {
		t.Error("the project's hooks were applied")
	}
}
