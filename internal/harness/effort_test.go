package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEffortIsSavedForNewSessions: /effort LEVEL keeps the level as
// effortLevel in the user settings file, as Claude Code's /effort does,
// and a new session sends it; max lasts for the session only and auto
// removes the key.
func TestEffortIsSavedForNewSessions(t *testing.T) {
	r := newRig(t, nil, map[string]string{"ANTHROPIC_MODEL": "opus"})
	user := filepath.Join(r.env["XDG_CONFIG_HOME"], "basalt", "settings.json")

	s, _ := r.open(t, Options{})
	notice, err := s.SetEffort("medium")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "saved as effortLevel in "+user) {
		t.Errorf("notice %q: want where it was saved", notice)
	}
	data, err := os.ReadFile(user)
	if err != nil || !strings.Contains(string(data), `"effortLevel": "medium"`) {
		t.Fatalf("user settings %q (%v): want effortLevel medium", data, err)
	}

	// max: this session only; the file keeps medium.
	notice, err = s.SetEffort("max")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "this session only") {
		t.Errorf("notice %q: want max said to be for the session only", notice)
	}
	answerOf(t, s, "hello")
	recs := r.emu.Records()
	if got := recs[len(recs)-1].Effort; got != "max" {
		t.Errorf("this session sent effort %q, want max", got)
	}
	if data, _ := os.ReadFile(user); !strings.Contains(string(data), `"effortLevel": "medium"`) {
		t.Errorf("user settings after max %q: want medium kept", data)
	}

	// A new session starts at the saved level.
	s2, _ := r.open(t, Options{})
	if got := s2.Effort(); got != "medium" {
		t.Errorf("new session's effort %q, want the saved medium", got)
	}
	answerOf(t, s2, "hello")
	recs = r.emu.Records()
	if got := recs[len(recs)-1].Effort; got != "medium" {
		t.Errorf("new session sent effort %q, want medium", got)
	}

	// auto removes the key: the next session sends the model's default.
	notice, err = s2.SetEffort("auto")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "effortLevel removed from "+user) {
		t.Errorf("notice %q", notice)
	}
	if data, _ := os.ReadFile(user); strings.Contains(string(data), "effortLevel") {
		t.Errorf("user settings after auto %q: want no effortLevel", data)
	}
	s3, _ := r.open(t, Options{})
	answerOf(t, s3, "hello")
	recs = r.emu.Records()
	if got := recs[len(recs)-1].Effort; got != "high" {
		t.Errorf("after auto a new session sent effort %q, want Opus 4.6's default high", got)
	}
}

// TestEffortSaveRefusesABrokenFile: a user settings file that is not JSON
// is left alone, and the effort is not changed either: nothing is lost.
func TestEffortSaveRefusesABrokenFile(t *testing.T) {
	r := newRig(t, nil, nil)
	s, _ := r.open(t, Options{})
	user := filepath.Join(r.env["XDG_CONFIG_HOME"], "basalt", "settings.json")
	if err := os.MkdirAll(filepath.Dir(user), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(user, []byte("{\n  \"model\": \"opus\",\n  oops\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.SetEffort("low")
	if err == nil || !strings.Contains(err.Error(), user+":3:") {
		t.Fatalf("err %v: want the file's line and column", err)
	}
	if got := s.Effort(); got == "low" {
		t.Errorf("effort changed to %q though the file was not written", got)
	}
	if data, _ := os.ReadFile(user); !strings.Contains(string(data), "oops") {
		t.Errorf("file rewritten: %q", data)
	}
}

// TestThinkingSummaryDefaults: /status and the status line say what a
// turn sends now that thinking is on by default, as in Claude Code.
func TestThinkingSummaryDefaults(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		effort  string // /effort first, when set
		summary string
		status  string // the status line's effort
	}{
		{"nothing set", nil, "", "adaptive, effort high (the model's default)", "high"},
		{"Opus 4.7 defaults to xhigh", map[string]string{"ANTHROPIC_MODEL": "us.anthropic.claude-opus-4-7"}, "", "adaptive, effort xhigh (the model's default)", "xhigh"},
		{"turned off", map[string]string{"CLAUDE_CODE_DISABLE_THINKING": "1"}, "", "off (CLAUDE_CODE_DISABLE_THINKING, env CLAUDE_CODE_DISABLE_THINKING), effort high (the model's default)", "high"},
		{"Fable thinks anyway", map[string]string{"CLAUDE_CODE_DISABLE_THINKING": "1", "ANTHROPIC_MODEL": "us.anthropic.claude-fable-5"}, "", "adaptive (Claude Fable 5 always thinks; turning it off only leaves the field out), effort high (the model's default)", "high"},
		{"Haiku: a budget, no effort", map[string]string{"ANTHROPIC_MODEL": "haiku"}, "", "budget 31999 (within max_tokens)", ""},
		{"xhigh on Opus 4.6 comes down", map[string]string{"ANTHROPIC_MODEL": "opus"}, "xhigh", "adaptive, effort xhigh (sent: high)", "high"},
		{"MAX_THINKING_TOKENS on Sonnet 4.6: the budget sent", map[string]string{"MAX_THINKING_TOKENS": "8000"}, "", "budget 8000, effort high (the model's default)", "high"},
		// CLAUDE_CODE_DISABLE_THINKING wins over MAX_THINKING_TOKENS, as in
		// Claude Code; alwaysThinkingEnabled false does not.
		{"DISABLE_THINKING beats MAX_THINKING_TOKENS", map[string]string{"MAX_THINKING_TOKENS": "8000", "CLAUDE_CODE_DISABLE_THINKING": "1"}, "", "off (CLAUDE_CODE_DISABLE_THINKING, env CLAUDE_CODE_DISABLE_THINKING), effort high (the model's default)", "high"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil, tc.env)
			s, _ := r.open(t, Options{})
			if tc.effort != "" {
				if _, err := s.SetEffort(tc.effort); err != nil {
					t.Fatal(err)
				}
			}
			if got := s.ThinkingSummary(); got != tc.summary {
				t.Errorf("summary %q\nwant    %q", got, tc.summary)
			}
			if got := s.Info().Effort; got != tc.status {
				t.Errorf("status line effort %q, want %q", got, tc.status)
			}
		})
	}
}
