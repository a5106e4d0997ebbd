package agent_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
)

// Each asked call gets an EventDecision saying how the user answered,
// after its permission event and before it runs: telemetry's
// tool_decision source.
func TestDecisionEvents(t *testing.T) {
	dir := t.TempDir()
	write := func(f string) emulator.ToolUse {
		in, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, f), "content": "x"})
		return emulator.ToolUse{Name: "Write", Input: in}
	}
	calls := []emulator.ToolUse{write("once"), write("saved"), write("refused"), write("dismissed")}
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "working", ToolUse: calls}, {Text: "done"}}}
	r := newRig(t, sc, emulator.Faults{}, func(_ *provider.Config, o *agent.Options) {
		checker, err := permission.New(permission.Options{Mode: permission.ModeDefault, ProjectRoot: dir, Home: dir})
		if err != nil {
			t.Fatal(err)
		}
		o.Permissions = checker
		o.Ask = func(_ context.Context, call *agent.ToolCall, _ permission.Decision) (agent.Answer, error) {
			in := string(call.Input)
			switch {
			case strings.Contains(in, "once"):
				return agent.Answer{Allow: true}, nil
			case strings.Contains(in, "saved"):
				return agent.Answer{Allow: true, Saved: true}, nil
			case strings.Contains(in, "dismissed"):
				return agent.Answer{Abort: true}, nil
			}
			return agent.Answer{}, nil
		}
	})
	var events []string
	_, err := r.sess.Run(t.Context(), "work", func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventDecision:
			events = append(events, "decision "+filepath.Base(summary(ev.Tool))+" "+ev.Source)
		case agent.EventToolStart:
			events = append(events, "start "+filepath.Base(summary(ev.Tool)))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"decision once user_temporary", "start once",
		"decision saved user_permanent", "start saved",
		"decision refused user_reject",
		"decision dismissed user_abort",
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}
}

func summary(c *agent.ToolCall) string { return c.Summary() }
