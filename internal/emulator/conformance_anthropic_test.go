package emulator_test

// The Anthropic Go SDK's bedrock adapter against the emulator: the client
// basalt itself is built on (DESIGN.md §2, §5), driving a scripted
// multi-turn tool-use conversation through Messages.NewStreaming and
// message.Accumulate, with the prompt cache read on the second request.

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/bedrock"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// confAnthropic returns an Anthropic client that talks to the emulator at
// baseURL through the bedrock adapter, signing with the conformance key.
// WithBaseURL must come after bedrock.WithConfig, which sets the real host.
func confAnthropic(baseURL string, opts ...option.RequestOption) anthropic.Client {
	cfg := aws.Config{Region: confRegion, Credentials: confStaticCreds()}
	return anthropic.NewClient(append([]option.RequestOption{
		bedrock.WithConfig(cfg),
		option.WithBaseURL(baseURL),
		option.WithMaxRetries(0),
	}, opts...)...)
}

// blockView is what the tests compare of a content block.
type blockView struct {
	Type, Text, Name, Input string
}

func viewBlocks(t *testing.T, blocks []anthropic.ContentBlockUnion) []blockView {
	t.Helper()
	var out []blockView
	for _, b := range blocks {
		v := blockView{Type: b.Type, Text: b.Text, Name: b.Name}
		if b.Type == "tool_use" {
			var buf bytes.Buffer
			if err := json.Compact(&buf, b.Input); err != nil {
				t.Fatalf("tool_use input %q is not JSON: %v", b.Input, err)
			}
			v.Input = buf.String()
			if b.ID == "" {
				t.Errorf("tool_use block without an id")
			}
		}
		out = append(out, v)
	}
	return out
}

// confSystemPrompt is long enough (≈ 5,000 estimated tokens) to pass every
// model's minimum cacheable length (reference §7: at most 4,096).
var confSystemPrompt = strings.Repeat("You are a careful coding agent working in a scratch repository. ", 320)

