package agent_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
)

// TestMixedCallsKeepOrderAndResults pins what one message with every kind
// of call produces: which calls share a batch, where permission events
// fall, and the result each call gets, in the model's order.
func TestMixedCallsKeepOrderAndResults(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a", "b", "c", "d"} {
		os.WriteFile(filepath.Join(dir, f), []byte("content of "+f), 0o644)
	}
	read := func(f string) emulator.ToolUse {
		in, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, f)})
		return emulator.ToolUse{Name: "Read", Input: in}
	}
	write := func(f string) emulator.ToolUse {
		in, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, f), "content": "new " + f})
		return emulator.ToolUse{Name: "Write", Input: in}
	}
	calls := []emulator.ToolUse{
		read("a"), read("b"),
		{Name: "Nope", Input: []byte(`{}`)},
		write("w1"), // asked, refused with a message
		{Name: "Bash", Input: []byte(`{"command":"rm -rf d"}`)}, // denied by rule
		read("c"),
		write("w2"), // asked, allowed and remembered
		read("d"),
	}
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "working", ToolUse: calls}, {Text: "done"}}}
	deny, err := config.ParseRule("Bash(rm:*)")
	if err != nil {
		t.Fatal(err)
	}
	var checker *permission.Checker
	r := newRig(t, sc, emulator.Faults{}, func(_ *provider.Config, o *agent.Options) {
		checker, err = permission.New(permission.Options{Mode: permission.ModeDefault, Deny: []config.Rule{deny}, ProjectRoot: dir, Home: dir})
		if err != nil {
			t.Fatal(err)
		}
		o.Permissions = checker
		o.Ask = func(_ context.Context, call *agent.ToolCall, _ permission.Decision) (agent.Answer, error) {
			if strings.Contains(string(call.Input), "w1") {
				return agent.Answer{Message: "write elsewhere"}, nil
			}
			return agent.Answer{Allow: true, Remember: true}, nil
		}
	})
	var events []string
	res, err := r.sess.Run(t.Context(), "work", func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventToolStart:
			events = append(events, "start "+name(ev.Tool))
		case agent.EventToolEnd:
			events = append(events, "end "+name(ev.Tool))
		case agent.EventPermission:
			events = append(events, "permission "+name(ev.Tool))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "done" {
		t.Errorf("result %q", res.Text)
	}
	want := []string{
		"start Read a", "start Read b", "end Read a", "end Read b",
		"permission Write w1",
		"permission Bash",
		"start Read c", "end Read c",
		"permission Write w2", "start Write w2", "end Write w2",
		"start Read d", "end Read d",
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}

	tr, err := session.NewStore(filepath.Join(r.dir, "state"), r.dir).Load(r.sess.ID())
	if err != nil {
		t.Fatal(err)
	}
	msgs := tr.Messages()
	var user struct {
		Content []struct {
			ToolUseID string `json:"tool_use_id"`
			IsError   bool   `json:"is_error"`
			Content   []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"content"`
	}
	if err := json.Unmarshal(msgs[2], &user); err != nil {
		t.Fatal(err)
	}
	type result struct {
		isError bool
		has     string
	}
	wantResults := []result{
		{false, "content of a"}, {false, "content of b"},
		{true, `There is no tool named "Nope"`},
		{true, "The user did not allow this call. They said: write elsewhere"},
		{true, "Permission denied: "},
		{false, "content of c"},
		{false, ""},
		{false, "content of d"},
	}
	if len(user.Content) != len(wantResults) {
		t.Fatalf("%d results, want %d: %s", len(user.Content), len(wantResults), msgs[2])
	}
	for i, w := range wantResults {
		got := user.Content[i]
		text := ""
		if len(got.Content) > 0 {
			text = got.Content[0].Text
		}
		if got.IsError != w.isError || !strings.Contains(text, w.has) {
			t.Errorf("result %d: is_error %v %q, want is_error %v containing %q", i, got.IsError, text, w.isError, w.has)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "w2")); string(b) != "new w2" {
		t.Errorf("w2 = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "w1")); err == nil {
		t.Error("w1 written although refused")
	}
	// Remember added the suggested rule: the same write is now allowed.
	d := checker.Decide(permission.Request{Tool: "Write", Input: json.RawMessage(`{"file_path":"` + filepath.Join(dir, "w2") + `","content":"x"}`), WorkDir: dir})
	if d.Behavior != permission.Allow {
		t.Errorf("after Remember: %v (%s)", d.Behavior, d.Reason)
	}
}

// name is a call's tool and the file it names, for short event lines.
func name(c *agent.ToolCall) string {
	var in struct {
		FilePath string `json:"file_path"`
	}
	_ = json.Unmarshal(c.Input, &in)
	if in.FilePath == "" {
		return c.Name
	}
	return c.Name + " " + filepath.Base(in.FilePath)
}
