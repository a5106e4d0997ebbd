package emulator

import (
	"encoding/json"
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

// TestToolCallWithoutThinkingComesBackBare: with thinking on, a reply in
// which the model did not think (adaptive thinking may skip it) has no
// thinking block for the client to keep, so its tool call comes back
// without one and the request goes through; thinking is on by default in
// basalt and Claude Code, so every tool loop takes this path.
func TestToolCallWithoutThinkingComesBackBare(t *testing.T) {
	t.Parallel()
	sc, err := parseScenario([]byte(`{"turns":[{"tool_use":[{"name":"Read","input":{"file_path":"a"}}]},{"text":"done"}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := testServer(t, Options{Scenario: sc})
	const path = "/model/global.anthropic.claude-opus-4-6-v1/invoke"
	const head = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"thinking":{"type":"adaptive"},` +
		`"tools":[{"name":"Read","description":"read","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"go"}`
	first := head + `]}`
	w := send(t, s, "POST", path, []byte(first))
	var reply struct {
		Content []json.RawMessage `json:"content"`
	}
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &reply) != nil || len(reply.Content) != 1 {
		t.Fatalf("first request: status %d, body %s", w.Code, w.Body)
	}
	var call struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(reply.Content[0], &call)
	if call.ID == "" {
		t.Fatalf("first reply %s: want one tool call", reply.Content[0])
	}
	second := head + `,{"role":"assistant","content":[` + string(reply.Content[0]) + `]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"` + call.ID + `","content":"ok"}]}]}`
	if w := send(t, s, "POST", path, []byte(second)); w.Code != http.StatusOK {
		t.Errorf("status %d, body %s; want 200: the model did not think, so there was no thinking to keep", w.Code, w.Body)
	}
}