func TestConformanceAnthropicToolUse(t *testing.T) {
	t.Parallel()
	const file = "/repo/main.go"
	scenario := confScenario(t, map[string]any{
		"turns": []any{
			map[string]any{
				"text":     "I'll read the file first.",
				"tool_use": []any{map[string]any{"name": "Read", "input": map[string]any{"file_path": "{{FILE}}"}}},
			},
			map[string]any{"text": "The program prints hello, world."},
		},
		"side_reply": "side answer",
	}, map[string]string{"FILE": file})
	srv := confStart(t, emulator.Options{Scenario: scenario})
	client := confAnthropic(srv.URL)

	readTool := anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{
		Name:        "Read",
		Description: anthropic.String("Read a file from the local filesystem."),
		InputSchema: anthropic.ToolInputSchemaParam{
			Properties: map[string]any{"file_path": map[string]any{"type": "string"}},
			Required:   []string{"file_path"},
		},
	}}
	params := anthropic.MessageNewParams{
		Model:     anthropic.Model(confModel),
		MaxTokens: 1024,
		System:    []anthropic.TextBlockParam{{Text: confSystemPrompt, CacheControl: anthropic.NewCacheControlEphemeralParam()}},
		Tools:     []anthropic.ToolUnionParam{readTool},
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("What does main.go print?"))},
	}

	stream := func(params anthropic.MessageNewParams) anthropic.Message {
		t.Helper()
		s := client.Messages.NewStreaming(t.Context(), params)
		defer s.Close()
		var msg anthropic.Message
		var events []string
		for s.Next() {
			ev := s.Current()
			events = append(events, ev.Type)
			if err := msg.Accumulate(ev); err != nil {
				t.Fatalf("Accumulate(%s): %v", ev.Type, err)
			}
		}
		if err := s.Err(); err != nil {
			t.Fatalf("stream: %v (events %v)", err, events)
		}
		if len(events) == 0 || events[0] != "message_start" || events[len(events)-1] != "message_stop" {
			t.Errorf("events %v: want message_start … message_stop", events)
		}
		return msg
	}

	// Turn 1: the scenario's tool call.
	first := stream(params)
	want1 := []blockView{
		{Type: "text", Text: "I'll read the file first."},
		{Type: "tool_use", Name: "Read", Input: `{"file_path":"/repo/main.go"}`},
	}
	if diff := cmp.Diff(want1, viewBlocks(t, first.Content)); diff != "" {
		t.Errorf("turn 1 content mismatch (-want +got):\n%s", diff)
	}
	if first.StopReason != anthropic.StopReasonToolUse {
		t.Errorf("turn 1 stop_reason = %q, want tool_use", first.StopReason)
	}
	if first.Role != "assistant" || first.ID == "" {
		t.Errorf("turn 1 role %q id %q", first.Role, first.ID)
	}
	u1 := first.Usage
	if u1.CacheCreationInputTokens <= 0 || u1.CacheReadInputTokens != 0 {
		t.Errorf("turn 1 usage: cache write %d read %d, want a write and no read", u1.CacheCreationInputTokens, u1.CacheReadInputTokens)
	}
	if u1.CacheCreation.Ephemeral5mInputTokens != u1.CacheCreationInputTokens || u1.CacheCreation.Ephemeral1hInputTokens != 0 {
		t.Errorf("turn 1 cache_creation = %+v, want all %d tokens in ephemeral_5m", u1.CacheCreation, u1.CacheCreationInputTokens)
	}
	if u1.CacheCreationInputTokens < int64(len(confSystemPrompt)/4) {
		t.Errorf("turn 1 cache write %d tokens, want at least the system prompt's %d", u1.CacheCreationInputTokens, len(confSystemPrompt)/4)
	}
	if u1.InputTokens <= 0 || u1.OutputTokens <= 0 {
		t.Errorf("turn 1 usage: input %d output %d, want both > 0", u1.InputTokens, u1.OutputTokens)
	}

	// Turn 2: send the tool result back; the cached prefix must be read.
	toolUse := first.Content[len(first.Content)-1]
	params2 := params
	params2.Messages = append(append([]anthropic.MessageParam(nil), params.Messages...),
		first.ToParam(),
		anthropic.NewUserMessage(anthropic.NewToolResultBlock(toolUse.ID, "package main\n\nfunc main() { println(\"hello, world\") }\n", false)),
	)
	second := stream(params2)
	want2 := []blockView{{Type: "text", Text: "The program prints hello, world."}}
	if diff := cmp.Diff(want2, viewBlocks(t, second.Content)); diff != "" {
		t.Errorf("turn 2 content mismatch (-want +got):\n%s", diff)
	}
	if second.StopReason != anthropic.StopReasonEndTurn {
		t.Errorf("turn 2 stop_reason = %q, want end_turn", second.StopReason)
	}
	u2 := second.Usage
	if u2.CacheReadInputTokens != u1.CacheCreationInputTokens || u2.CacheCreationInputTokens != 0 {
		t.Errorf("turn 2 usage: cache read %d write %d, want read %d (turn 1's write) and no write", u2.CacheReadInputTokens, u2.CacheCreationInputTokens, u1.CacheCreationInputTokens)
	}
	if u2.InputTokens <= u1.InputTokens {
		t.Errorf("turn 2 uncached input %d, want more than turn 1's %d (the conversation grew)", u2.InputTokens, u1.InputTokens)
	}

	// The same first request without streaming: turn 1 again, now cached.
	t.Run("non-streaming", func(t *testing.T) {
		msg, err := client.Messages.New(t.Context(), params)
		if err != nil {
			t.Fatalf("Messages.New: %v", err)
		}
		if diff := cmp.Diff(want1, viewBlocks(t, msg.Content)); diff != "" {
			t.Errorf("content mismatch (-want +got):\n%s", diff)
		}
		if msg.StopReason != anthropic.StopReasonToolUse {
			t.Errorf("stop_reason = %q, want tool_use", msg.StopReason)
		}
		u := msg.Usage
		if u.CacheReadInputTokens != u1.CacheCreationInputTokens || u.CacheCreationInputTokens != 0 {
			t.Errorf("usage: cache read %d write %d, want read %d and no write", u.CacheReadInputTokens, u.CacheCreationInputTokens, u1.CacheCreationInputTokens)
		}
		if got, want := u.InputTokens+u.CacheReadInputTokens+u.CacheCreationInputTokens, u1.InputTokens+u1.CacheReadInputTokens+u1.CacheCreationInputTokens; got != want {
			t.Errorf("total input %d, want %d as for the identical streamed request", got, want)
		}
	})

	// The ledger saw what the client sent and reported what it billed.
	t.Run("ledger", func(t *testing.T) {
		recs := srv.Records()
		if len(recs) < 2 {
			t.Fatalf("%d ledger records, want the two streamed turns first", len(recs))
		}
		type view struct {
			Operation, Model, Auth string
			Stream                 bool
			MaxTokens, Breakpoints int
			TTLs                   []string
			In, Write, Read, Out   int
		}
		var got []view
		for _, r := range recs[:2] {
			got = append(got, view{r.Operation, r.Model, r.Auth, r.Stream, r.MaxTokens, r.Breakpoints, r.TTLs,
				r.InputTokens, r.CacheCreationInputTokens, r.CacheReadInputTokens, r.OutputTokens})
		}
		want := []view{
			{"InvokeModelWithResponseStream", confModel, "sigv4", true, 1024, 1, []string{"5m"},
				int(u1.InputTokens), int(u1.CacheCreationInputTokens), int(u1.CacheReadInputTokens), int(u1.OutputTokens)},
			{"InvokeModelWithResponseStream", confModel, "sigv4", true, 1024, 1, []string{"5m"},
				int(u2.InputTokens), int(u2.CacheCreationInputTokens), int(u2.CacheReadInputTokens), int(u2.OutputTokens)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ledger mismatch (-want +got):\n%s", diff)
		}
	})

	// A request without tools is a side request (title generation and the
	// like) and gets the scenario's side_reply.
	t.Run("side request", func(t *testing.T) {
		msg, err := client.Messages.New(t.Context(), anthropic.MessageNewParams{
			Model:     anthropic.Model(confDatedModel),
			MaxTokens: 50,
			Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Summarise this session in five words."))},
		})
		if err != nil {
			t.Fatalf("Messages.New: %v", err)
		}
		if diff := cmp.Diff([]blockView{{Type: "text", Text: "side answer"}}, viewBlocks(t, msg.Content)); diff != "" {
			t.Errorf("side reply mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestConformanceAnthropicErrors checks that the adapter turns the
// emulator's errors into *anthropic.Error with the status the Anthropic SDKs
// map by (reference §4.1), before and after the first byte.
func TestConformanceAnthropicErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		faults     string
		model      string
		stream     bool
		wantStatus int    // for errors before the first byte
		wantInErr  string // substring of the error text
		notAPI     bool   // a transport error, not an *anthropic.Error
	}{
		{name: "bare foundation model", model: "anthropic.claude-sonnet-4-6", wantStatus: 400, wantInErr: "on-demand throughput isn’t supported"},
		{name: "throttled", faults: "throttle=1,seed=3", wantStatus: 429, wantInErr: "Too many"},
		{name: "throttled stream", faults: "throttle=1,seed=3", stream: true, wantStatus: 429, wantInErr: "Too many"},
		{name: "in-stream exception", faults: "stream-error=1,seed=3", stream: true, wantInErr: "Exception"},
		// The adapter decodes frames with eventstream.Decoder itself, so a
		// cut connection is an error here (unlike aws-sdk-go-v2's reader).
		{name: "disconnect mid-stream", faults: "disconnect=1,seed=3", stream: true, wantInErr: "unexpected EOF", notAPI: true},
		{name: "disconnect mid-body", faults: "disconnect=1,seed=3", wantInErr: "unexpected EOF", notAPI: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := emulator.Options{Scenario: confSideReply(t, "never seen in full")}
			if tt.faults != "" {
				opts.Faults = confFaults(t, tt.faults)
			}
			client := confAnthropic(confStart(t, opts).URL)
			model := tt.model
			if model == "" {
				model = confModel
			}
			params := anthropic.MessageNewParams{
				Model: anthropic.Model(model), MaxTokens: 64,
				Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
			}
			var err error
			if tt.stream {
				s := client.Messages.NewStreaming(t.Context(), params)
				for s.Next() {
				}
				err = s.Err()
				s.Close()
			} else {
				_, err = client.Messages.New(t.Context(), params)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantInErr)
			}
			var ae *anthropic.Error
			if tt.notAPI {
				if errors.As(err, &ae) {
					t.Errorf("transport failure reported as API error %v", ae)
				}
				return
			}
			if !errors.As(err, &ae) {
				t.Fatalf("error %T is not *anthropic.Error: %v", err, err)
			}
			if tt.wantStatus != 0 && ae.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", ae.StatusCode, tt.wantStatus)
			}
		})
	}
}

