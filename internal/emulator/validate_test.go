package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInvokeValidation(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	path := "/model/" + sonnet46 + "/invoke"
	bad := func(msg string) apiErr { return apiErr{400, "ValidationException", msg} }
	tests := []struct {
		name string
		body []byte
		hdr  []string
		want apiErr
	}{
		{"not JSON", []byte("hello"), nil,
			bad("Malformed input request: A JSONObject text must begin with '{' at character 1, please reformat your input and try again.")},
		{"empty body", []byte{}, nil,
			bad("Malformed input request: A JSONObject text must begin with '{' at character 1, please reformat your input and try again.")},
		{"array", []byte("[]"), nil,
			bad("Malformed input request: A JSONObject text must begin with '{' at character 1, please reformat your input and try again.")},
		{"truncated", []byte(`{"max_tokens": 5, "messages": [`), nil,
			bad("Malformed input request: unexpected end of input at 32 [character 32 line 1], please reformat your input and try again.")},
		{"trailing data", []byte(`{"a":1} x`), nil,
			bad("Malformed input request: unexpected data after the JSON object at 9 [character 9 line 1], please reformat your input and try again.")},
		{"duplicate key", []byte(`{"max_tokens":1,"max_tokens":2}`), nil,
			bad(`Malformed input request: Duplicate key "max_tokens", please reformat your input and try again.`)},
		{"model, stream and no messages: the reference's example",
			[]byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"stream":true,"model":"x"}`), nil,
			bad(`Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: extraneous key [stream] is not permitted#: extraneous key [model] is not permitted, please reformat your input and try again.`)},
		{"missing version and max_tokens", reqBody(map[string]any{"anthropic_version": nil, "max_tokens": nil}), nil,
			bad("Malformed input request: #: required key [anthropic_version] not found#: required key [max_tokens] not found, please reformat your input and try again.")},
		{"unknown key", reqBody(map[string]any{"frequency_penalty": 1}), nil,
			bad("Malformed input request: #: extraneous key [frequency_penalty] is not permitted, please reformat your input and try again.")},
		{"wrong types", reqBody(map[string]any{"max_tokens": "10", "messages": "hi", "temperature": true}), nil,
			bad("Malformed input request: #/max_tokens: expected type: Integer, found: String#/messages: expected type: JSONArray, found: String#/temperature: expected type: Number, found: Boolean, please reformat your input and try again.")},
		{"fractional max_tokens", reqBody(map[string]any{"max_tokens": 1.5}), nil,
			bad("Malformed input request: #/max_tokens: expected type: Integer, found: BigDecimal, please reformat your input and try again.")},
		{"system of the wrong type", reqBody(map[string]any{"system": 3}), nil,
			bad("Malformed input request: #/system: expected type: String or JSONArray, found: Integer, please reformat your input and try again.")},
		{"max_tokens zero", reqBody(map[string]any{"max_tokens": 0}), nil,
			bad("Malformed input request: #/max_tokens: 0 is not greater or equal to 1, please reformat your input and try again.")},
		{"unknown version", reqBody(map[string]any{"anthropic_version": "2023-06"}), nil,
			bad("Malformed input request: #/anthropic_version: 2023-06 is not a valid enum value, please reformat your input and try again.")},
		{"no messages", reqBody(map[string]any{"messages": []any{}}), nil,
			bad("messages: at least one message is required")},
		{"bad role", reqBody(map[string]any{"messages": []any{map[string]any{"role": "system", "content": "x"}}}), nil,
			bad("messages.0.role: Input should be 'user' or 'assistant'")},
		{"bad content", reqBody(map[string]any{"messages": []any{map[string]any{"role": "user", "content": 7}}}), nil,
			bad("messages.0.content: Input should be a valid string or list of content blocks")},
		{"thinking budget too small", reqBody(map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 100}}), nil,
			bad("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")},
		{"thinking budget above max_tokens", reqBody(map[string]any{"max_tokens": 2000, "thinking": map[string]any{"type": "enabled", "budget_tokens": 2000}}), nil,
			bad("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")},
		{"thinking type", reqBody(map[string]any{"thinking": map[string]any{"type": "on"}}), nil,
			bad("thinking: Input tag 'on' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'")},
		{"content type", reqBody(nil), []string{"Content-Type", "text/plain"},
			bad("The provided Content Type is invalid or not supported for this model")},
		{"charset in content type", reqBody(nil), []string{"Content-Type", "application/json; charset=utf-8"},
			bad("The provided Content Type is invalid or not supported for this model")},
		{"accept", reqBody(nil), []string{"Accept", "text/html"},
			bad("The provided Accept Type is invalid or not supported for this model")},
		{"accept json refused by q=0", reqBody(nil), []string{"Accept", "application/json;q=0, text/plain"},
			bad("The provided Accept Type is invalid or not supported for this model")},
		{"latency header", reqBody(nil), []string{hdrLatency, "fast"},
			bad("1 validation error detected: Value 'fast' at 'performanceConfigLatency' failed to satisfy constraint: Member must satisfy enum value set: [standard, optimized]")},
		{"service tier header", reqBody(nil), []string{hdrServiceTier, "gold"},
			bad("1 validation error detected: Value 'gold' at 'serviceTier' failed to satisfy constraint: Member must satisfy enum value set: [priority, default, flex, reserved]")},
		{"guardrail config without header", reqBody(map[string]any{guardrailConfigKey: map[string]any{"tagSuffix": "x"}}), nil,
			bad("The amazon-bedrock-guardrailConfig field requires a guardrail identifier; set the X-Amzn-Bedrock-GuardrailIdentifier header.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, "POST", path, tt.body, tt.hdr...)
			if diff := cmp.Diff(tt.want, errorOf(t, w)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if w.Header().Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if got, want := w.Header().Get("x-amzn-ErrorType"), "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"; got != want {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, want)
			}
		})
	}
}

