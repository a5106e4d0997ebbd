package headless

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// TestPartialMessages: with PartialMessages each raw stream event becomes
// a stream_event line in order, message_start with ttft_ms; without it,
// none does.
func TestPartialMessages(t *testing.T) {
	n := 0
	newUUID = func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
	clock := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	now = func() time.Time { return clock }
	events := []string{
		`{"type":"message_start","message":{"id":"msg_1","content":[]}}`,
		`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a \u0026 b"}}`,
		`{"type":"message_stop"}`,
	}
	for _, partial := range []bool{true, false} {
		var out, errOut bytes.Buffer
		p := New(Options{Format: FormatStreamJSON, Out: &out, Err: &errOut, PartialMessages: partial})
		p.Start(harness.Info{SessionID: "s1"})
		clock = clock.Add(250 * time.Millisecond)
		for _, e := range events {
			p.Event(agent.Event{Kind: agent.EventStream, Message: json.RawMessage(e)})
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")[1:] // after init
		if !partial {
			if len(lines) != 0 {
				t.Errorf("without PartialMessages: %q", lines)
			}
			continue
		}
		want := []string{
			`{"type":"stream_event","event":{"type":"message_start","message":{"id":"msg_1","content":[]}},"session_id":"s1","parent_tool_use_id":null,"uuid":"00000000-0000-4000-8000-000000000002","ttft_ms":250}`,
			`{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a & b"}},"session_id":"s1","parent_tool_use_id":null,"uuid":"00000000-0000-4000-8000-000000000003"}`,
			`{"type":"stream_event","event":{"type":"message_stop"},"session_id":"s1","parent_tool_use_id":null,"uuid":"00000000-0000-4000-8000-000000000004"}`,
		}
		if diff := cmp.Diff(want, lines); diff != "" {
			t.Errorf("stream_event lines (-want +got):\n%s", diff)
		}
	}
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
