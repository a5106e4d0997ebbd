package slashcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShellErrorMatchesRecording: a failing and a refused `!` line give
// Claude Code's <local-command-stderr> text, and nothing is expanded.
func TestShellErrorMatchesRecording(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "claude-code", "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]struct {
		UserContent   string `json:"user_content"`
		ModelRequests bool   `json:"model_requests"`
		Result        struct {
			NumTurns int `json:"num_turns"`
		} `json:"result"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "claude-code", "project-bang", ".claude", "commands")
	cmds, warns := LoadCommands([]Dir{{Path: dir, Scope: ScopeProject}})
	if len(warns) != 0 {
		t.Fatal(warns)
	}
	set := NewSet(nil, cmds)
	for _, name := range []string{"failing", "denied"} {
		rec := f[name]
		if rec.ModelRequests || rec.Result.NumTurns != 0 {
			t.Errorf("%s: Claude Code sent the prompt after all: %+v", name, rec)
		}
		const open, closing = "<local-command-stderr>", "</local-command-stderr>"
		want := strings.TrimSuffix(strings.TrimPrefix(rec.UserContent, open), closing)
		// The reason is the runner's to give; take Claude Code's.
		_, reason, _ := strings.Cut(want, "`\": ")
		run := func(_ context.Context, cmd string) (string, error) {
			if name == "denied" {
				return "", fmt.Errorf("%w: %s", ErrDenied, reason)
			}
			return "", errors.New(reason)
		}
		_, ok, err := set.ExpandInput(t.Context(), "/"+name, Options{Run: run})
		var se *ShellError
		if !ok || !errors.As(err, &se) {
			t.Fatalf("%s: %v %v", name, ok, err)
		}
		if got := se.LocalCommandStderr(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
		if se.Denied() != (name == "denied") || !strings.HasPrefix(se.Error(), filepath.Join(dir, name+".md")+":4: !`") {
			t.Errorf("%s: denied=%v error %q", name, se.Denied(), se.Error())
		}
	}
}