// TestConformanceAnthropicModels sends the adapter's url.QueryEscape'd model
// IDs (':' as %3A, '/' as %2F) for each kind of identifier, and a 1-hour
// cache breakpoint.
func TestConformanceAnthropicModels(t *testing.T) {
	t.Parallel()
	appARN := "arn:aws:bedrock:" + confRegion + ":" + confAccount + ":application-inference-profile/" + confAppProfile
	for _, model := range []string{confModel, confDatedModel, appARN} {
		t.Run(model, func(t *testing.T) {
			t.Parallel()
			srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "hello")})
			client := confAnthropic(srv.URL)
			system := []anthropic.TextBlockParam{{Text: confSystemPrompt, CacheControl: anthropic.CacheControlEphemeralParam{TTL: anthropic.CacheControlEphemeralTTLTTL1h}}}
			msg, err := client.Messages.New(t.Context(), anthropic.MessageNewParams{
				Model: anthropic.Model(model), MaxTokens: 64, System: system,
				Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
			})
			if err != nil {
				t.Fatalf("Messages.New(%s): %v", model, err)
			}
			if diff := cmp.Diff([]blockView{{Type: "text", Text: "hello"}}, viewBlocks(t, msg.Content)); diff != "" {
				t.Errorf("content mismatch (-want +got):\n%s", diff)
			}
			u := msg.Usage
			if u.CacheCreationInputTokens <= 0 || u.CacheCreation.Ephemeral1hInputTokens != u.CacheCreationInputTokens || u.CacheCreation.Ephemeral5mInputTokens != 0 {
				t.Errorf("usage %+v: want the whole cache write in ephemeral_1h", u.CacheCreation)
			}
			recs := srv.Records()
			if len(recs) != 1 || recs[0].Model != model || !slices.Equal(recs[0].TTLs, []string{"1h"}) {
				t.Errorf("ledger %+v, want one record for %s with ttls [1h]", recs, model)
			}
		})
	}
}

