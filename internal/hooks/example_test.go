package hooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/hooks"
)

// A PreToolUse guard refuses a Bash call; the agent loop sends the
// message to the model in place of the call's result. In a session the
// set comes from hooks.Snapshot(cfg) instead of Parse.
func Example() {
	settings := `{"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command",
		"command": "grep -q 'rm -rf' && { echo 'no recursive deletes' >&2; exit 2; } || exit 0"}]}]}`
	list, warnings := hooks.Parse(hooks.Source{Kind: config.SourceProject, Path: ".claude/settings.json"}, []byte(settings), nil)
	set := hooks.Load([]hooks.Layer{{Source: list[0].Source, Hooks: list, NeedsTrust: true}}, hooks.Policy{Trusted: true})
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	runner := hooks.NewRunner(set, hooks.Options{ProjectDir: dir})

	input, _ := json.Marshal(map[string]string{"command": "rm -rf build"})
	o := runner.Run(context.Background(), hooks.PreToolUse, hooks.Input{SessionID: "s", CWD: dir, PermissionMode: "default", ToolName: "Bash", ToolInput: input})
	fmt.Println(len(warnings), o.Decision, o.Blocked)
	fmt.Println(o.Message("Bash"))
	// Output:
	// 0 deny true
	// PreToolUse:Bash hook error: [grep -q 'rm -rf' && { echo 'no recursive deletes' >&2; exit 2; } || exit 0]: no recursive deletes
}
