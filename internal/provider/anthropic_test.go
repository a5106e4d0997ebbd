package provider_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/provider"
)

// anthropicAPI is a minimal stand-in for the Anthropic API's streaming
// Messages endpoint: the first `throttle` requests get a 429 with
// retry-after, the rest a short SSE answer.
func anthropicAPI(t *testing.T, throttle int32) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.URL.Path != "/v1/messages" || r.Header.Get("X-Api-Key") != "sk-ant-test" {
			http.Error(w, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, http.StatusUnauthorized)
			return
		}
		if n <= throttle {
			w.Header().Set("retry-after", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, ev := range []string{
			`{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1}}}`,
			`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
			`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from the API."}}`,
			`{"type":"content_block_stop","index":0}`,
			`{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}`,
			`{"type":"message_stop"}`,
		} {
			typ := ev[strings.Index(ev, `"type":"`)+8:]
			typ = typ[:strings.IndexByte(typ, '"')]
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", typ, ev)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestAnthropicAPI(t *testing.T) {
	t.Parallel()
	srv, calls := anthropicAPI(t, 1)
	c, err := provider.New(provider.Config{Provider: provider.Anthropic, APIKey: "sk-ant-test", BaseURL: srv.URL,
		MaxRetries: 3, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var col collector
	resp, err := c.Stream(t.Context(), provider.Request{Model: "claude-sonnet-4-6", Params: userText("hi")}, col.on)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message.Content[0].Text != "Hello from the API." || len(col.retries) != 1 || calls.Load() != 2 {
		t.Errorf("text %q, retries %v, calls %d", resp.Message.Content[0].Text, col.retries, calls.Load())
	}

	bad, err := provider.New(provider.Config{Provider: provider.Anthropic, APIKey: "wrong", BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Stream(t.Context(), provider.Request{Model: "claude-sonnet-4-6", Params: userText("hi")}, nil)
	var apiErr *provider.APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != provider.KindAuth || apiErr.Fix != "check ANTHROPIC_API_KEY" {
		t.Fatalf("err = %v", err)
	}
}
