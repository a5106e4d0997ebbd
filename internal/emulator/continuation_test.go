package emulator

import (
	"encoding/json"
	"testing"
)

// TestScriptContinuesACutAnswer: after an assistant message that is a
// strict prefix of its turn's text (cut at max_tokens), the next request
// gets the rest of that turn, not the next turn.
func TestScriptContinuesACutAnswer(t *testing.T) {
	sc := &Scenario{Turns: []Turn{
		{Text: "abcdefghij", ToolUse: []ToolUse{{Name: "Read", Input: json.RawMessage(`{}`)}}},
		{Text: "second"},
	}}
	msg := func(role, content string) message { return message{Role: role, Content: json.RawMessage(content)} }
	tools := []json.RawMessage{json.RawMessage(`{"name":"Read"}`)}
	tests := []struct {
		name     string
		messages []message
		want     string
		calls    int
	}{
		{"first", []message{msg("user", `"go"`)}, "abcdefghij", 1},
		{"continued", []message{msg("user", `"go"`), msg("assistant", `[{"type":"text","text":"abcd"}]`), msg("user", `"continue"`)}, "efghij", 1},
		{"twice", []message{msg("user", `"go"`), msg("assistant", `[{"type":"text","text":"abc"}]`), msg("user", `"on"`),
			msg("assistant", `[{"type":"text","text":"def"}]`), msg("user", `"on"`)}, "ghij", 1},
		{"a whole answer moves on", []message{msg("user", `"go"`), msg("assistant", `[{"type":"text","text":"abcdefghij"},{"type":"tool_use","id":"t","name":"Read","input":{}}]`), msg("user", `[]`)}, "second", 0},
		{"another text moves on", []message{msg("user", `"go"`), msg("assistant", `"xyz"`), msg("user", `"on"`)}, "second", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sc.pick(&invokeRequest{Messages: tt.messages, Tools: tools})
			if got.Text != tt.want || len(got.ToolUse) != tt.calls {
				t.Errorf("turn %q with %d calls, want %q with %d", got.Text, len(got.ToolUse), tt.want, tt.calls)
			}
		})
	}
}
