package hooks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func need(t *testing.T, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed", p)
		}
	}
}

// TestFixtureGuards runs the real-world style guards of testdata/fixtures
// as a team configures them.
func TestFixtureGuards(t *testing.T) {
	t.Parallel()
	need(t, "bash", "jq", "python3")
	settings := fmt.Sprintf(`{"PreToolUse": [
		{"matcher": "Bash", "hooks": [{"type": "command", "command": %q}]},
		{"matcher": "Read|Edit|Write", "hooks": [{"type": "command", "command": %q}]},
		{"matcher": "WebFetch", "hooks": [{"type": "command", "command": %q}]}]}`,
		fixture(t, "guard-rm-rf.sh"), "jq -c -f "+fixture(t, "guard-env.jq"), fixture(t, "guard-webfetch.py"))
	r := NewRunner(parseSet(t, settings), Options{ProjectDir: t.TempDir()})
	call := func(tool string, input any) Outcome {
		b, _ := json.Marshal(input)
		return r.Run(t.Context(), PreToolUse, Input{SessionID: "s", CWD: "/w", PermissionMode: "default", ToolName: tool, ToolInput: b})
	}

	if o := call("Bash", map[string]string{"command": "cd build && rm -rf ./out"}); !o.Blocked || !strings.Contains(o.Message("Bash"), "refused: recursive forced delete") {
		t.Errorf("bash guard let rm -rf through: %+v", o)
	}
	if o := call("Bash", map[string]string{"command": "rm -r -i out"}); o.Blocked || len(o.Errors) > 0 {
		t.Errorf("bash guard blocked a harmless command: %+v", o)
	}
	if o := call("Read", map[string]string{"file_path": "/w/.env.local"}); !o.Blocked || o.Decision != DecisionDeny || !strings.Contains(o.DecisionReason, "/w/.env.local") {
		t.Errorf("jq guard let .env through: %+v", o)
	}
	if o := call("Read", map[string]string{"file_path": "/w/main.go"}); o.Blocked || o.Decision != DecisionNone || len(o.Errors) > 0 {
		t.Errorf("jq guard decided on main.go: %+v", o)
	}
	o := call("WebFetch", map[string]string{"url": "https://go.dev/doc", "prompt": "summarise"})
	if o.Decision != DecisionAllow || string(o.UpdatedInput) != `{"prompt":"summarise","url":"https://proxy.example/go.dev/doc"}` {
		t.Errorf("python guard: %+v", o)
	}
	if o := call("WebFetch", map[string]string{"url": "http://example.com"}); o.Decision != DecisionAsk || o.UpdatedInput != nil {
		t.Errorf("python guard on http: %+v", o)
	}
}

// TestFixtureFormatter: the PostToolUse formatter rewrites the Go file
// the Edit touched and stays silent.
func TestFixtureFormatter(t *testing.T) {
	t.Parallel()
	need(t, "bash", "jq", "gofmt")
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte("package main\nfunc main(){println( 1 )}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	settings := fmt.Sprintf(`{"PostToolUse": [{"matcher": "Edit|MultiEdit|Write", "hooks": [{"type": "command", "command": %q}]}]}`, fixture(t, "format-go.sh"))
	in, _ := json.Marshal(map[string]string{"file_path": file, "old_string": "a", "new_string": "b"})
	resp, _ := json.Marshal(map[string]any{"filePath": file})
	o := NewRunner(parseSet(t, settings), Options{ProjectDir: dir}).Run(t.Context(), PostToolUse, Input{ToolName: "Edit", ToolInput: in, ToolResponse: resp})
	if o.Blocked || len(o.Errors) > 0 || len(o.Verbose) > 0 {
		t.Fatalf("%+v", o)
	}
	got, _ := os.ReadFile(file)
	if want := "package main\n\nfunc main() { println(1) }\n"; string(got) != want {
		t.Errorf("formatted file %q, want %q", got, want)
	}
}
