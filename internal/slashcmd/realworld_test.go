package slashcmd

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRealWorldCommands loads commands teams committed (testdata/realworld,
// credited in its README) and expands each as a user would.
func TestRealWorldCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		repo, name, args string
		description      string
		hint             string
		tools            []string
		model            string
		warnings         int
		ran              []string
		contains         []string
		suffix           string
	}{
		{
			repo: "budget-forecaster", name: "review", args: "42",
			description: "Review Pull Request",
			contains:    []string{"- `42`: PR URL or number", `--body "$(cat <<'EOF'`},
			suffix:      "- Subjective preferences without clear benefit\n\n42\n",
		},
		{
			repo: "budget-forecaster", name: "commit", args: "",
			description: "Commit Changes",
			suffix:      "5. Show the result with `git log -1`\n\n\n",
		},
		{
			repo: "bcherny-claude", name: "commit-push-pr", args: "fix typo",
			description: "Commit, push, and open a PR",
			contains:    []string{`git config user.name "$(whoami)"`},
			suffix:      "stop and report them.\n\n\nARGUMENTS: fix typo",
		},
		{
			repo: "query-preprocessing", name: "debug", args: "why does the cache miss?",
			description: "Debug an issue without making any file changes", hint: "[question]",
			contains: []string{"Answer why does the cache miss?\n", "1. Understand why does the cache miss?\n"},
		},
		{
			repo: "query-preprocessing", name: "debug-state", args: "scheduler --deep",
			description: "Debug state management issues and data inconsistencies", hint: "[component] [--deep]",
			tools:    []string{"Read", "Grep", "Glob", "Task", "Bash(find:*)", "Bash(stat:*)"},
			model:    "sonnet",
			warnings: 1,
			ran: []string{
				`find .claude -name "*.json" -o -name "*.yaml" 2>/dev/null | head -20`,
				`find . -name "*.state" -o -name "*.cache" -o -name "*.lock" 2>/dev/null | head -20`,
			},
			contains: []string{"- Target component: scheduler --deep\n- Configuration files: <out1>\n- State files: <out2>\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.repo+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", "realworld", tc.repo, ".claude", "commands")
			cmds, warns := LoadCommands([]Dir{{Path: dir, Scope: ScopeProject}})
			set := NewSet(nil, cmds)
			c, ok := set.Lookup(tc.name)
			if !ok {
				t.Fatalf("%s not loaded (warnings %v)", tc.name, warns)
			}
			n := 0
			for _, w := range warns {
				if w.Path == c.Path {
					n++
				}
			}
			if n != tc.warnings {
				t.Errorf("warnings for %s = %d (%v), want %d", c.Path, n, warns, tc.warnings)
			}
			if c.Description != tc.description || c.ArgumentHint != tc.hint || c.Model != tc.model {
				t.Errorf("got description %q hint %q model %q", c.Description, c.ArgumentHint, c.Model)
			}
			if diff := cmp.Diff(tc.tools, c.AllowedTools); diff != "" {
				t.Errorf("allowed-tools mismatch (-want +got):\n%s", diff)
			}
			var ran []string
			e, ok, err := set.ExpandInput(t.Context(), "/"+tc.name+" "+tc.args, Options{Run: func(_ context.Context, cmd string) (string, error) {
				ran = append(ran, cmd)
				return "<out" + itoa(len(ran)) + ">\n", nil
			}})
			if !ok || err != nil {
				t.Fatalf("expand: %v %v", ok, err)
			}
			if diff := cmp.Diff(tc.ran, ran); diff != "" {
				t.Errorf("commands mismatch (-want +got):\n%s", diff)
			}
			for _, s := range tc.contains {
				if !strings.Contains(e.Prompt, s) {
					t.Errorf("prompt lacks %q:\n%s", s, e.Prompt)
				}
			}
			if !strings.HasSuffix(e.Prompt, tc.suffix) {
				t.Errorf("prompt ends %q, want suffix %q", e.Prompt[max(0, len(e.Prompt)-80):], tc.suffix)
			}
		})
	}
}
