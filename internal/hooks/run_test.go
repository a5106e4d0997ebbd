package hooks

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runOne runs a set of one event's hooks (given as the settings' list of
// hook objects for matcher m) on input in.
func runOne(t *testing.T, ev Event, m, hooksList string, in Input, opt Options) Outcome {
	t.Helper()
	set := parseSet(t, fmt.Sprintf(`{%q: [{"matcher": %q, "hooks": %s}]}`, ev, m, hooksList))
	if opt.ProjectDir == "" {
		opt.ProjectDir = t.TempDir()
	}
	return NewRunner(set, opt).Run(t.Context(), ev, in)
}

func cmdHook(command string) string {
	b, _ := json.Marshal(map[string]any{"type": "command", "command": command})
	return "[" + string(b) + "]"
}

func bashInput(command string) Input {
	in, _ := json.Marshal(map[string]string{"command": command})
	return Input{SessionID: "s1", CWD: "/w", PermissionMode: "default", ToolName: "Bash", ToolInput: in, ToolUseID: "toolu_1"}
}

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ev      Event
		command string
		check   func(t *testing.T, o Outcome)
	}{
		{"exit 0 on PreToolUse: nothing decided, stdout for verbose", PreToolUse, "echo checked", func(t *testing.T, o Outcome) {
			if o.Blocked || o.Decision != DecisionNone || len(o.Context) != 0 || !cmp.Equal(o.Verbose, []string{"checked\n"}) {
				t.Errorf("%+v", o)
			}
		}},
		{"exit 0 on UserPromptSubmit: stdout is context", UserPromptSubmit, "echo 'branch: main'", func(t *testing.T, o Outcome) {
			if !cmp.Equal(o.Context, []string{"branch: main"}) {
				t.Errorf("context %q", o.Context)
			}
		}},
		{"exit 0 on SessionStart: stdout is context", SessionStart, "printf 'todo: fix CI\\n'", func(t *testing.T, o Outcome) {
			if !cmp.Equal(o.Context, []string{"todo: fix CI"}) {
				t.Errorf("context %q", o.Context)
			}
		}},
		{"exit 2 on PreToolUse blocks with stderr", PreToolUse, "echo 'no rm' >&2; exit 2", func(t *testing.T, o Outcome) {
			if !o.Blocked || o.Decision != DecisionDeny || !cmp.Equal(o.Reasons, []string{"[echo 'no rm' >&2; exit 2]: no rm"}) {
				t.Errorf("%+v", o)
			}
			if got := o.Message("Bash"); got != "PreToolUse:Bash hook error: [echo 'no rm' >&2; exit 2]: no rm" {
				t.Errorf("Message = %q", got)
			}
		}},
		{"exit 2 without stderr", PreToolUse, "exit 2", func(t *testing.T, o Outcome) {
			if !cmp.Equal(o.Reasons, []string{"[exit 2]: No stderr output"}) {
				t.Errorf("reasons %q", o.Reasons)
			}
		}},
		{"exit 2 on Stop: the turn goes on", Stop, "echo 'tests fail' >&2; exit 2", func(t *testing.T, o Outcome) {
			if !o.Blocked || o.Message("") != "Stop hook feedback:\n[echo 'tests fail' >&2; exit 2]: tests fail" {
				t.Errorf("%+v / %q", o, o.Message(""))
			}
		}},
		{"exit 2 on UserPromptSubmit erases the prompt", UserPromptSubmit, "echo secret >&2; exit 2", func(t *testing.T, o Outcome) {
			if !o.Blocked || !strings.HasPrefix(o.Message(""), "UserPromptSubmit operation blocked by hook:\n") {
				t.Errorf("%+v", o)
			}
		}},
		{"exit 2 on SessionStart cannot block", SessionStart, "echo nope >&2; exit 2", func(t *testing.T, o Outcome) {
			if o.Blocked || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], "nope") {
				t.Errorf("%+v", o)
			}
		}},
		{"exit 2 on Stop from a missing script is not a block", Stop, "python3 /nonexistent/stop.py", func(t *testing.T, o Outcome) {
			if o.Blocked || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], "appears to be missing") {
				t.Errorf("%+v", o)
			}
		}},
		{"other exit codes are non-blocking errors", PreToolUse, "echo oops >&2; exit 1", func(t *testing.T, o Outcome) {
			if o.Blocked || o.Decision != DecisionNone || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], "non-blocking status code 1: oops") {
				t.Errorf("%+v", o)
			}
		}},
		{"JSON that is not an object is plain text", UserPromptSubmit, `echo '{not json'`, func(t *testing.T, o Outcome) {
			if !cmp.Equal(o.Context, []string{"{not json"}) || len(o.Errors) != 0 {
				t.Errorf("%+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, runOne(t, tt.ev, "", cmdHook(tt.command), bashInput("ls"), Options{}))
		})
	}
}

func TestRunJSONFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		ev    Event
		json  string
		exit  int
		check func(t *testing.T, o Outcome)
	}{
		{"permissionDecision deny", PreToolUse, `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"not on main"}}`, 0, func(t *testing.T, o Outcome) {
			if !o.Blocked || o.Decision != DecisionDeny || o.DecisionReason != "not on main" || !cmp.Equal(o.Reasons, []string{"not on main"}) {
				t.Errorf("%+v", o)
			}
		}},
		{"permissionDecision allow with updatedInput", PreToolUse, `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"safe","updatedInput":{"command":"ls -la"}}}`, 0, func(t *testing.T, o Outcome) {
			if o.Blocked || o.Decision != DecisionAllow || string(o.UpdatedInput) != `{"command":"ls -la"}` {
				t.Errorf("%+v", o)
			}
		}},
		{"permissionDecision ask", PreToolUse, `{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"are you sure?"}}`, 0, func(t *testing.T, o Outcome) {
			if o.Decision != DecisionAsk || o.DecisionReason != "are you sure?" {
				t.Errorf("%+v", o)
			}
		}},
		{"decision approve is allow", PreToolUse, `{"decision":"approve","reason":"fine"}`, 0, func(t *testing.T, o Outcome) {
			if o.Decision != DecisionAllow || o.DecisionReason != "fine" {
				t.Errorf("%+v", o)
			}
		}},
		{"decision block on PostToolUse", PostToolUse, `{"decision":"block","reason":"lint failed"}`, 0, func(t *testing.T, o Outcome) {
			if !o.Blocked || !cmp.Equal(o.Reasons, []string{"lint failed"}) {
				t.Errorf("%+v", o)
			}
		}},
		{"decision block on Stop without a reason", Stop, `{"decision":"block"}`, 0, func(t *testing.T, o Outcome) {
			if !o.Blocked || !cmp.Equal(o.Reasons, []string{"Blocked by hook"}) {
				t.Errorf("%+v", o)
			}
		}},
		{"continue false with stopReason, systemMessage", PostToolUse, `{"continue":false,"stopReason":"build broke","systemMessage":"see build.log"}`, 0, func(t *testing.T, o Outcome) {
			if !o.Stop || o.StopReason != "build broke" || !cmp.Equal(o.SystemMessages, []string{"see build.log"}) || o.Blocked {
				t.Errorf("%+v", o)
			}
		}},
		{"suppressOutput hides stdout from verbose", PostToolUse, `{"suppressOutput":true}`, 0, func(t *testing.T, o Outcome) {
			if len(o.Verbose) != 0 {
				t.Errorf("verbose %q", o.Verbose)
			}
		}},
		{"additionalContext on UserPromptSubmit", UserPromptSubmit, `{"hookSpecificOutput":{"hookEventName":"UserPromptSubmit","additionalContext":"ticket ABC-1 is open"}}`, 0, func(t *testing.T, o Outcome) {
			if !cmp.Equal(o.Context, []string{"ticket ABC-1 is open"}) {
				t.Errorf("%+v", o)
			}
		}},
		{"additionalContext on SessionStart", SessionStart, `{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"use pnpm"}}`, 0, func(t *testing.T, o Outcome) {
			if !cmp.Equal(o.Context, []string{"use pnpm"}) {
				t.Errorf("%+v", o)
			}
		}},
		{"updatedToolOutput on PostToolUse", PostToolUse, `{"hookSpecificOutput":{"hookEventName":"PostToolUse","updatedToolOutput":"[redacted]"}}`, 0, func(t *testing.T, o Outcome) {
			if string(o.UpdatedToolOutput) != `"[redacted]"` {
				t.Errorf("%+v", o)
			}
		}},
		{"PermissionRequest decision", PermissionRequest, `{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"not today"}}}`, 0, func(t *testing.T, o Outcome) {
			if o.PermissionRequest == nil || o.PermissionRequest.Behavior != "deny" || o.PermissionRequest.Message != "not today" || o.Decision != DecisionDeny {
				t.Errorf("%+v", o)
			}
		}},
		{"hookSpecificOutput without hookEventName is refused", PreToolUse, `{"hookSpecificOutput":{"permissionDecision":"deny"}}`, 0, func(t *testing.T, o Outcome) {
			if o.Blocked || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], `missing required field "hookEventName"`) {
				t.Errorf("%+v", o)
			}
		}},
		{"hookSpecificOutput of another event is refused", PreToolUse, `{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"x"}}`, 0, func(t *testing.T, o Outcome) {
			if len(o.Errors) != 1 || !strings.Contains(o.Errors[0], `expected "PreToolUse" but got "PostToolUse"`) || len(o.Context) != 0 {
				t.Errorf("%+v", o)
			}
		}},
		{"a field of the wrong type is refused", PreToolUse, `{"continue":"no"}`, 0, func(t *testing.T, o Outcome) {
			if o.Stop || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], "validation failed: continue") {
				t.Errorf("%+v", o)
			}
		}},
		{"an unknown decision is refused", PreToolUse, `{"decision":"deny"}`, 0, func(t *testing.T, o Outcome) {
			if o.Decision != DecisionNone || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], `unknown hook decision "deny"`) {
				t.Errorf("%+v", o)
			}
		}},
		{"refused JSON with exit 2 still blocks", PreToolUse, `{"decision":"deny","reason":"rm -rf"}`, 2, func(t *testing.T, o Outcome) {
			if !o.Blocked || len(o.Errors) != 1 || o.Decision != DecisionDeny {
				t.Errorf("%+v", o)
			}
		}},
		{"JSON with exit 2 and no decision blocks with stderr", PreToolUse, `{"systemMessage":"checking"}`, 2, func(t *testing.T, o Outcome) {
			if !o.Blocked || len(o.Reasons) != 1 || !strings.HasSuffix(o.Reasons[0], "]: why") || !cmp.Equal(o.SystemMessages, []string{"checking"}) {
				t.Errorf("%+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			out := filepath.Join(dir, "out.json")
			if err := os.WriteFile(out, []byte(tt.json), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := fmt.Sprintf("cat %q; echo why >&2; exit %d", out, tt.exit)
			tt.check(t, runOne(t, tt.ev, "", cmdHook(cmd), bashInput("ls"), Options{ProjectDir: dir}))
		})
	}
}

// TestRunEnvAndStdin checks what a hook sees: the event's JSON on stdin,
// CLAUDE_PROJECT_DIR and BASALT_PROJECT_DIR, and the project root as its
// working directory.
func TestRunEnvAndStdin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := `cat > stdin.json; printf '%s\n%s\n%s\n' "$CLAUDE_PROJECT_DIR" "$BASALT_PROJECT_DIR" "$(pwd -P)" > env.txt`
	o := runOne(t, PreToolUse, "Bash", cmdHook(cmd), bashInput("ls"), Options{ProjectDir: dir, Env: []string{"PATH=" + os.Getenv("PATH")}})
	if len(o.Errors) != 0 {
		t.Fatal(o.Errors)
	}
	env, _ := os.ReadFile(filepath.Join(dir, "env.txt"))
	real, _ := filepath.EvalSymlinks(dir)
	if got, want := string(env), dir+"\n"+dir+"\n"+real+"\n"; got != want {
		t.Errorf("env and cwd %q, want %q", got, want)
	}
	var got map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "stdin.json"))
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("stdin %q: %v", b, err)
	}
	want := map[string]any{"session_id": "s1", "transcript_path": "", "cwd": "/w", "permission_mode": "default", "hook_event_name": "PreToolUse",
		"tool_name": "Bash", "tool_input": map[string]any{"command": "ls"}, "tool_use_id": "toolu_1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stdin mismatch (-want +got):\n%s", diff)
	}
}

