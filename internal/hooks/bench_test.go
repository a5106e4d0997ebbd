package hooks

import (
	"encoding/json"
	"testing"
)

// BenchmarkRunOneHook is the cost a PreToolUse hook adds to every tool
// call whose matcher selects it: one /bin/sh that reads its stdin.
func BenchmarkRunOneHook(b *testing.B) {
	set, _ := Parse(Source{Path: "b.json"}, []byte(`{"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "cat > /dev/null"}]}]}`), nil)
	r := NewRunner(&Set{Hooks: set}, Options{ProjectDir: b.TempDir()})
	in := Input{SessionID: "s", ToolName: "Bash", ToolInput: json.RawMessage(`{"command":"ls"}`)}
	for b.Loop() {
		if o := r.Run(b.Context(), PreToolUse, in); len(o.Results) != 1 || len(o.Errors) > 0 {
			b.Fatal(o)
		}
	}
}

// BenchmarkNoMatchingHook is the cost when hooks exist but none selects
// the call: no process is started.
func BenchmarkNoMatchingHook(b *testing.B) {
	set, _ := Parse(Source{Path: "b.json"}, []byte(`{"PreToolUse": [{"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "true"}]}]}`), nil)
	r := NewRunner(&Set{Hooks: set}, Options{ProjectDir: b.TempDir()})
	in := Input{SessionID: "s", ToolName: "Bash", ToolInput: json.RawMessage(`{"command":"ls"}`)}
	for b.Loop() {
		r.Run(b.Context(), PreToolUse, in)
	}
}
