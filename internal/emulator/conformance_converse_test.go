package emulator_test

// The Converse API checked with aws-sdk-go-v2's bedrockruntime client, as
// Strands Agents, LangChain and boto3 scripts use it: text, a tool-use
// round trip, reasoning, cache points, guardrails, validation errors and
// faults, for Converse and ConverseStream alike.

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// convToolScenario calls Read once, then answers.
func convToolScenario(t *testing.T) *emulator.Scenario {
	return confScenario(t, map[string]any{
		"turns": []any{
			map[string]any{"thinking": "I should read the file.", "text": "Reading it.", "tool_use": []any{map[string]any{"name": "Read", "input": map[string]any{"file_path": "/tmp/a.txt"}}}},
			map[string]any{"text": "The file says hello."},
		},
		"side_reply": "a side answer",
	}, nil)
}

func convTools() *types.ToolConfiguration {
	return &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name:        aws.String("Read"),
		Description: aws.String("Read a file"),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
			"type": "object", "properties": map[string]any{"file_path": map[string]any{"type": "string"}},
		})},
	}}}}
}

func userText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// convResult is what a Converse or ConverseStream answer comes to.
type convResult struct {
	Text, Reasoning, Signature string
	ToolID, ToolName, ToolJSON string
	StopReason                 types.StopReason
	Usage                      types.TokenUsage
	Latency                    int64
	Events                     []string
}

func fromConverse(t *testing.T, out *bedrockruntime.ConverseOutput) convResult {
	t.Helper()
	var r convResult
	msg, ok := out.Output.(*types.ConverseOutputMemberMessage)
	if !ok {
		t.Fatalf("output %T, want a message", out.Output)
	}
	if msg.Value.Role != types.ConversationRoleAssistant {
		t.Errorf("role %q, want assistant", msg.Value.Role)
	}
	for _, b := range msg.Value.Content {
		switch b := b.(type) {
		case *types.ContentBlockMemberText:
			r.Text += b.Value
		case *types.ContentBlockMemberReasoningContent:
			rt, ok := b.Value.(*types.ReasoningContentBlockMemberReasoningText)
			if !ok {
				t.Fatalf("reasoning %T", b.Value)
			}
			r.Reasoning, r.Signature = aws.ToString(rt.Value.Text), aws.ToString(rt.Value.Signature)
		case *types.ContentBlockMemberToolUse:
			r.ToolID, r.ToolName = aws.ToString(b.Value.ToolUseId), aws.ToString(b.Value.Name)
			j, err := b.Value.Input.MarshalSmithyDocument()
			if err != nil {
				t.Fatal(err)
			}
			r.ToolJSON = string(j)
		default:
			t.Fatalf("content block %T", b)
		}
	}
	r.StopReason = out.StopReason
	r.Usage = *out.Usage
	r.Latency = aws.ToInt64(out.Metrics.LatencyMs)
	return r
}

