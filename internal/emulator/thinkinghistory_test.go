package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestThinkingHistoryIsChecked(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	const head = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"thinking":{"type":"adaptive"},"messages":[{"role":"user","content":"go"},`
	tests := []struct {
		name, assistant, want string
	}{
		{"thinking dropped before a tool call", `{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}]}`,
			"Expected `thinking` or `redacted_thinking`, but found `tool_use`"},
		{"a signature the model never issued", `{"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"forged"},{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}]}`,
			"Invalid `signature` in `thinking` block"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := head + tc.assistant + `,{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]}]}`
			w := send(t, s, "POST", "/model/global.anthropic.claude-opus-4-6-v1/invoke", []byte(body))
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), tc.want) {
				t.Errorf("status %d, body %s; want 400 with %q", w.Code, w.Body, tc.want)
			}
		})
	}
}