// TestConformanceAnthropicGuardrail sends guardrail headers the way
// ANTHROPIC_CUSTOM_HEADERS does (option.WithHeader, signed by the adapter)
// and finds the intervention in the unmodelled
// amazon-bedrock-guardrailAction field the SDK keeps as an extra field.
func TestConformanceAnthropicGuardrail(t *testing.T) {
	t.Parallel()
	g, err := emulator.ParseGuardrail("gr7xk2m9p4q1:DRAFT:(?i)credit card")
	if err != nil {
		t.Fatal(err)
	}
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "model answer"), Guardrails: []emulator.Guardrail{g}})
	client := confAnthropic(srv.URL,
		option.WithHeader("X-Amzn-Bedrock-GuardrailIdentifier", "gr7xk2m9p4q1"),
		option.WithHeader("X-Amzn-Bedrock-GuardrailVersion", "DRAFT"))
	for _, stream := range []bool{false, true} {
		for _, tt := range []struct{ prompt, text, action string }{
			{"my credit card number is 4111", "Sorry, the model cannot answer this question.", "INTERVENED"},
			{"what time is it", "model answer", "NONE"},
		} {
			params := anthropic.MessageNewParams{
				Model: anthropic.Model(confModel), MaxTokens: 64,
				Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(tt.prompt))},
			}
			var msg anthropic.Message
			if stream {
				s := client.Messages.NewStreaming(t.Context(), params)
				for s.Next() {
					if err := msg.Accumulate(s.Current()); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.Err(); err != nil {
					t.Fatalf("stream: %v", err)
				}
				s.Close()
			} else {
				m, err := client.Messages.New(t.Context(), params)
				if err != nil {
					t.Fatalf("Messages.New: %v", err)
				}
				msg = *m
			}
			if diff := cmp.Diff([]blockView{{Type: "text", Text: tt.text}}, viewBlocks(t, msg.Content)); diff != "" {
				t.Errorf("stream=%v %q: content mismatch (-want +got):\n%s", stream, tt.prompt, diff)
			}
			if msg.StopReason != anthropic.StopReasonEndTurn {
				t.Errorf("stream=%v: stop_reason %q, want end_turn (Bedrock keeps it on an intervention)", stream, msg.StopReason)
			}
			action := msg.JSON.ExtraFields["amazon-bedrock-guardrailAction"].Raw()
			if action != `"`+tt.action+`"` {
				t.Errorf("stream=%v %q: amazon-bedrock-guardrailAction = %s, want %q", stream, tt.prompt, action, tt.action)
			}
		}
	}
}

