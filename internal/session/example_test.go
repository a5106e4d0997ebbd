package session_test

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/basalt-dev/basalt/internal/session"
)

// A session written turn by turn, then resumed the way --continue does.
func Example() {
	stateDir, _ := os.MkdirTemp("", "basalt-state")
	defer os.RemoveAll(stateDir)
	store := session.NewStore(stateDir, "/home/ana/src/basalt")

	w, err := store.Create(session.Meta{
		Provider: "bedrock", Region: "us-east-1", Model: "global.anthropic.claude-sonnet-4-6",
		System: json.RawMessage(`[{"type":"text","text":"You are basalt."}]`),
	})
	if err != nil {
		panic(err)
	}
	// The agent appends each message as it sends or receives it...
	_ = w.Append(session.Entry{Type: session.TypeUser, Turn: 1, Message: json.RawMessage(`{"role":"user","content":"fix the test"}`)})
	_ = w.Append(session.Entry{Type: session.TypeAssistant, Turn: 1, Message: json.RawMessage(`{"role":"assistant","content":"Fixed."}`)})
	// ...and syncs when the turn is complete.
	_ = w.Sync()
	_ = w.Close()

	id, _ := store.Latest()
	t, err := store.Load(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(t.Meta.System))
	for _, m := range t.Messages() {
		fmt.Println(string(m))
	}
	w, _ = store.Append(id) // continue writing the same file
	_ = w.Close()
	// Output:
	// [{"type":"text","text":"You are basalt."}]
	// {"role":"user","content":"fix the test"}
	// {"role":"assistant","content":"Fixed."}
}
