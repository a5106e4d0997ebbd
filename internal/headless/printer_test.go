package headless

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/tool"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// run feeds the printer one fixed session: a tool call, its result, the
// answer, then the end.
func run(p *Printer) {
	// Fixed ids and time, so that the golden files hold still.
	n := 0
	newUUID = func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
	now = func() time.Time { return time.Date(2026, 11, 23, 12, 0, 1, 0, time.UTC) }
	denied := &agent.ToolCall{ID: "toolu_0", Name: "Bash", Input: json.RawMessage(`{"command":"rm -rf /"}`)}
	p.Start(harness.Info{SessionID: "20261123T120000-abcdef", ModelID: "global.anthropic.claude-sonnet-4-6", WorkDir: "/repo",
		Tools: []string{"Bash", "Read"}, PermissionMode: "default", Version: "v0.1.0"})
	call := &agent.ToolCall{ID: "toolu_1", Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/notes.txt"}`)}
	events := []agent.Event{
		{Kind: agent.EventPermission, Tool: denied, Decision: &permission.Decision{Behavior: permission.Deny, Reason: "not allowed in -p"}},
		{Kind: agent.EventText, Text: "Let me read it."},
		{Kind: agent.EventAssistant, Message: json.RawMessage(`{"id":"msg_1","type":"message","role":"assistant","model":"global.anthropic.claude-sonnet-4-6","content":[{"text":"Let me read it.","type":"text"},{"id":"toolu_1","input":{"file_path":"/repo/notes.txt"},"name":"Read","type":"tool_use"}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"cache_creation_input_tokens":4000,"cache_read_input_tokens":0,"input_tokens":0,"output_tokens":40}}`)},
		{Kind: agent.EventUsage, Usage: cost.TurnReport{Turn: cost.Usage{OutputTokens: 40, CacheWrite5m: 4000}, TurnCost: cost.Cost{USD: 0.0156, Known: true}}},
		{Kind: agent.EventRetry, Retry: provider.RetryInfo{Attempt: 2, Max: 11, Delay: 2100 * time.Millisecond, Reason: "throttled"}},
		{Kind: agent.EventToolStart, Tool: call},
		{Kind: agent.EventToolEnd, Tool: call, Result: &tool.Result{Content: "     1\tremember the milk.\n"}},
		{Kind: agent.EventToolResults, Message: json.RawMessage(`{"content":[{"tool_use_id":"toolu_1","is_error":false,"content":[{"text":"     1\tremember the milk.\n","type":"text"}],"type":"tool_result"}],"role":"user"}`)},
		{Kind: agent.EventText, Text: "It says: remember the milk & <eggs>."},
		{Kind: agent.EventAssistant, Message: json.RawMessage(`{"id":"msg_2","type":"message","role":"assistant","model":"global.anthropic.claude-sonnet-4-6","content":[{"text":"It says: remember the milk & <eggs>.","type":"text"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"cache_creation_input_tokens":60,"cache_read_input_tokens":4000,"input_tokens":0,"output_tokens":12}}`)},
	}
	for _, ev := range events {
		p.Event(ev)
	}
	p.Finish(harness.Summary{Subtype: harness.Success, Result: "It says: remember the milk & <eggs>.", StopReason: "end_turn", SessionID: "20261123T120000-abcdef", Turns: 2,
		Duration: 1500 * time.Millisecond, APIDuration: 900 * time.Millisecond, Cost: cost.Cost{USD: 0.0174, Known: true},
		Model: "global.anthropic.claude-sonnet-4-6", Usage: cost.Usage{OutputTokens: 52, CacheWrite5m: 4060, CacheRead: 4000}})
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct {
		name   string
		opts   Options
		golden string
	}{
		{"text", Options{Format: FormatText}, "text"},
		{"text verbose", Options{Format: FormatText, Verbose: true}, "text-verbose"},
		{"json", Options{Format: FormatJSON}, "json"},
		{"stream-json", Options{Format: FormatStreamJSON}, "stream-json"},
		{"progress", Options{Format: FormatText, Progress: true}, "progress"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			tt.opts.Out, tt.opts.Err = &out, &errOut
			run(New(tt.opts))
			got := "--- stdout\n" + out.String() + "--- stderr\n" + errOut.String()
			path := filepath.Join("testdata", tt.golden+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