func TestRunMatcherSelects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	set := parseSet(t, `{"PreToolUse": [
		{"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "echo edit >> ran"}]},
		{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo bash >> ran"}]},
		{"matcher": "mcp__github__.*", "hooks": [{"type": "command", "command": "echo github >> ran"}]},
		{"hooks": [{"type": "command", "command": "echo all >> ran"}]}]}`)
	r := NewRunner(set, Options{ProjectDir: dir})
	for _, tool := range []string{"Bash", "mcp__github__create_issue", "Read"} {
		r.Run(t.Context(), PreToolUse, Input{ToolName: tool})
	}
	got, _ := os.ReadFile(filepath.Join(dir, "ran"))
	lines := strings.Fields(string(got))
	slices.Sort(lines)
	if want := []string{"all", "all", "all", "bash", "github"}; !cmp.Equal(lines, want) {
		t.Errorf("ran %v, want %v", lines, want)
	}
}

// TestRunParallelAndDeduplicated runs three hooks of one second each,
// two of them the same command: they take about one second together, and
// the repeated command runs once.
func TestRunParallelAndDeduplicated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	set := parseSet(t, `{"Stop": [
		{"hooks": [{"type": "command", "command": "sleep 1; echo a >> ran"}, {"type": "command", "command": "sleep 1; echo b >> ran"}]},
		{"hooks": [{"type": "command", "command": "sleep 1; echo a >> ran"}]}]}`)
	start := time.Now()
	o := NewRunner(set, Options{ProjectDir: dir}).Run(t.Context(), Stop, Input{})
	elapsed := time.Since(start)
	if len(o.Results) != 2 {
		t.Errorf("%d results, want 2 (the repeated command once)", len(o.Results))
	}
	got, _ := os.ReadFile(filepath.Join(dir, "ran"))
	lines := strings.Fields(string(got))
	slices.Sort(lines)
	if !cmp.Equal(lines, []string{"a", "b"}) {
		t.Errorf("ran %v", lines)
	}
	if elapsed > 1900*time.Millisecond {
		t.Errorf("two one-second hooks took %s: not run in parallel", elapsed)
	}
}