func fromStream(t *testing.T, out *bedrockruntime.ConverseStreamOutput) convResult {
	t.Helper()
	var r convResult
	stream := out.GetStream()
	defer stream.Close()
	sawMetadata := false
	for ev := range stream.Events() {
		switch ev := ev.(type) {
		case *types.ConverseStreamOutputMemberMessageStart:
			r.Events = append(r.Events, "messageStart")
		case *types.ConverseStreamOutputMemberContentBlockStart:
			r.Events = append(r.Events, "contentBlockStart")
			tu := ev.Value.Start.(*types.ContentBlockStartMemberToolUse)
			r.ToolID, r.ToolName = aws.ToString(tu.Value.ToolUseId), aws.ToString(tu.Value.Name)
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			switch d := ev.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberText:
				r.Text += d.Value
			case *types.ContentBlockDeltaMemberToolUse:
				r.ToolJSON += aws.ToString(d.Value.Input)
			case *types.ContentBlockDeltaMemberReasoningContent:
				switch rd := d.Value.(type) {
				case *types.ReasoningContentBlockDeltaMemberText:
					r.Reasoning += rd.Value
				case *types.ReasoningContentBlockDeltaMemberSignature:
					r.Signature = rd.Value
				}
			}
			if n := len(r.Events); n == 0 || r.Events[n-1] != "contentBlockDelta" {
				r.Events = append(r.Events, "contentBlockDelta")
			}
		case *types.ConverseStreamOutputMemberContentBlockStop:
			r.Events = append(r.Events, "contentBlockStop")
		case *types.ConverseStreamOutputMemberMessageStop:
			r.Events = append(r.Events, "messageStop")
			r.StopReason = ev.Value.StopReason
		case *types.ConverseStreamOutputMemberMetadata:
			r.Events = append(r.Events, "metadata")
			r.Usage = *ev.Value.Usage
			r.Latency = aws.ToInt64(ev.Value.Metrics.LatencyMs)
			sawMetadata = true
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	if !sawMetadata {
		t.Fatal("stream ended without metadata")
	}
	return r
}

// converseBoth runs the same request through Converse and ConverseStream.
func converseBoth(t *testing.T, client *bedrockruntime.Client, in *bedrockruntime.ConverseInput) (plain, streamed convResult) {
	t.Helper()
	out, err := client.Converse(t.Context(), in)
	if err != nil {
		t.Fatalf("Converse: %v", err)
	}
	sout, err := client.ConverseStream(t.Context(), &bedrockruntime.ConverseStreamInput{
		ModelId: in.ModelId, Messages: in.Messages, System: in.System, ToolConfig: in.ToolConfig,
		InferenceConfig: in.InferenceConfig, AdditionalModelRequestFields: in.AdditionalModelRequestFields,
		GuardrailConfig: streamGuardrail(in.GuardrailConfig),
	})
	if err != nil {
		t.Fatalf("ConverseStream: %v", err)
	}
	return fromConverse(t, out), fromStream(t, sout)
}

func streamGuardrail(g *types.GuardrailConfiguration) *types.GuardrailStreamConfiguration {
	if g == nil {
		return nil
	}
	return &types.GuardrailStreamConfiguration{GuardrailIdentifier: g.GuardrailIdentifier, GuardrailVersion: g.GuardrailVersion, Trace: types.GuardrailTrace(g.Trace)}
}

func TestConformanceConverseText(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "Hello from Converse.")})
	client := confRuntime(srv.URL, confStaticCreds())
	plain, streamed := converseBoth(t, client, &bedrockruntime.ConverseInput{
		ModelId:         aws.String(confModel),
		Messages:        []types.Message{userText("hi")},
		System:          []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be brief."}},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(256), Temperature: aws.Float32(0.5)},
	})
	for name, r := range map[string]convResult{"Converse": plain, "ConverseStream": streamed} {
		if r.Text != "Hello from Converse." || r.StopReason != types.StopReasonEndTurn {
			t.Errorf("%s: text %q stop %q, want the side reply and end_turn", name, r.Text, r.StopReason)
		}
		u := r.Usage
		if aws.ToInt32(u.InputTokens) <= 0 || aws.ToInt32(u.OutputTokens) <= 0 ||
			aws.ToInt32(u.TotalTokens) != aws.ToInt32(u.InputTokens)+aws.ToInt32(u.OutputTokens) {
			t.Errorf("%s: usage %d in %d out %d total, want positive counts adding up", name, aws.ToInt32(u.InputTokens), aws.ToInt32(u.OutputTokens), aws.ToInt32(u.TotalTokens))
		}
		if u.CacheReadInputTokens != nil || u.CacheWriteInputTokens != nil {
			t.Errorf("%s: cache counters on a request without cache points", name)
		}
	}
	if diff := cmp.Diff([]string{"messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"}, streamed.Events); diff != "" {
		t.Errorf("stream events mismatch (-want +got):\n%s", diff)
	}
	recs := srv.Records()
	if len(recs) != 2 || recs[0].Operation != "Converse" || recs[1].Operation != "ConverseStream" || !recs[1].Stream || recs[0].MaxTokens != 256 {
		t.Errorf("ledger %+v, want a Converse and a ConverseStream record with max_tokens 256", recs)
	}
}

