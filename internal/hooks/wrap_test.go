package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// Options.Wrap (the OS sandbox) builds the hook's command; its error
// fails the hook instead of running it unwrapped; nil runs it directly.
func TestWrap(t *testing.T) {
	t.Parallel()
	set, _ := Parse(Source{Path: "w.json"}, []byte(`{"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo wrapped=$WRAPPED; cat >/dev/null"}]}]}`), nil)
	in := Input{SessionID: "s", ToolName: "Bash", ToolInput: json.RawMessage(`{"command":"ls"}`)}
	for _, tt := range []struct {
		name string
		wrap func(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error)
		want string // in stdout; "" means the hook failed
	}{
		{"wrapped", func(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, "env", "WRAPPED=yes", shell, "-c", script)
			cmd.Dir, cmd.Env = dir, env
			return cmd, nil
		}, "wrapped=yes"},
		{"direct", func(context.Context, string, string, string, []string) (*exec.Cmd, error) { return nil, nil }, "wrapped="},
		{"refused", func(context.Context, string, string, string, []string) (*exec.Cmd, error) {
			return nil, errors.New("the sandbox is required and cannot run")
		}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := NewRunner(&Set{Hooks: set}, Options{ProjectDir: t.TempDir(), Wrap: tt.wrap})
			o := r.Run(t.Context(), PreToolUse, in)
			if len(o.Results) != 1 {
				t.Fatalf("results: %+v", o)
			}
			res := o.Results[0]
			if tt.want == "" {
				if res.Err == nil || !strings.Contains(res.Err.Error(), "cannot run") {
					t.Errorf("refused hook ran: %+v", res)
				}
				return
			}
			if !strings.Contains(res.Stdout, tt.want) {
				t.Errorf("stdout %q, want %q (%+v)", res.Stdout, tt.want, res)
			}
		})
	}
}