// TestRunTimeoutKillsProcessGroup gives a hook one second; it starts a
// grandchild that would write a file after two. The timeout must end
// both, promptly, and be reported.
func TestRunTimeoutKillsProcessGroup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	set := parseSet(t, `{"PreToolUse": [{"hooks": [{"type": "command", "timeout": 1, "command": "(sleep 2; echo late > late.txt) & sleep 30"}]}]}`)
	start := time.Now()
	o := NewRunner(set, Options{ProjectDir: dir}).Run(t.Context(), PreToolUse, Input{ToolName: "Bash"})
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("a 1 s timeout returned after %s", elapsed)
	}
	if len(o.Results) != 1 || !o.Results[0].TimedOut || o.Blocked || len(o.Errors) != 1 || !strings.Contains(o.Errors[0], "timed out after 1s") {
		t.Fatalf("%+v", o)
	}
	time.Sleep(2500 * time.Millisecond)
	if _, err := os.Stat(filepath.Join(dir, "late.txt")); err == nil {
		t.Error("the hook's background child survived the timeout")
	}
}

func TestRunCancel(t *testing.T) {
	t.Parallel()
	set := parseSet(t, `{"Stop": [{"hooks": [{"type": "command", "command": "sleep 30"}]}]}`)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	o := NewRunner(set, Options{ProjectDir: t.TempDir()}).Run(ctx, Stop, Input{})
	if time.Since(start) > 5*time.Second || len(o.Results) != 1 || !o.Results[0].Canceled || o.Blocked {
		t.Errorf("%+v after %s", o, time.Since(start))
	}
}

func TestRunLog(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var recs []Record
	set := parseSet(t, `{"PostToolUse": [{"hooks": [{"type": "command", "command": "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY exit 3"}]}]}`)
	NewRunner(set, Options{ProjectDir: t.TempDir(), Log: func(r Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }}).Run(t.Context(), PostToolUse, Input{ToolName: "Edit"})
	if len(recs) != 1 || recs[0].ExitCode != 3 || recs[0].Event != PostToolUse || recs[0].Duration <= 0 {
		t.Fatalf("%+v", recs)
	}
	if strings.Contains(recs[0].Command, "wJalrXUtnFEMIK7MDENG") {
		t.Errorf("the log line shows a secret: %q", recs[0].Command)
	}
}

func TestRunReplace(t *testing.T) {
	t.Parallel()
	r := NewRunner(parseSet(t, `{"Stop": [{"hooks": [{"type": "command", "command": "exit 2"}]}]}`), Options{ProjectDir: t.TempDir()})
	if !r.Has(Stop) || r.Has(PreToolUse) {
		t.Error("Has")
	}
	r.Replace(&Set{})
	if o := r.Run(t.Context(), Stop, Input{}); o.Blocked || len(o.Results) != 0 || r.Has(Stop) {
		t.Errorf("after Replace: %+v", o)
	}
}

// TestEventDefaultTimeouts: without a "timeout", a SessionEnd hook gets
// Claude Code's 1.5 s and a UserPromptSubmit hook 30 s; the others 10
// minutes.
func TestEventDefaultTimeouts(t *testing.T) {
	t.Parallel()
	set := parseSet(t, `{"SessionEnd": [{"hooks": [{"type": "command", "command": "sleep 20"}]}],
		"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "true"}]}],
		"PreToolUse": [{"hooks": [{"type": "command", "command": "true"}]}]}`)
	got := map[Event]time.Duration{}
	for _, e := range set.List() {
		got[e.Event] = e.Timeout
	}
	want := map[Event]time.Duration{PreToolUse: 10 * time.Minute, UserPromptSubmit: 30 * time.Second, SessionEnd: 1500 * time.Millisecond}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeouts mismatch (-want +got):\n%s", diff)
	}
	start := time.Now()
	o := NewRunner(set, Options{ProjectDir: t.TempDir()}).Run(t.Context(), SessionEnd, Input{Reason: "other"})
	if el := time.Since(start); el < 1400*time.Millisecond || el > 6*time.Second || len(o.Results) != 1 || !o.Results[0].TimedOut {
		t.Errorf("SessionEnd hook ended after %s: %+v", el, o.Results)
	}
}