// TestConformanceConverseToolRoundTrip runs the two-turn scripted session
// a Converse agent (OpenCode, Strands) runs: a tool call, its result, the
// answer.
func TestConformanceConverseToolRoundTrip(t *testing.T) {
	t.Parallel()
	for _, stream := range []bool{false, true} {
		srv := confStart(t, emulator.Options{Scenario: convToolScenario(t)})
		client := confRuntime(srv.URL, confStaticCreds())
		in := &bedrockruntime.ConverseInput{
			ModelId:    aws.String(confModel),
			Messages:   []types.Message{userText("what is in /tmp/a.txt?")},
			ToolConfig: convTools(),
		}
		call := func() convResult {
			plain, streamed := converseBoth(t, client, in)
			if stream {
				return streamed
			}
			return plain
		}
		first := call()
		if first.StopReason != types.StopReasonToolUse || first.ToolName != "Read" || first.ToolJSON != `{"file_path":"/tmp/a.txt"}` ||
			!strings.HasPrefix(first.ToolID, "toolu_bdrk_") || first.Text != "Reading it." || first.Reasoning != "" {
			t.Fatalf("stream=%v: first turn %+v, want Reading it. and a Read call, no reasoning (not enabled)", stream, first)
		}
		if stream {
			want := []string{"messageStart", "contentBlockDelta", "contentBlockStop", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"}
			if diff := cmp.Diff(want, first.Events); diff != "" {
				t.Errorf("tool turn events mismatch (-want +got):\n%s", diff)
			}
		}
		in.Messages = append(in.Messages,
			types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{
				&types.ContentBlockMemberText{Value: first.Text},
				&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String(first.ToolID), Name: aws.String("Read"), Input: document.NewLazyDocument(map[string]any{"file_path": "/tmp/a.txt"})}},
			}},
			types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
				&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String(first.ToolID), Content: []types.ToolResultContentBlock{
					&types.ToolResultContentBlockMemberText{Value: "hello"},
					&types.ToolResultContentBlockMemberJson{Value: document.NewLazyDocument(map[string]any{"bytes": 5})},
				}}},
			}},
		)
		second := call()
		if second.Text != "The file says hello." || second.StopReason != types.StopReasonEndTurn || second.ToolName != "" {
			t.Errorf("stream=%v: second turn %+v, want the answer and end_turn", stream, second)
		}
	}
}

func TestConformanceConverseReasoning(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: convToolScenario(t)})
	client := confRuntime(srv.URL, confStaticCreds())
	plain, streamed := converseBoth(t, client, &bedrockruntime.ConverseInput{
		ModelId:         aws.String(confModel),
		Messages:        []types.Message{userText("read it")},
		ToolConfig:      convTools(),
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(4096)},
		AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{
			"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024},
		}),
	})
	for name, r := range map[string]convResult{"Converse": plain, "ConverseStream": streamed} {
		if r.Reasoning != "I should read the file." || r.Signature == "" {
			t.Errorf("%s: reasoning %q signature %q, want the scripted thinking, signed", name, r.Reasoning, r.Signature)
		}
	}
	if recs := srv.Records(); recs[0].ThinkingBudget != 1024 {
		t.Errorf("ledger thinking budget %d, want 1024", recs[0].ThinkingBudget)
	}
}

