package harness

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
)

func (s *Session) decideNow(req permission.Request) permission.Behavior {
	s.mu.Lock()
	c := s.checker
	s.mu.Unlock()
	return c.Decide(req).Behavior
}

var goTestCall = permission.Request{Tool: "Bash", Input: json.RawMessage(`{"command":"go test ./..."}`)}

// TestRulesSurviveClearResumeAndModel: "don't ask again" rules, saved to
// the file or kept for the session only, stay in force (and listed, with
// their sources) after /clear, /resume and /model; so does a removal.
func TestRulesSurviveClearResumeAndModel(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{})
	first := s.ID()
	answerOf(t, s, "hello")
	if ch := s.EditRules("allow", []string{"Bash(go test:*)"}, nil); ch.Err != nil || ch.LiveErr != nil {
		t.Fatalf("edit: %+v", ch)
	}
	if ch := s.AllowForSession([]string{"Bash(make:*)"}); ch.Err != nil || ch.LiveErr != nil || len(ch.Added) != 1 {
		t.Fatalf("session rule: %+v", ch)
	}
	makeCall := permission.Request{Tool: "Bash", Input: json.RawMessage(`{"command":"make build"}`)}
	want := []Rule{
		{Kind: "allow", Rule: "Bash(go test:*)", Source: "local " + filepath.Join(".basalt", "settings.local.json")},
		{Kind: "allow", Rule: "Bash(make:*)", Source: "session"},
	}
	check := func(step string) {
		t.Helper()
		if got := s.decideNow(goTestCall); got != permission.Allow {
			t.Errorf("%s: go test is %s, want allow", step, got)
		}
		if got := s.decideNow(makeCall); got != permission.Allow {
			t.Errorf("%s: make is %s, want allow", step, got)
		}
		if diff := cmp.Diff(want, s.Info().Rules); diff != "" {
			t.Errorf("%s: rules mismatch (-want +got):\n%s", step, diff)
		}
	}
	check("edited")
	if _, err := s.Reset(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	check("/clear")
	if _, err := s.Reset(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	check("/resume")
	if _, err := s.SetModel(t.Context(), "opus"); err != nil {
		t.Fatal(err)
	}
	check("/model")

	// A removal made during the session is replayed too.
	if ch := s.EditRules("allow", nil, []string{"Bash(go test:*)"}); ch.Err != nil || len(ch.Removed) != 1 {
		t.Fatalf("remove: %+v", ch)
	}
	if _, err := s.Reset(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if got := s.decideNow(goTestCall); got != permission.Ask {
		t.Errorf("after removal and /clear: go test is %s, want ask", got)
	}
}

// TestRuleSources: /permissions names each rule's level and file.
func TestRuleSources(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	project := filepath.Join(r.work, ".basalt", "settings.json")
	if err := os.MkdirAll(filepath.Dir(project), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(project, []byte(`{"permissions":{"deny":["Read(./secret.txt)"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := r.config(t)
	cfg.Permissions.Allow = append(cfg.Permissions.Allow, config.Rule{Tool: "Glob", Source: config.Source{Kind: config.SourceFlag, Name: "--allowedTools"}})
	s, _, err := Open(t.Context(), Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []Rule{
		{Kind: "deny", Rule: "Read(./secret.txt)", Source: "project " + filepath.Join(".basalt", "settings.json")},
		{Kind: "allow", Rule: "Glob", Source: "flag --allowedTools"},
	}
	if diff := cmp.Diff(want, s.Info().Rules); diff != "" {
		t.Errorf("rules mismatch (-want +got):\n%s", diff)
	}
}

// TestPermissionModeSwitch: Shift+Tab's switch applies to the next
// decision, shows in Info and /status, and outlives /clear.
func TestPermissionModeSwitch(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{})
	edit := permission.Request{Tool: "Write", Input: json.RawMessage(`{"file_path":"new.txt","content":"x"}`)}
	if got := s.decideNow(edit); got != permission.Ask {
		t.Fatalf("default mode: write is %s", got)
	}
	info, err := s.SetPermissionMode("acceptEdits")
	if err != nil || info.PermissionMode != "acceptEdits" {
		t.Fatalf("switch: %v, %q", err, info.PermissionMode)
	}
	if got := s.decideNow(edit); got != permission.Allow {
		t.Errorf("acceptEdits: write is %s, want allow", got)
	}
	if _, err := s.SetPermissionMode("plan"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reset(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if got := s.decideNow(edit); got != permission.Deny || s.Info().PermissionMode != "plan" {
		t.Errorf("after /clear in plan mode: write is %s, mode %q", got, s.Info().PermissionMode)
	}
	var status string
	for _, f := range s.Status(t.Context()) {
		if f.Label == "permission mode" {
			status = f.Value
		}
	}
	if status != "plan" {
		t.Errorf("/status permission mode %q, want plan", status)
	}
	if _, err := s.SetPermissionMode("sideways"); err == nil {
		t.Error("an unknown mode was accepted")
	}
	for m, next := range map[permission.Mode]permission.Mode{
		permission.ModeDefault: permission.ModeAcceptEdits, permission.ModeAcceptEdits: permission.ModePlan,
		permission.ModePlan: permission.ModeDefault, permission.ModeBypass: permission.ModeDefault,
	} {
		if got := NextMode(m); got != next {
			t.Errorf("NextMode(%s) = %s, want %s", m, got, next)
		}
	}
}

// TestStatusReadsSettingsNow: a local settings file written during the
// session is in /status.
func TestStatusReadsSettingsNow(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{Reload: func(ctx context.Context) (*config.Config, error) {
		return config.Load(ctx, config.Input{Env: r.env, WorkDir: r.work, ManagedPaths: []string{}})
	}})
	local := filepath.Join(r.work, ".basalt", "settings.local.json")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte(`{"permissions":{"allow":["Bash(ls:*)"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, f := range s.Status(t.Context()) {
		if f.Label == "settings" {
			lines = append(lines, f.Value)
		}
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "local "+local) || !strings.Contains(lines[0], "written during this session") {
		t.Errorf("settings lines %q, want the local file written during the session", lines)
	}
}

// TestHistoryOfResumed: a resumed conversation carries what the user saw:
// prompts, answers, tool calls with their results.
func TestHistoryOfResumed(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "Let me look.", ToolUse: []emulator.ToolUse{{Name: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)}}},
		{Text: "The notes say notes."},
	}}
	r := newRig(t, sc, nil)
	s, _ := r.open(t, Options{})
	if h := s.History(); len(h) != 0 {
		t.Errorf("a new conversation has history %v", h)
	}
	answerOf(t, s, "what do the notes say?")
	id := s.ID()
	if _, err := s.Reset(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reset(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range s.History() {
		switch h.Kind {
		case HistoryTool:
			res := "<none>"
			if h.Result != nil {
				res = strings.TrimSpace(h.Result.Content)
			}
			got = append(got, "tool "+h.Tool.Name+" "+h.Tool.Summary()+" → "+res)
		default:
			got = append(got, string(h.Kind)+" "+h.Text)
		}
	}
	want := []string{
		"prompt what do the notes say?",
		"answer Let me look.",
		"tool Read notes.txt → 1\tnotes",
		"answer The notes say notes.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
}

// TestPlanModeReminder: a prompt made in plan mode tells the model so
// (interactive: present the plan with ExitPlanMode; headless: answer with
// the plan); the history shows the user's words only.
func TestPlanModeReminder(t *testing.T) {
	for _, headless := range []bool{false, true} {
		r := newRig(t, countingScenario, nil)
		s, _ := r.open(t, Options{Headless: headless})
		answerOf(t, s, "before")
		if _, err := s.SetPermissionMode("plan"); err != nil {
			t.Fatal(err)
		}
		answerOf(t, s, "plan the fix")
		id := s.ID()
		if _, err := s.Reset(t.Context(), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Reset(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(s.store.Dir() + "/" + id + ".jsonl")
		if err != nil {
			t.Fatal(err)
		}
		want := "present the plan with the ExitPlanMode tool"
		if headless {
			want = "give the plan as your final answer"
		}
		if n := strings.Count(string(data), "Plan mode is on"); n != 1 || !strings.Contains(string(data), want) {
			t.Errorf("headless %v: %d reminders in the transcript, want 1 saying %q", headless, n, want)
		}
		var prompts []string
		for _, h := range s.History() {
			if h.Kind == HistoryPrompt {
				prompts = append(prompts, h.Text)
			}
		}
		if diff := cmp.Diff([]string{"before", "plan the fix"}, prompts); diff != "" {
			t.Errorf("prompts mismatch (-want +got):\n%s", diff)
		}
	}
}

// TestHeadlessOffersNoExitPlanMode: like Claude Code's -p, a headless
// session does not offer ExitPlanMode; an interactive one does.
func TestHeadlessOffersNoExitPlanMode(t *testing.T) {
	for _, headless := range []bool{false, true} {
		r := newRig(t, countingScenario, nil)
		s, _ := r.open(t, Options{Headless: headless})
		has := false
		for _, n := range s.Info().Tools {
			has = has || n == "ExitPlanMode"
		}
		if has == headless {
			t.Errorf("headless %v: tools %v", headless, s.Info().Tools)
		}
	}
}
