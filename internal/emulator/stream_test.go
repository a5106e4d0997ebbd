package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fiveBlocks is a scripted turn of five blocks: thinking, text and three
// tool calls, one with an input long enough to span several deltas.
const fiveBlocks = `{"turns":[{
	"thinking": "The user wants the tests fixed. Read first.",
	"text": "I'll look at the code and run the tests.",
	"tool_use": [
		{"name": "Read", "input": {"file_path": "/repo/main.go"}},
		{"name": "Bash", "input": {"command": "go test ./... -run TestEverythingThatCouldPossiblyFail -count=1", "description": "run the tests"}},
		{"name": "Grep", "input": {"pattern": "func Test", "path": "/repo"}}
	]}]}`

func thinkingBody(extra map[string]any) []byte {
	m := map[string]any{
		"max_tokens": 4096, "tools": oneTool,
		"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024},
	}
	for k, v := range extra {
		m[k] = v
	}
	return reqBody(m)
}

func TestStreamFiveBlocks(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	s := testServer(t, Options{Scenario: scenarioFrom(t, fiveBlocks), Now: func() time.Time { return clock }})
	w := send(t, s, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", thinkingBody(nil))
	mustStatus(t, w, http.StatusOK)
	for h, want := range map[string]string{
		"Content-Type":                "application/vnd.amazon.eventstream",
		"X-Amzn-Bedrock-Content-Type": "application/json",
	} {
		if got := w.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	frames := decodeFrames(t, w.Body.Bytes())
	want := []string{
		"message_start",
		"content_block_start:thinking", "content_block_delta:thinking_delta", "content_block_delta:signature_delta", "content_block_stop",
		"content_block_start:text", "content_block_delta:text_delta", "content_block_stop",
		"content_block_start:tool_use", "content_block_delta:input_json_delta", "content_block_delta:input_json_delta", "content_block_stop",
		"content_block_start:tool_use", "content_block_delta:input_json_delta",
		"content_block_delta:input_json_delta", "content_block_delta:input_json_delta", "content_block_delta:input_json_delta", "content_block_stop",
		"content_block_start:tool_use", "content_block_delta:input_json_delta", "content_block_delta:input_json_delta", "content_block_stop",
		"message_delta", "message_stop",
	}
	if diff := cmp.Diff(want, eventNames(frames)); diff != "" {
		t.Fatalf("event sequence mismatch (-want +got):\n%s", diff)
	}
	for i, f := range frames {
		if f.MessageType != "event" || f.EventType != "chunk" {
			t.Errorf("frame %d: :message-type %q :event-type %q", i, f.MessageType, f.EventType)
		}
	}

	// Reassemble the message as a client does.
	var (
		start struct {
			Message messageJSON `json:"message"`
		}
		inputs   = map[int]string{}
		ids      = map[string]bool{}
		thinking string
		sig      string
		text     string
		delta    evMessageDelta
		stop     evMessageStop
	)
	json.Unmarshal(frames[0].Raw, &start)
	for _, f := range frames {
		idx := int(toFloat(f.Event["index"]))
		switch f.Event["type"] {
		case "content_block_start":
			cb := f.Event["content_block"].(map[string]any)
			if cb["type"] == "tool_use" {
				id := cb["id"].(string)
				if !strings.HasPrefix(id, "toolu_bdrk_") || ids[id] {
					t.Errorf("tool_use id %q: want a new toolu_bdrk_ ID", id)
				}
				ids[id] = true
			}
		case "content_block_delta":
			d := f.Event["delta"].(map[string]any)
			switch d["type"] {
			case "thinking_delta":
				thinking += d["thinking"].(string)
			case "signature_delta":
				sig = d["signature"].(string)
			case "text_delta":
				text += d["text"].(string)
			case "input_json_delta":
				inputs[idx] += d["partial_json"].(string)
			}
		case "message_delta":
			json.Unmarshal(f.Raw, &delta)
		case "message_stop":
			json.Unmarshal(f.Raw, &stop)
		}
	}
	m := start.Message
	if !strings.HasPrefix(m.ID, "msg_bdrk_") || m.Model != "claude-sonnet-4-6" || len(m.Content) != 0 || m.StopReason != nil || m.Usage.OutputTokens != 1 {
		t.Errorf("message_start message = %+v", m)
	}
	if thinking != "The user wants the tests fixed. Read first." || sig == "" {
		t.Errorf("thinking %q, signature %q", thinking, sig)
	}
	if text != "I'll look at the code and run the tests." {
		t.Errorf("text %q", text)
	}
	wantInputs := map[int]string{
		2: `{"file_path":"/repo/main.go"}`,
		3: `{"command":"go test ./... -run TestEverythingThatCouldPossiblyFail -count=1","description":"run the tests"}`,
		4: `{"path":"/repo","pattern":"func Test"}`,
	}
	if diff := cmp.Diff(wantInputs, inputs); diff != "" {
		t.Errorf("tool inputs mismatch (-want +got):\n%s", diff)
	}

	// Output tokens: ⌈bytes/4⌉ of each block's JSON.
	out := 0
	for _, b := range []string{
		`{"type":"thinking","thinking":"The user wants the tests fixed. Read first.","signature":"` + sig + `"}`,
		`{"type":"text","text":"I'll look at the code and run the tests."}`,
	} {
		out += estimateTokens([]byte(b))
	}
	for i := 2; i <= 4; i++ {
		out += estimateTokens([]byte(`{"type":"tool_use","id":"toolu_bdrk_01xxxxxxxxxxxxxxxxxxxxxx","name":"` + []string{"Read", "Bash", "Grep"}[i-2] + `","input":` + inputs[i] + `}`))
	}
	if delta.Delta.StopReason != "tool_use" || delta.Delta.StopSequence != nil || delta.Usage.OutputTokens != out {
		t.Errorf("message_delta = %+v, want stop_reason tool_use and %d output tokens", delta, out)
	}
	wantMetrics := metricsJSON{InputTokenCount: m.Usage.InputTokens, OutputTokenCount: out}
	if diff := cmp.Diff(wantMetrics, stop.Metrics); diff != "" {
		t.Errorf("invocation metrics mismatch (-want +got):\n%s", diff)
	}
	if stop.GuardrailAction != "" || stop.Trace != nil {
		t.Errorf("guardrail fields without a guardrail: %+v", stop)
	}
}

func toFloat(v any) float64 {
	f, _ := v.(float64)
	return f
}

func TestInvokeFiveBlocks(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{Scenario: scenarioFrom(t, fiveBlocks)})
	w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", thinkingBody(nil), hdrLatency, "optimized", hdrServiceTier, "priority")
	mustStatus(t, w, http.StatusOK)
	var m messageJSON
	var raw map[string]json.RawMessage
	json.Unmarshal(w.Body.Bytes(), &m)
	json.Unmarshal(w.Body.Bytes(), &raw)
	var types []string
	out := 0
	for _, b := range m.Content {
		types = append(types, b.Type)
	}
	var content []json.RawMessage
	json.Unmarshal(raw["content"], &content)
	for _, c := range content {
		out += estimateTokens(c)
	}
	if diff := cmp.Diff([]string{"thinking", "text", "tool_use", "tool_use", "tool_use"}, types); diff != "" {
		t.Errorf("content mismatch (-want +got):\n%s", diff)
	}
	if *m.StopReason != "tool_use" || m.Usage.OutputTokens != out {
		t.Errorf("stop_reason %s, output %d; want tool_use, %d", *m.StopReason, m.Usage.OutputTokens, out)
	}
	if string(raw["stop_sequence"]) != "null" {
		t.Errorf("stop_sequence = %s, want null", raw["stop_sequence"])
	}
	if !strings.Contains(string(raw["usage"]), `"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}`) {
		t.Errorf("usage %s", raw["usage"])
	}
	for h, want := range map[string]string{
		"Content-Type":                                "application/json",
		"X-Amzn-Bedrock-Input-Token-Count":            strconv.Itoa(m.Usage.InputTokens),
		"X-Amzn-Bedrock-Output-Token-Count":           strconv.Itoa(out),
		"X-Amzn-Bedrock-PerformanceConfig-Latency":    "optimized",
		"X-Amzn-Bedrock-Service-Tier":                 "priority",
		"X-Amzn-Bedrock-Cache-Read-Input-Token-Count": "",
	} {
		if got := w.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	for _, h := range []string{"x-amzn-RequestId", "X-Amzn-Bedrock-Invocation-Latency"} {
		if w.Header().Get(h) == "" {
			t.Errorf("no %s", h)
		}
	}
}

func TestCacheReported(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	long := strings.Repeat("stable system prompt ", 400) // ~2,100 tokens, above Sonnet 4.6's 1,024
	body := reqBody(map[string]any{"system": []any{map[string]any{"type": "text", "text": long, "cache_control": map[string]any{"type": "ephemeral"}}}})
	first := send(t, s, "POST", "/model/"+sonnet46+"/invoke", body)
	second := send(t, s, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", body)
	var m messageJSON
	json.Unmarshal(first.Body.Bytes(), &m)
	if m.Usage.CacheCreationInputTokens == 0 || m.Usage.CacheCreation.Ephemeral5m != m.Usage.CacheCreationInputTokens {
		t.Fatalf("first request usage %+v: want a 5m cache write", m.Usage)
	}
	if got := first.Header().Get("X-Amzn-Bedrock-Cache-Write-Input-Token-Count"); got != strconv.Itoa(m.Usage.CacheCreationInputTokens) {
		t.Errorf("cache write header %q", got)
	}
	frames := decodeFrames(t, second.Body.Bytes())
	var start struct {
		Message messageJSON `json:"message"`
	}
	json.Unmarshal(frames[0].Raw, &start)
	var stop evMessageStop
	json.Unmarshal(frames[len(frames)-1].Raw, &stop)
	if start.Message.Usage.CacheReadInputTokens != m.Usage.CacheCreationInputTokens ||
		stop.Metrics.CacheReadInputTokenCount != m.Usage.CacheCreationInputTokens || stop.Metrics.CacheWriteInputTokenCount != 0 {
		t.Errorf("second request: message_start usage %+v, metrics %+v; want a read of %d", start.Message.Usage, stop.Metrics, m.Usage.CacheCreationInputTokens)
	}
}

func TestStopConditions(t *testing.T) {
	t.Parallel()
	sc := scenarioFrom(t, `{"turns":[{"text":"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu","tool_use":[{"name":"Read","input":{"file_path":"/a/very/long/path/to/some/file/that/will/not/fit.go"}}]}],
		"side_reply":"one two STOP three"}`)
	s := testServer(t, Options{Scenario: sc})
	textTokens := estimateTokens([]byte(`{"type":"text","text":"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"}`))
	tests := []struct {
		name       string
		body       []byte
		stopReason string
		stopSeq    string
		events     []string
		output     int
	}{
		{"max_tokens cuts the text", reqBody(map[string]any{"tools": oneTool, "max_tokens": 10}), "max_tokens", "",
			[]string{"message_start", "content_block_start:text", "content_block_delta:text_delta", "content_block_stop", "message_delta", "message_stop"}, 10},
		{"max_tokens cuts the tool call", reqBody(map[string]any{"tools": oneTool, "max_tokens": textTokens + 30}), "max_tokens", "",
			[]string{"message_start", "content_block_start:text", "content_block_delta:text_delta", "content_block_delta:text_delta", "content_block_stop",
				"content_block_start:tool_use", "content_block_delta:input_json_delta", "content_block_delta:input_json_delta", "content_block_stop", "message_delta", "message_stop"}, textTokens + 30},
		{"max_tokens of one", reqBody(map[string]any{"max_tokens": 1}), "max_tokens", "",
			[]string{"message_start", "content_block_start:text", "content_block_delta:text_delta", "content_block_stop", "message_delta", "message_stop"}, 1},
		{"stop sequence", reqBody(map[string]any{"stop_sequences": []any{"STOP", "three"}}), "stop_sequence", "STOP",
			[]string{"message_start", "content_block_start:text", "content_block_delta:text_delta", "content_block_stop", "message_delta", "message_stop"},
			estimateTokens([]byte(`{"type":"text","text":"one two "}`))},
		{"stop sequence at the start", reqBody(map[string]any{"stop_sequences": []any{"one"}}), "stop_sequence", "one",
			[]string{"message_start", "message_delta", "message_stop"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", tt.body)
			frames := decodeFrames(t, w.Body.Bytes())
			if diff := cmp.Diff(tt.events, eventNames(frames)); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
			var d evMessageDelta
			json.Unmarshal(frames[len(frames)-2].Raw, &d)
			seq := ""
			if d.Delta.StopSequence != nil {
				seq = *d.Delta.StopSequence
			}
			if d.Delta.StopReason != tt.stopReason || seq != tt.stopSeq || d.Usage.OutputTokens != tt.output {
				t.Errorf("message_delta %+v (stop_sequence %q), want %s %q %d", d, seq, tt.stopReason, tt.stopSeq, tt.output)
			}
			// The same request without streaming agrees.
			nw := send(t, s, "POST", "/model/"+sonnet46+"/invoke", tt.body)
			var m messageJSON
			json.Unmarshal(nw.Body.Bytes(), &m)
			if *m.StopReason != tt.stopReason || m.Usage.OutputTokens != tt.output {
				t.Errorf("invoke: stop_reason %s, output %d", *m.StopReason, m.Usage.OutputTokens)
			}
		})
	}
}

func TestTruncatedToolInputIsPartial(t *testing.T) {
	t.Parallel()
	sc := scenarioFrom(t, `{"turns":[{"tool_use":[{"name":"Write","input":{"file_path":"/x.go","content":"`+strings.Repeat(`package main\n`, 40)+`"}}]}]}`)
	s := testServer(t, Options{Scenario: sc})
	body := reqBody(map[string]any{"tools": oneTool, "max_tokens": 40})
	frames := decodeFrames(t, send(t, s, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", body).Body.Bytes())
	partial := ""
	for _, f := range frames {
		if d, ok := f.Event["delta"].(map[string]any); ok && d["type"] == "input_json_delta" {
			partial += d["partial_json"].(string)
		}
	}
	if partial == "" || json.Valid([]byte(partial)) || !strings.HasPrefix(partial, `{"content":"package main\n`) {
		t.Errorf("partial input %q: want a non-empty prefix that is not valid JSON", partial)
	}
	var m messageJSON
	json.Unmarshal(send(t, s, "POST", "/model/"+sonnet46+"/invoke", body).Body.Bytes(), &m)
	if len(m.Content) != 1 || string(mustJSON(m.Content[0])) == "" || !strings.Contains(string(mustJSON(m.Content[0])), `"input":{}`) {
		t.Errorf("non-stream truncated tool call %s: want input {}", mustJSON(m.Content))
	}
}

func TestPieces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"short", []string{"short"}},
		{strings.Repeat("word ", 12), []string{strings.Repeat("word ", 9), strings.Repeat("word ", 3)}},
		{strings.Repeat("x", 100), []string{strings.Repeat("x", 48), strings.Repeat("x", 48), "xxxx"}},
		{strings.Repeat("é", 30), []string{strings.Repeat("é", 24), strings.Repeat("é", 6)}},
	}
	for _, tt := range tests {
		got := pieces(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("pieces(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
		if strings.Join(got, "") != tt.in {
			t.Errorf("pieces(%q) lose text", tt.in)
		}
	}
}