// TestConformanceConverseCachePoints checks cache points at 1h on the
// tools and 5m on the system prompt: written on the first request with
// the TTL breakdown, read on the second, and billed exactly as the same
// prompt sent through InvokeModel with cache_control.
func TestConformanceConverseCachePoints(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "cached")})
	client := confRuntime(srv.URL, confStaticCreds())
	long := strings.Repeat("You are a careful assistant who reads every file twice. ", 100)
	tools := convTools()
	// Long enough that the tools alone reach the model's 1,024-token
	// minimum, so their 1h entry is written.
	tools.Tools[0].(*types.ToolMemberToolSpec).Value.Description = aws.String(long)
	tools.Tools = append(tools.Tools, &types.ToolMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault, Ttl: types.CacheTTLOneHour}})
	tools.ToolChoice = nil
	in := &bedrockruntime.ConverseInput{
		ModelId: aws.String(confModel),
		System: []types.SystemContentBlock{
			&types.SystemContentBlockMemberText{Value: long},
			&types.SystemContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}},
		},
		Messages: []types.Message{userText("hi")},
	}
	first, err := client.Converse(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	u := first.Usage
	write := aws.ToInt32(u.CacheWriteInputTokens)
	if write < 1024 || aws.ToInt32(u.CacheReadInputTokens) != 0 {
		t.Fatalf("first request: write %d read %d, want a write of the system prompt (≥1024) and no read", write, aws.ToInt32(u.CacheReadInputTokens))
	}
	if len(u.CacheDetails) != 1 || u.CacheDetails[0].Ttl != types.CacheTTLFiveMinutes || aws.ToInt32(u.CacheDetails[0].InputTokens) != write {
		t.Errorf("cacheDetails %+v, want one 5m entry of %d", u.CacheDetails, write)
	}
	if total := aws.ToInt32(u.TotalTokens); total != aws.ToInt32(u.InputTokens)+aws.ToInt32(u.OutputTokens)+write {
		t.Errorf("totalTokens %d, want input+output+cache write", total)
	}

	sout, err := client.ConverseStream(t.Context(), &bedrockruntime.ConverseStreamInput{ModelId: in.ModelId, System: in.System, Messages: in.Messages})
	if err != nil {
		t.Fatal(err)
	}
	second := fromStream(t, sout)
	if aws.ToInt32(second.Usage.CacheReadInputTokens) != write || aws.ToInt32(second.Usage.CacheWriteInputTokens) != 0 {
		t.Errorf("second request: read %d write %d, want read %d", aws.ToInt32(second.Usage.CacheReadInputTokens), aws.ToInt32(second.Usage.CacheWriteInputTokens), write)
	}

	// CountTokens with input.converse counts the whole input.
	ct, err := client.CountTokens(t.Context(), &bedrockruntime.CountTokensInput{
		ModelId: aws.String("anthropic.claude-sonnet-4-6"),
		Input:   &types.CountTokensInputMemberConverse{Value: types.ConverseTokensRequest{System: in.System, Messages: in.Messages}},
	})
	if err != nil {
		t.Fatalf("CountTokens: %v", err)
	}
	if got, want := aws.ToInt32(ct.InputTokens), aws.ToInt32(u.InputTokens)+write; got != want {
		t.Errorf("CountTokens(input.converse) = %d, want %d (input + cache write of the same request)", got, want)
	}

	// A 1h cache point after the tools, then the 5m one: tools at 1h.
	in.ToolConfig = tools
	in.Messages = []types.Message{userText("another")}
	third, err := client.Converse(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	var ttls []types.CacheTTL
	for _, d := range third.Usage.CacheDetails {
		ttls = append(ttls, d.Ttl)
	}
	if diff := cmp.Diff([]types.CacheTTL{types.CacheTTLOneHour, types.CacheTTLFiveMinutes}, ttls); diff != "" {
		t.Errorf("cacheDetails TTLs mismatch (-want +got):\n%s", diff)
	}
	if recs := srv.Records(); cmp.Diff([]string{"1h", "5m"}, recs[len(recs)-1].TTLs) != "" {
		t.Errorf("ledger TTLs %v, want [1h 5m]", recs[len(recs)-1].TTLs)
	}
}

func TestConformanceConverseGuardrail(t *testing.T) {
	t.Parallel()
	g, err := emulator.ParseGuardrail("gr7xk2m9p4q1:3:(?i)secret project")
	if err != nil {
		t.Fatal(err)
	}
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "model answer"), Guardrails: []emulator.Guardrail{g}})
	client := confRuntime(srv.URL, confStaticCreds())
	gc := &types.GuardrailConfiguration{GuardrailIdentifier: aws.String("gr7xk2m9p4q1"), GuardrailVersion: aws.String("3"), Trace: types.GuardrailTraceEnabled}
	blocked, blockedStream := converseBoth(t, client, &bedrockruntime.ConverseInput{
		ModelId: aws.String(confModel), Messages: []types.Message{userText("Tell me about the Secret Project")}, GuardrailConfig: gc,
	})
	for name, r := range map[string]convResult{"Converse": blocked, "ConverseStream": blockedStream} {
		if r.StopReason != types.StopReasonGuardrailIntervened || r.Text != "Sorry, the model cannot answer this question." {
			t.Errorf("%s: %q %q, want the blocked message and guardrail_intervened", name, r.Text, r.StopReason)
		}
	}
	out, err := client.Converse(t.Context(), &bedrockruntime.ConverseInput{
		ModelId: aws.String(confModel), Messages: []types.Message{userText("Tell me about the Secret Project")}, GuardrailConfig: gc,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Trace == nil || out.Trace.Guardrail == nil || out.Trace.Guardrail.InputAssessment["gr7xk2m9p4q1"].SensitiveInformationPolicy == nil {
		t.Errorf("trace %+v, want the guardrail's input assessment", out.Trace)
	}

	// With guardContent, only the guarded text is assessed.
	passed, err := client.Converse(t.Context(), &bedrockruntime.ConverseInput{
		ModelId: aws.String(confModel), GuardrailConfig: gc,
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
			&types.ContentBlockMemberText{Value: "context: the secret project"},
			&types.ContentBlockMemberGuardContent{Value: &types.GuardrailConverseContentBlockMemberText{Value: types.GuardrailConverseTextBlock{Text: aws.String("what is the weather?")}}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := fromConverse(t, passed); r.StopReason != types.StopReasonEndTurn || r.Text != "model answer" {
		t.Errorf("guardContent outside the pattern: %q %q, want the model's answer", r.Text, r.StopReason)
	}

	_, err = client.Converse(t.Context(), &bedrockruntime.ConverseInput{
		ModelId: aws.String(confModel), Messages: []types.Message{userText("hi")},
		GuardrailConfig: &types.GuardrailConfiguration{GuardrailIdentifier: aws.String("nosuchguard"), GuardrailVersion: aws.String("1")},
	})
	checkAPIError(t, "Converse unknown guardrail", err, "ValidationException", "The guardrail identifier or version provided in the request does not exist.", 400)
}

func TestConformanceConverseErrors(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: convToolScenario(t)})
	client := confRuntime(srv.URL, confStaticCreds())
	assistant := types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "ok"}}}
	toolUse := types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{
		&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("t1"), Name: aws.String("Read"), Input: document.NewLazyDocument(map[string]any{})}},
	}}
	cases := []struct {
		name string
		in   bedrockruntime.ConverseInput
		want string
	}{
		{"starts with assistant", bedrockruntime.ConverseInput{Messages: []types.Message{assistant}},
			"A conversation must start with a user message. Try again with a conversation that starts with a user message."},
		{"two user turns", bedrockruntime.ConverseInput{Messages: []types.Message{userText("a"), userText("b")}},
			"A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."},
		{"tool use without toolConfig", bedrockruntime.ConverseInput{Messages: []types.Message{userText("a"), toolUse, userText("b")}},
			"The toolConfig field must be defined when using toolUse and toolResult content blocks."},
		{"zero maxTokens", bedrockruntime.ConverseInput{Messages: []types.Message{userText("a")}, InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(0)}},
			"1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"blank text", bedrockruntime.ConverseInput{Messages: []types.Message{userText(" ")}},
			"The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again."},
		{"unknown model field", bedrockruntime.ConverseInput{Messages: []types.Message{userText("a")}, AdditionalModelRequestFields: document.NewLazyDocument(map[string]any{"frobnicate": true})},
			"Malformed input request: #: extraneous key [frobnicate] is not permitted, please reformat your input and try again."},
		{"stray tool result", bedrockruntime.ConverseInput{ToolConfig: convTools(), Messages: []types.Message{userText("a"), assistant, {Role: types.ConversationRoleUser, Content: []types.ContentBlock{
			&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("t9"), Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "x"}}}},
		}}}},
			"The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."},
	}
	for _, tc := range cases {
		tc.in.ModelId = aws.String(confModel)
		_, err := client.Converse(t.Context(), &tc.in)
		checkAPIError(t, tc.name, err, "ValidationException", tc.want, 400)
	}
	_, err := client.Converse(t.Context(), &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-sonnet-4-6"), Messages: []types.Message{userText("a")}})
	checkAPIError(t, "foundation model", err, "ValidationException", "Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", 400)
	_, err = client.ConverseStream(t.Context(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("no.such.model"), Messages: []types.Message{userText("a")}})
	checkAPIError(t, "ConverseStream unknown model", err, "ValidationException", "The provided model identifier is invalid.", 400)
}

