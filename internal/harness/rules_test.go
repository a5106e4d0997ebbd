package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
)

// TestEditRulesSaveAndApply: one rule edit writes the local settings file
// (atomically, mode 0600) and the running checker decides by it at once:
// an allow rule stops the asking, a deny rule refuses the next call, and
// removing it lifts the refusal.
func TestEditRulesSaveAndApply(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{ToolUse: []emulator.ToolUse{{Name: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)}}},
		{Text: "Done."},
	}}
	r := newRig(t, sc, nil)
	s, _ := r.open(t, Options{})
	goTest := permission.Request{Tool: "Bash", Input: json.RawMessage(`{"command":"go test ./..."}`)}
	readNotes := permission.Request{Tool: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)}
	decide := func(req permission.Request) permission.Behavior {
		s.mu.Lock()
		c := s.checker
		s.mu.Unlock()
		return c.Decide(req).Behavior
	}
	if got := decide(goTest); got != permission.Ask {
		t.Fatalf("go test before any rule: %s, want ask", got)
	}

	ch := s.EditRules("allow", []string{"Bash(go test:*)"}, nil)
	if ch.Err != nil || ch.LiveErr != nil || !slices.Equal(ch.Added, []string{"Bash(go test:*)"}) {
		t.Fatalf("add allow: %+v", ch)
	}
	want := filepath.Join(r.work, ".basalt", "settings.local.json")
	if ch.Path != want || s.Info().LocalSettings != want {
		t.Errorf("written to %s (info says %s), want %s", ch.Path, s.Info().LocalSettings, want)
	}
	fi, err := os.Stat(ch.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("settings file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if got := decide(goTest); got != permission.Allow {
		t.Errorf("go test after the allow rule: %s, want allow", got)
	}

	ch = s.EditRules("deny", []string{"Read(./notes.txt)"}, nil)
	if ch.Err != nil || ch.LiveErr != nil {
		t.Fatalf("add deny: %+v", ch)
	}
	var denied bool
	if _, err := s.Run(t.Context(), "read the notes", func(ev agent.Event) {
		if ev.Kind == agent.EventPermission && ev.Decision != nil && ev.Decision.Behavior == permission.Deny {
			denied = true
		}
	}); err != nil {
		t.Fatal(err)
	}
	if !denied {
		t.Error("the Read of notes.txt was not refused after the deny rule")
	}
	wantRules := []Rule{
		{Kind: "allow", Rule: "Bash(go test:*)", Source: "local " + filepath.Join(".basalt", "settings.local.json")},
		{Kind: "deny", Rule: "Read(./notes.txt)", Source: "local " + filepath.Join(".basalt", "settings.local.json")},
	}
	if diff := cmp.Diff(wantRules, s.Info().Rules); diff != "" {
		t.Errorf("rules in force mismatch (-want +got):\n%s", diff)
	}

	ch = s.EditRules("deny", nil, []string{"Read(./notes.txt)"})
	if ch.Err != nil || ch.LiveErr != nil || len(ch.Removed) != 1 {
		t.Fatalf("remove deny: %+v", ch)
	}
	if got := decide(readNotes); got != permission.Allow {
		t.Errorf("reading notes.txt after removing the deny rule: %s, want allow", got)
	}
	data, err := os.ReadFile(ch.Path)
	if err != nil {
		t.Fatal(err)
	}
	wantFile := "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(go test:*)\"\n    ],\n    \"deny\": []\n  }\n}\n"
	if diff := cmp.Diff(wantFile, string(data)); diff != "" {
		t.Errorf("settings file mismatch (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(ch.Path + ".bak"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v, %v; want one with mode 0600", fi, err)
	}

	// A rule that does not compile changes nothing, file or session.
	ch = s.EditRules("allow", []string{"Bash(x"}, nil)
	if ch.Err == nil {
		t.Error("an invalid rule was accepted")
	}
	if after, _ := os.ReadFile(ch.Path); string(after) != wantFile {
		t.Errorf("an invalid rule changed the file:\n%s", after)
	}
}

// TestEditRulesKeepsOtherFilesRules: removing a rule from the local file
// leaves the same rule of another settings file in force, since it is
// still written there.
func TestEditRulesKeepsOtherFilesRules(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	project := filepath.Join(r.work, ".basalt", "settings.json")
	if err := os.MkdirAll(filepath.Dir(project), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(project, []byte(`{"permissions":{"deny":["Read(./notes.txt)"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := r.open(t, Options{})
	if ch := s.EditRules("deny", []string{"Read(./notes.txt)"}, nil); ch.Err != nil || ch.LiveErr != nil {
		t.Fatalf("add: %+v", ch)
	}
	if ch := s.EditRules("deny", nil, []string{"Read(./notes.txt)"}); ch.Err != nil || ch.LiveErr != nil || len(ch.Removed) != 1 {
		t.Fatalf("remove: %+v", ch)
	}
	s.mu.Lock()
	d := s.checker.Decide(permission.Request{Tool: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)})
	s.mu.Unlock()
	if d.Behavior != permission.Deny {
		t.Errorf("the project's deny rule stopped applying: %+v", d)
	}
}
