package emulator_test

// The Mantle endpoint (/anthropic/v1/messages) driven by anthropic-sdk-go's
// own Mantle client, with an API key and with SigV4 (signing name
// bedrock-mantle), as Claude Code with CLAUDE_CODE_USE_MANTLE and
// OpenCode's Mantle provider reach it.

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/bedrock"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/basalt-dev/basalt/internal/emulator"
)

const mantleModel = "anthropic.claude-sonnet-4-6"

func mantleClient(t *testing.T, cfg bedrock.MantleClientConfig) *bedrock.MantleClient {
	t.Helper()
	c, err := bedrock.NewMantleClient(t.Context(), cfg, option.WithMaxRetries(0))
	if err != nil {
		t.Fatalf("NewMantleClient: %v", err)
	}
	return c
}

func mantleParams(msgs ...anthropic.MessageParam) anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:     mantleModel,
		MaxTokens: 1024,
		Messages:  msgs,
		Tools: []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
			Name:        "Read",
			InputSchema: anthropic.ToolInputSchemaParam{Properties: map[string]any{"file_path": map[string]any{"type": "string"}}},
		}}},
	}
}

func TestConformanceMantle(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: convToolScenario(t)})
	base := srv.URL + "/anthropic"
	for _, mode := range []struct {
		name string
		cfg  bedrock.MantleClientConfig
	}{
		{"api key", bedrock.MantleClientConfig{APIKey: confBearer, BaseURL: base}},
		{"sigv4", bedrock.MantleClientConfig{AWSAccessKey: confAccessKey, AWSSecretAccessKey: confSecretKey, AWSSessionToken: confToken, AWSRegion: confRegion, BaseURL: base}},
	} {
		client := mantleClient(t, mode.cfg)
		user := anthropic.NewUserMessage(anthropic.NewTextBlock("read /tmp/a.txt"))
		first, err := client.Messages.New(t.Context(), mantleParams(user))
		if err != nil {
			t.Fatalf("%s: Messages.New: %v", mode.name, err)
		}
		var call anthropic.ToolUseBlock
		for _, b := range first.Content {
			if tu, ok := b.AsAny().(anthropic.ToolUseBlock); ok {
				call = tu
			}
		}
		if first.StopReason != anthropic.StopReasonToolUse || call.Name != "Read" || string(first.Model) != mantleModel {
			t.Fatalf("%s: first reply stop %q tool %q model %q, want a Read call from %s", mode.name, first.StopReason, call.Name, first.Model, mantleModel)
		}
		// The second turn streams, as Claude Code's requests do.
		stream := client.Messages.NewStreaming(t.Context(), mantleParams(user, first.ToParam(),
			anthropic.NewUserMessage(anthropic.NewToolResultBlock(call.ID, "hello", false))))
		var msg anthropic.Message
		for stream.Next() {
			if err := msg.Accumulate(stream.Current()); err != nil {
				t.Fatal(err)
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatalf("%s: stream: %v", mode.name, err)
		}
		if len(msg.Content) != 1 || msg.Content[0].Text != "The file says hello." || msg.StopReason != anthropic.StopReasonEndTurn {
			t.Errorf("%s: streamed reply %+v, want the scripted answer", mode.name, msg.Content)
		}
		n, err := client.Messages.CountTokens(t.Context(), anthropic.MessageCountTokensParams{
			Model: mantleModel, Messages: []anthropic.MessageParam{user},
		})
		if err != nil || n.InputTokens <= 0 {
			t.Errorf("%s: CountTokens = %v, %v", mode.name, n, err)
		}
	}
	for _, r := range srv.Records() {
		if !strings.HasPrefix(r.Operation, "Mantle") || r.Model != mantleModel {
			t.Errorf("ledger record %s %s, want a Mantle operation on %s", r.Operation, r.Model, mantleModel)
		}
	}
	if recs := srv.Records(); recs[0].Auth != "bearer" || recs[len(recs)-1].Auth != "sigv4" {
		t.Errorf("ledger auth %s … %s, want bearer then sigv4", recs[0].Auth, recs[len(recs)-1].Auth)
	}
}

func TestConformanceMantleErrors(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{})
	base := srv.URL + "/anthropic"
	good := mantleClient(t, bedrock.MantleClientConfig{APIKey: confBearer, BaseURL: base})
	check := func(name string, err error, status int, typ string) {
		t.Helper()
		var ae *anthropic.Error
		if !errors.As(err, &ae) {
			t.Errorf("%s: %v, want an *anthropic.Error", name, err)
			return
		}
		if ae.StatusCode != status || !strings.Contains(ae.RawJSON(), `"type":"`+typ+`"`) {
			t.Errorf("%s: %d %s, want %d %s", name, ae.StatusCode, ae.RawJSON(), status, typ)
		}
	}
	p := mantleParams(anthropic.NewUserMessage(anthropic.NewTextBlock("hi")))
	p.Model = "claude-sonnet-4-6" // no anthropic. prefix
	_, err := good.Messages.New(t.Context(), p)
	check("unprefixed model", err, http.StatusNotFound, "not_found_error")

	bad := mantleClient(t, bedrock.MantleClientConfig{APIKey: "ABSKnotakey", BaseURL: base})
	_, err = bad.Messages.New(t.Context(), mantleParams(anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))))
	check("unknown API key", err, http.StatusUnauthorized, "authentication_error")

	p = mantleParams(anthropic.NewUserMessage(anthropic.NewTextBlock("hi")))
	p.MaxTokens = 0
	_, err = good.Messages.New(t.Context(), p)
	check("max_tokens 0", err, http.StatusBadRequest, "invalid_request_error")

	throttled := confStart(t, emulator.Options{Faults: confFaults(t, "throttle=1")})
	tc := mantleClient(t, bedrock.MantleClientConfig{APIKey: confBearer, BaseURL: throttled.URL + "/anthropic"})
	_, err = tc.Messages.New(t.Context(), mantleParams(anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))))
	check("throttled", err, http.StatusTooManyRequests, "rate_limit_error")
}
