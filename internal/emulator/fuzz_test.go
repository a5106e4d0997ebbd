package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzHandler feeds arbitrary methods, paths, headers and bodies to
// ServeHTTP. Whatever comes in, the server must answer (no panic, no hang)
// with a request ID, and an error must be Bedrock's JSON error shape.
func FuzzHandler(f *testing.F) {
	valid := string(reqBody(map[string]any{"tools": oneTool, "messages": convo(3)}))
	for _, seed := range []struct {
		method uint8
		target string
		header string
		body   string
	}{
		{1, "/model/" + sonnet46 + "/invoke", "", valid},
		{1, "/model/" + sonnet46 + "/invoke-with-response-stream", "", string(thinkingBody(nil))},
		{1, "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke", "X-Amzn-Bedrock-GuardrailIdentifier: gr1abc", valid},
		{1, "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F" + sonnet46 + "/invoke", "X-Amzn-Bedrock-Trace: ENABLED", valid},
		{1, "/model/anthropic.claude-sonnet-4-6/count-tokens", "", string(countBody([]byte(valid)))},
		{0, "/inference-profiles?type=SYSTEM_DEFINED&maxResults=3&nextToken=YnNsMXxTWVNURU1fREVGSU5FRHwz", "", ""},
		{0, "/inference-profiles/" + sonnet46, "", ""},
		{1, "/model/x/invoke", "Content-Type: text/plain", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":-1,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","ttl":"9h"}}]}]}`},
		{1, "/model/" + sonnet46 + "/invoke", "Authorization: AWS4-HMAC-SHA256 Credential=A/B", `{"stop_sequences":[""],"max_tokens":1,"anthropic_version":"2026-10-21","messages":[{"role":"assistant","content":"x"}]}`},
		{2, "/..//model//invoke", "", "\x00\xff{"},
	} {
		f.Add(seed.method, seed.target, seed.header, []byte(seed.body))
	}
	g, _ := ParseGuardrail("gr1abc:1:(?i)secret")
	s, err := New(Options{
		AllowUnsigned: true,
		Scenario:      scenarioFrom(f, fiveBlocks),
		Guardrails:    []Guardrail{g},
	})
	if err != nil {
		f.Fatal(err)
	}
	methods := []string{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"}
	f.Fuzz(func(t *testing.T, method uint8, target, header string, body []byte) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t#") {
			return
		}
		req, err := http.NewRequest(methods[int(method)%len(methods)], "http://bedrock.test"+target, bytes.NewReader(body))
		if err != nil {
			return
		}
		if name, value, ok := strings.Cut(header, ": "); ok && name != "" && !strings.ContainsAny(header, "\r\n") {
			req.Header.Set(name, value)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Header().Get("x-amzn-RequestId") == "" {
			t.Fatalf("%s %s: no request ID (status %d)", req.Method, target, w.Code)
		}
		if w.Code != http.StatusOK {
			var e struct {
				Message *string `json:"message"`
			}
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Message == nil || w.Header().Get("x-amzn-ErrorType") == "" {
				t.Fatalf("%s %s: status %d with body %q and type %q", req.Method, target, w.Code, w.Body.String(), w.Header().Get("x-amzn-ErrorType"))
			}
		}
		if w.Code == http.StatusOK && w.Header().Get("Content-Type") == "application/vnd.amazon.eventstream" {
			decodeFrames(t, w.Body.Bytes())
		}
	})
}
