package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSubagentScenario(t *testing.T) {
	t.Parallel()
	sc, err := parseScenario([]byte(`{"turns":[{"text":"main"}],"subagents":[{"match":"FIND-{{X}}","turns":[{"tool_use":[{"name":"Grep","input":{"pattern":"x"}}]},{"text":"found {{X}}"}]}]}`), map[string]string{"X": "a"})
	if err != nil {
		t.Fatal(err)
	}
	user := func(text string) message {
		c, _ := json.Marshal([]map[string]string{{"type": "text", "text": text}})
		return message{Role: "user", Content: c}
	}
	tools := []json.RawMessage{json.RawMessage(`{}`)}
	req := &invokeRequest{Tools: tools, Messages: []message{user("please FIND-a now")}}
	if got := sc.pick(req); len(got.ToolUse) != 1 || got.ToolUse[0].Name != "Grep" {
		t.Errorf("subagent turn 0 = %+v, want the Grep call", got)
	}
	req.Messages = append(req.Messages, message{Role: "assistant", Content: json.RawMessage(`[{"type":"tool_use","id":"t","name":"Grep","input":{}}]`)}, user("result"))
	if got := sc.pick(req); got.Text != "found a" {
		t.Errorf("subagent turn 1 = %+v, want found a", got)
	}
	if got := sc.pick(&invokeRequest{Tools: tools, Messages: []message{user("hello")}}); got.Text != "main" {
		t.Errorf("main turn = %+v", got)
	}
	if _, err := parseScenario([]byte(`{"turns":[{"text":"x"}],"subagents":[{"match":"","turns":[{"text":"y"}]}]}`), nil); err == nil || !strings.Contains(err.Error(), "subagents[0]: match is empty") {
		t.Errorf("empty match: %v", err)
	}
	if _, err := parseScenario([]byte(`{"turns":[{"text":"x"}],"subagents":[{"match":"m","turns":[{}]}]}`), nil); err == nil || !strings.Contains(err.Error(), "subagents[0]: turns[0]: empty turn") {
		t.Errorf("empty turn: %v", err)
	}
}
