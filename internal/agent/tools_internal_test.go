package agent

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// fakeTool is a tool whose Run is a function.
type fakeTool struct {
	name     string
	readOnly bool
	run      func() (tool.Result, error)
}

func (f fakeTool) Name() string                 { return f.name }
func (f fakeTool) Description() string          { return f.name }
func (f fakeTool) InputSchema() json.RawMessage { return json.RawMessage(`{"type":"object"}`) }
func (f fakeTool) ReadOnly() bool               { return f.readOnly }
func (f fakeTool) Run(context.Context, *tool.Session, json.RawMessage) (tool.Result, error) {
	return f.run()
}

// TestHarnessFailureStopsTheMessage: once basalt fails inside a tool, no
// later call of the message runs, even one that was waiting for the
// failed batch; each gets a result saying why.
func TestHarnessFailureStopsTheMessage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var poked atomic.Int32
	tools := []tool.Tool{
		fakeTool{name: "Broken", readOnly: true, run: func() (tool.Result, error) { return tool.Result{}, errors.New("disk on fire") }},
		fakeTool{name: "Fine", readOnly: true, run: func() (tool.Result, error) { return tool.Result{Content: "fine"}, nil }},
		fakeTool{name: "Poke", run: func() (tool.Result, error) { poked.Add(1); return tool.Result{Content: "poked"}, nil }},
	}
	checker, err := permission.New(permission.Options{Mode: permission.ModeBypass, ProjectRoot: dir, Home: dir})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := tool.NewSession(tool.SessionOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{o: Options{Tools: tools, Permissions: checker, ToolSession: ts}, tools: map[string]tool.Tool{}}
	for _, tl := range tools {
		s.tools[tl.Name()] = tl
	}
	calls := []*ToolCall{
		{ID: "1", Name: "Broken", Input: json.RawMessage(`{}`)},
		{ID: "2", Name: "Fine", Input: json.RawMessage(`{}`)},
		{ID: "3", Name: "Poke", Input: json.RawMessage(`{}`)},
		{ID: "4", Name: "Fine", Input: json.RawMessage(`{}`)},
	}
	var events []EventKind
	blocks, err := s.runTools(t.Context(), calls, func(ev Event) { events = append(events, ev.Kind) })
	if err == nil || err.Error() != "tool Broken: disk on fire" {
		t.Errorf("err = %v, want the harness failure", err)
	}
	if poked.Load() != 0 {
		t.Error("Poke ran after basalt failed")
	}
	want := []struct {
		text    string
		isError bool
	}{
		{"The tool failed inside basalt: disk on fire", true},
		{"fine", false},
		{"Not run: basalt failed on an earlier call of this turn.", true},
		{"Not run: basalt failed on an earlier call of this turn.", true},
	}
	for i, w := range want {
		tr := blocks[i].OfToolResult
		if tr == nil || tr.ToolUseID != calls[i].ID || tr.Content[0].OfText.Text != w.text || tr.IsError.Value != w.isError {
			t.Errorf("result %d = %+v, want %q (is_error %v)", i, tr, w.text, w.isError)
		}
	}
	for _, k := range events {
		if k == EventPermission {
			t.Error("a permission event after the failure")
		}
	}
}
