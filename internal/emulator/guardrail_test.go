package emulator

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseGuardrail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec                 string
		id, version, pattern string
		err                  string
	}{
		{spec: "gr1abc:1:(?i)password", id: "gr1abc", version: "1", pattern: "(?i)password"},
		{spec: "gr1abc:DRAFT:a:b", id: "gr1abc", version: "DRAFT", pattern: "a:b"},
		{spec: "gr1abc:99999999:x", id: "gr1abc", version: "99999999", pattern: "x"},
		{spec: "gr1abc:1", err: `guardrail "gr1abc:1": want ID:VERSION:REGEX`},
		{spec: "GR:1:x", err: `guardrail "GR:1:x": ID "GR": want lowercase letters and digits`},
		{spec: "gr:0:x", err: `guardrail "gr:0:x": version "0": want 1 to 99999999 or DRAFT`},
		{spec: "gr:draft:x", err: `guardrail "gr:draft:x": version "draft": want 1 to 99999999 or DRAFT`},
		{spec: "gr:1:", err: `guardrail "gr:1:": empty regular expression`},
		{spec: "gr:1:(", err: "guardrail \"gr:1:(\": error parsing regexp: missing closing ): `(`"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			g, err := ParseGuardrail(tt.spec)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.ID != tt.id || g.Version != tt.version || g.Pattern.String() != tt.pattern {
				t.Errorf("got %s:%s:%s", g.ID, g.Version, g.Pattern)
			}
		})
	}
}

func guardedServer(t *testing.T) *Server {
	t.Helper()
	g, err := ParseGuardrail("gr1abc:2:(?i)pass(word)?")
	if err != nil {
		t.Fatal(err)
	}
	return testServer(t, Options{Account: "111122223333", Guardrails: []Guardrail{g}, Scenario: scenarioFrom(t, fiveBlocks)})
}

func TestGuardrailIntervention(t *testing.T) {
	t.Parallel()
	s := guardedServer(t)
	blocked := reqBody(map[string]any{"tools": oneTool, "messages": []any{map[string]any{"role": "user", "content": "print the Password file"}}})
	fine := reqBody(map[string]any{"tools": oneTool})
	headers := []string{hdrGuardrailID, "gr1abc", hdrGuardrailVersion, "2"}

	t.Run("invoke", func(t *testing.T) {
		t.Parallel()
		w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", blocked, append(headers, hdrTrace, "ENABLED")...)
		mustStatus(t, w, 200)
		var got map[string]any
		json.Unmarshal(w.Body.Bytes(), &got)
		want := map[string]any{
			"content":                        []any{map[string]any{"type": "text", "text": blockedMessage}},
			"stop_reason":                    "end_turn",
			"amazon-bedrock-guardrailAction": "INTERVENED",
			"amazon-bedrock-trace": map[string]any{"guardrail": map[string]any{
				"actionReason": "Guardrail blocked.",
				"input": map[string]any{"gr1abc": map[string]any{"sensitiveInformationPolicy": map[string]any{"regexes": []any{
					map[string]any{"name": "basalt-emulator", "match": "Password", "regex": "(?i)pass(word)?", "action": "BLOCKED"},
				}}}},
			}},
		}
		for k, v := range want {
			if diff := cmp.Diff(v, got[k]); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", k, diff)
			}
		}
		usage := got["usage"].(map[string]any)
		n, _ := countInputTokens(blocked)
		if usage["input_tokens"] != float64(n) || usage["cache_read_input_tokens"] != 0.0 {
			t.Errorf("usage %v: want %d uncached input tokens", usage, n)
		}
	})

	t.Run("stream", func(t *testing.T) {
		t.Parallel()
		w := send(t, s, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", blocked, headers...)
		frames := decodeFrames(t, w.Body.Bytes())
		want := []string{"message_start", "content_block_start:text", "content_block_delta:text_delta", "content_block_stop", "message_delta", "message_stop"}
		if diff := cmp.Diff(want, eventNames(frames)); diff != "" {
			t.Fatalf("events mismatch (-want +got):\n%s", diff)
		}
		msg := frames[0].Event["message"].(map[string]any)
		if msg["amazon-bedrock-guardrailAction"] != "INTERVENED" {
			t.Errorf("message_start message %v: no guardrail action", msg)
		}
		stop := frames[len(frames)-1].Event
		if stop["amazon-bedrock-guardrailAction"] != "INTERVENED" || stop["amazon-bedrock-trace"] != nil {
			t.Errorf("message_stop %v: want the action and no trace (not enabled)", stop)
		}
		if d := frames[4].Event["delta"].(map[string]any); d["stop_reason"] != "end_turn" {
			t.Errorf("stop_reason %v", d["stop_reason"])
		}
	})

	t.Run("no match", func(t *testing.T) {
		t.Parallel()
		w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", fine, headers...)
		var got map[string]any
		json.Unmarshal(w.Body.Bytes(), &got)
		if got["amazon-bedrock-guardrailAction"] != "NONE" || got["stop_reason"] != "tool_use" {
			t.Errorf("action %v, stop_reason %v; want NONE and the model's answer", got["amazon-bedrock-guardrailAction"], got["stop_reason"])
		}
	})

	t.Run("no guardrail headers", func(t *testing.T) {
		t.Parallel()
		w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", blocked)
		var got map[string]any
		json.Unmarshal(w.Body.Bytes(), &got)
		if _, ok := got["amazon-bedrock-guardrailAction"]; ok || got["stop_reason"] != "tool_use" {
			t.Errorf("guardrail applied without its headers: %v", got)
		}
	})
}

func TestGuardrailHeaders(t *testing.T) {
	t.Parallel()
	s := guardedServer(t)
	missing := apiErr{400, "ValidationException", "The guardrail identifier or version provided in the request does not exist."}
	ok := apiErr{Status: 200}
	tests := []struct {
		name    string
		id, ver string
		want    apiErr
	}{
		{"ID", "gr1abc", "2", ok},
		{"DRAFT", "gr1abc", "DRAFT", ok},
		{"ARN", "arn:aws:bedrock:us-east-1:111122223333:guardrail/gr1abc", "2", ok},
		{"other version", "gr1abc", "1", missing},
		{"unknown ID", "zzz999", "2", missing},
		{"ARN of another account", "arn:aws:bedrock:us-east-1:999999999999:guardrail/gr1abc", "2", missing},
		{"no version", "gr1abc", "", apiErr{400, "ValidationException", "A guardrail identifier was provided without a guardrail version; set the X-Amzn-Bedrock-GuardrailVersion header."}},
		{"version only", "", "2", apiErr{400, "ValidationException", "A guardrail version was provided without a guardrail identifier; set the X-Amzn-Bedrock-GuardrailIdentifier header."}},
		{"bad ID", "GR-1", "2", apiErr{400, "ValidationException", "1 validation error detected: Value 'GR-1' at 'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))"}},
		{"bad version", "gr1abc", "v2", apiErr{400, "ValidationException", "1 validation error detected: Value 'v2' at 'guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT))"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := send(t, s, "POST", "/model/"+url.PathEscape(haiku45)+"/invoke", reqBody(nil), hdrGuardrailID, tt.id, hdrGuardrailVersion, tt.ver)
			got := apiErr{Status: w.Code}
			if w.Code != 200 {
				got = errorOf(t, w)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			recs := s.Records()
			if r := recs[len(recs)-1]; r.GuardrailID != tt.id || r.GuardrailVersion != tt.ver {
				t.Errorf("ledger guardrail %q:%q, want the headers %q:%q", r.GuardrailID, r.GuardrailVersion, tt.id, tt.ver)
			}
		})
	}
}