// TestConformanceAnthropicThinking streams a scripted turn with extended
// thinking the way Claude Code asks for it (thinking enabled, interleaved
// beta): the SDK accumulates thinking_delta and signature_delta into a
// thinking block, and the block goes back in the next request unchanged.
func TestConformanceAnthropicThinking(t *testing.T) {
	t.Parallel()
	scenario := confScenario(t, map[string]any{
		"turns": []any{
			map[string]any{
				"thinking": "The user wants the file; read it first.",
				"text":     "Reading it.",
				"tool_use": []any{map[string]any{"name": "Read", "input": map[string]any{"file_path": "/repo/a.go"}}},
			},
			map[string]any{"thinking": "It is empty.", "text": "The file is empty."},
		},
	}, nil)
	srv := confStart(t, emulator.Options{Scenario: scenario})
	client := confAnthropic(srv.URL, option.WithHeader("anthropic-beta", "interleaved-thinking-2025-05-14"))
	params := anthropic.MessageNewParams{
		Model:     anthropic.Model(confModel),
		MaxTokens: 4096,
		Thinking:  anthropic.ThinkingConfigParamOfEnabled(2048),
		Tools: []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
			Name:        "Read",
			InputSchema: anthropic.ToolInputSchemaParam{Properties: map[string]any{"file_path": map[string]any{"type": "string"}}},
		}}},
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("What is in a.go?"))},
	}
	turn := func(params anthropic.MessageNewParams) anthropic.Message {
		t.Helper()
		s := client.Messages.NewStreaming(t.Context(), params)
		defer s.Close()
		var msg anthropic.Message
		for s.Next() {
			if err := msg.Accumulate(s.Current()); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Err(); err != nil {
			t.Fatalf("stream: %v", err)
		}
		return msg
	}
	first := turn(params)
	var kinds []string
	for _, b := range first.Content {
		kinds = append(kinds, b.Type)
	}
	if diff := cmp.Diff([]string{"thinking", "text", "tool_use"}, kinds); diff != "" {
		t.Fatalf("turn 1 blocks mismatch (-want +got):\n%s", diff)
	}
	if th := first.Content[0]; th.Thinking != "The user wants the file; read it first." || th.Signature == "" {
		t.Errorf("thinking block %q with signature %q, want the scripted thinking and a signature", th.Thinking, th.Signature)
	}
	params.Messages = append(params.Messages, first.ToParam(),
		anthropic.NewUserMessage(anthropic.NewToolResultBlock(first.Content[2].ID, "", false)))
	second := turn(params)
	if len(second.Content) != 2 || second.Content[0].Type != "thinking" || second.Content[1].Text != "The file is empty." {
		t.Errorf("turn 2 content %+v, want thinking then the scripted text", second.Content)
	}
	recs := srv.Records()
	if len(recs) != 2 || recs[0].ThinkingBudget != 2048 || !slices.Equal(recs[0].AnthropicBeta, []string{"interleaved-thinking-2025-05-14"}) {
		t.Errorf("ledger %+v, want two records with thinking_budget 2048 and the beta from the header moved to the body", recs)
	}
}