func TestInvokeAccepts(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	tests := []struct {
		name string
		body []byte
		hdr  []string
	}{
		{"bedrock version", reqBody(nil), nil},
		{"dated version of the TS SDK 1.x", reqBody(map[string]any{"anthropic_version": "2026-10-21"}), nil},
		{"content type in capitals", reqBody(nil), []string{"Content-Type", "Application/JSON"}},
		{"accept any", reqBody(nil), []string{"Accept", "*/*"}},
		{"accept a list with json", reqBody(nil), []string{"Accept", "text/html;q=0.9, application/json"}},
		{"no content type", reqBody(nil), []string{"Content-Type", ""}},
		{"every optional key", reqBody(map[string]any{
			"system": "be brief", "tools": oneTool, "tool_choice": map[string]any{"type": "auto"},
			"temperature": 0.5, "top_p": 1, "top_k": 5, "stop_sequences": []any{"END"},
			"metadata": map[string]any{"user_id": "u"}, "anthropic_beta": []any{"interleaved-thinking-2025-05-14"},
			"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}, "max_tokens": 2048,
		}), nil},
		{"adaptive thinking", reqBody(map[string]any{"thinking": map[string]any{"type": "adaptive"}}), nil},
		{"enum headers", reqBody(nil), []string{hdrLatency, "optimized", hdrServiceTier, "flex", hdrTrace, "DISABLED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", tt.body, tt.hdr...)
			mustStatus(t, w, http.StatusOK)
		})
	}
}

