// Package providertest is the conformance suite of the provider: the same
// checks run against the emulator on every `go test` and against real
// Amazon Bedrock behind the bedrock_live build tag.
package providertest

import (
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/provider"
)

// Target is what a suite run needs to know about the service under test.
type Target struct {
	Client *provider.Client
	Model  string // an inference profile the caller may invoke
	// Cached reports whether the service accounts prompt caching; the
	// emulator and Bedrock do.
	Cached bool
}

// Run runs every conformance check. newTarget is called once per check so
// that checks do not share state (the emulator's cache, its ledger).
func Run(t *testing.T, newTarget func(t *testing.T) Target) {
	t.Run("StreamsText", func(t *testing.T) { streamsText(t, newTarget(t)) })
	t.Run("ToolUseRoundTrip", func(t *testing.T) { toolUseRoundTrip(t, newTarget(t)) })
	t.Run("SecondRequestReadsCache", func(t *testing.T) { secondRequestReadsCache(t, newTarget(t)) })
}

func user(s string) anthropic.MessageParam {
	return anthropic.NewUserMessage(anthropic.NewTextBlock(s))
}

func streamsText(t *testing.T, tg Target) {
	var streamed strings.Builder
	resp, err := tg.Client.Stream(t.Context(), provider.Request{Model: tg.Model, Params: anthropic.MessageNewParams{
		MaxTokens: 64, Messages: []anthropic.MessageParam{user("Reply with one short sentence.")},
	}}, func(ev provider.Event) {
		if ev.Kind == provider.EventMessage && ev.Message.Delta.Type == "text_delta" {
			streamed.WriteString(ev.Message.Delta.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	m := resp.Message
	if len(m.Content) == 0 || m.Content[0].Text == "" || m.Content[0].Text != streamed.String() {
		t.Errorf("content %+v, streamed %q", m.Content, streamed.String())
	}
	if m.StopReason != "end_turn" && m.StopReason != "max_tokens" {
		t.Errorf("stop reason %q", m.StopReason)
	}
	if m.Usage.InputTokens == 0 || m.Usage.OutputTokens == 0 {
		t.Errorf("usage %+v", m.Usage)
	}
}

var readTool = anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{
	Name:        "Read",
	Description: anthropic.String("Read a file. Always use it when asked about a file."),
	InputSchema: anthropic.ToolInputSchemaParam{
		Properties: map[string]any{"file_path": map[string]any{"type": "string"}},
		Required:   []string{"file_path"},
	},
}}

func toolUseRoundTrip(t *testing.T, tg Target) {
	params := anthropic.MessageNewParams{
		MaxTokens: 256,
		Tools:     []anthropic.ToolUnionParam{readTool},
		Messages:  []anthropic.MessageParam{user("Use the Read tool to read /etc/hostname, then tell me what it says.")},
	}
	resp, err := tg.Client.Stream(t.Context(), provider.Request{Model: tg.Model, Params: params}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var call *anthropic.ContentBlockUnion
	for i := range resp.Message.Content {
		if resp.Message.Content[i].Type == "tool_use" {
			call = &resp.Message.Content[i]
		}
	}
	if call == nil || resp.Message.StopReason != "tool_use" {
		t.Fatalf("no tool call: stop %q, content %+v", resp.Message.StopReason, resp.Message.Content)
	}
	if call.Name != "Read" || !strings.Contains(string(call.Input), "file_path") {
		t.Errorf("call %s %s", call.Name, call.Input)
	}
	params.Messages = append(params.Messages, resp.Message.ToParam(),
		anthropic.NewUserMessage(anthropic.NewToolResultBlock(call.ID, "build-host-7", false)))
	resp, err = tg.Client.Stream(t.Context(), provider.Request{Model: tg.Model, Params: params}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message.StopReason != "end_turn" || len(resp.Message.Content) == 0 {
		t.Errorf("second turn: stop %q, content %+v", resp.Message.StopReason, resp.Message.Content)
	}
}

func secondRequestReadsCache(t *testing.T, tg Target) {
	if !tg.Cached {
		t.Skip("the target does not account prompt caching")
	}
	// A system prompt well above every model's minimum cacheable length.
	system := strings.Repeat("You are a careful assistant who answers in one short sentence. ", 400)
	params := anthropic.MessageNewParams{
		MaxTokens: 32,
		System:    []anthropic.TextBlockParam{{Text: system, CacheControl: anthropic.NewCacheControlEphemeralParam()}},
		Messages:  []anthropic.MessageParam{user("Say hello.")},
	}
	first, err := tg.Client.Stream(t.Context(), provider.Request{Model: tg.Model, Params: params}, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := tg.Client.Stream(t.Context(), provider.Request{Model: tg.Model, Params: params}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u1, u2 := first.Message.Usage, second.Message.Usage
	if u1.CacheCreationInputTokens+u1.CacheReadInputTokens == 0 {
		t.Errorf("first request neither wrote nor read the cache: %+v", u1)
	}
	if u2.CacheReadInputTokens == 0 || u2.CacheReadInputTokens < u1.CacheCreationInputTokens {
		t.Errorf("second request read %d tokens, the first wrote %d", u2.CacheReadInputTokens, u1.CacheCreationInputTokens)
	}
}