func TestConformanceConverseFaults(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "x"), Faults: confFaults(t, "throttle=1")})
	client := confRuntime(srv.URL, confStaticCreds())
	_, err := client.Converse(t.Context(), &bedrockruntime.ConverseInput{ModelId: aws.String(confModel), Messages: []types.Message{userText("a")}})
	checkAPIError(t, "Converse throttled", err, "ThrottlingException", "Too many requests, please wait before trying again.", http.StatusTooManyRequests)
	var te *types.ThrottlingException
	if !errors.As(err, &te) {
		t.Errorf("Converse throttled: %T, want *types.ThrottlingException", err)
	}
	_, err = client.ConverseStream(t.Context(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(confModel), Messages: []types.Message{userText("a")}})
	checkAPIError(t, "ConverseStream throttled", err, "ThrottlingException", "Too many requests, please wait before trying again.", http.StatusTooManyRequests)

	srv = confStart(t, emulator.Options{Scenario: confSideReply(t, strings.Repeat("a streamed answer ", 20)), Faults: confFaults(t, "stream-error=1,seed=1")})
	client = confRuntime(srv.URL, confStaticCreds())
	seen := map[string]bool{}
	for range 12 {
		out, err := client.ConverseStream(t.Context(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(confModel), Messages: []types.Message{userText("a")}})
		if err != nil {
			t.Fatal(err)
		}
		stream := out.GetStream()
		for range stream.Events() {
		}
		stream.Close()
		var me *types.ModelStreamErrorException
		switch err := stream.Err(); {
		case errors.As(err, &te):
			seen["throttling"] = true
		case errors.As(err, &me):
			seen["modelStreamError"] = true
		default:
			t.Fatalf("stream.Err() = %v, want an in-stream exception", err)
		}
	}
	if len(seen) != 2 {
		t.Errorf("in-stream exceptions seen %v, want both kinds", seen)
	}
}