func TestBodyLimits(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	// Valid JSON of the given size: the user text pads it.
	sized := func(n int) []byte {
		b := reqBody(map[string]any{"messages": []any{map[string]any{"role": "user", "content": ""}}})
		pad := strings.Repeat("a", n-len(b))
		return []byte(strings.Replace(string(b), `"content":""`, `"content":"`+pad+`"`, 1))
	}
	tests := []struct {
		name string
		size int
		want apiErr
	}{
		{"over 20 MB", maxModelBody + 1, apiErr{400, "ValidationException", "Input is too long for requested model."}},
		{"over 25 MB", maxWireBody + 1, apiErr{400, "ValidationException", "1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 25000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", sized(tt.size))
			if diff := cmp.Diff(tt.want, errorOf(t, w)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("20 MB exactly", func(t *testing.T) {
		w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", sized(maxModelBody))
		mustStatus(t, w, http.StatusOK)
	})
}

func TestModelIdentifiers(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{Account: "111122223333"})
	onDemand := func(id string) apiErr {
		return apiErr{400, "ValidationException", "Invocation of model ID " + id + " with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."}
	}
	invalid := apiErr{400, "ValidationException", "The provided model identifier is invalid."}
	ok := apiErr{Status: 200}
	tests := []struct {
		name string
		path string // the escaped model segment, as a client sends it
		want apiErr
	}{
		{"profile ID, raw colon", "us.anthropic.claude-haiku-4-5-20251001-v1:0", ok},
		{"profile ID, escaped colon", "us.anthropic.claude-haiku-4-5-20251001-v1%3A0", ok},
		{"global profile", "global.anthropic.claude-opus-4-6-v1", ok},
		{"system profile ARN, fully escaped", url.PathEscape("arn:aws:bedrock:us-east-1:111122223333:inference-profile/" + haiku45), ok},
		{"system profile ARN, raw colons", "arn:aws:bedrock:us-east-1:111122223333:inference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1:0", ok},
		{"application profile ARN", "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile%2Fk3v9x2m7q1ab", ok},
		{"application profile ID", "k3v9x2m7q1ab", ok},
		{"bare foundation model", "anthropic.claude-3-7-sonnet-20250219-v1:0", onDemand("anthropic.claude-3-7-sonnet-20250219-v1:0")},
		{"bare new foundation model", "anthropic.claude-sonnet-4-6", onDemand("anthropic.claude-sonnet-4-6")},
		{"foundation model ARN", url.PathEscape("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-6-v1"), onDemand("anthropic.claude-opus-4-6-v1")},
		{"profile of another geo", "eu.anthropic.claude-sonnet-4-6", invalid},
		{"unknown model", "us.anthropic.claude-opus-9", invalid},
		{"unknown foundation model", "anthropic.claude-unknown", invalid},
		{"not Anthropic", "meta.llama3-70b-instruct-v1:0", invalid},
		{"ARN of another account", url.PathEscape("arn:aws:bedrock:us-east-1:999999999999:inference-profile/" + haiku45), invalid},
		{"ARN of another region", url.PathEscape("arn:aws:bedrock:us-west-2:111122223333:inference-profile/" + haiku45), invalid},
		{"system profile under an application ARN", url.PathEscape("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/" + haiku45), invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, "POST", "/model/"+tt.path+"/invoke", reqBody(nil))
			got := apiErr{Status: w.Code}
			if w.Code != http.StatusOK {
				got = errorOf(t, w)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLastUserText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		messages []any
		want     string
	}{
		{"string", []any{map[string]any{"role": "user", "content": "hi there"}}, "hi there"},
		{"blocks, tool results skipped", []any{map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "tool_result", "tool_use_id": "t", "content": "secret"},
			map[string]any{"type": "text", "text": "a"},
			map[string]any{"type": "text", "text": "b"},
		}}}, "a\nb"},
		{"newest user message", []any{
			map[string]any{"role": "user", "content": "old"},
			map[string]any{"role": "assistant", "content": "reply"},
			map[string]any{"role": "user", "content": "new"},
			map[string]any{"role": "assistant", "content": "prefill"},
		}, "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, aerr := parseInvoke(reqBody(map[string]any{"messages": tt.messages}))
			if aerr != nil {
				t.Fatal(aerr)
			}
			if got := req.lastUserText(); got != tt.want {
				t.Errorf("lastUserText = %q, want %q", got, tt.want)
			}
		})
	}
}
