package emulator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeScenario(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadScenario(t *testing.T) {
	t.Parallel()
	path := writeScenario(t, `{
  "turns": [
    {"text": "Reading {{FILE}}.", "tool_use": [{"name": "Read", "input": {"file_path": "{{DIR}}/{{FILE}}", "{{KEY}}": ["{{FILE}}", 3]}}]},
    {"thinking": "done", "text": "Fixed {{FILE}}."}
  ],
  "side_reply": "title: {{FILE}}"
}`)
	sc, err := LoadScenario(path, map[string]string{"FILE": `main "x".go`, "DIR": "/repo", "KEY": "limit"})
	if err != nil {
		t.Fatal(err)
	}
	want := &Scenario{
		Turns: []Turn{
			{Text: `Reading main "x".go.`, ToolUse: []ToolUse{{Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/main \"x\".go","limit":["main \"x\".go",3]}`)}}},
			{Thinking: "done", Text: `Fixed main "x".go.`},
		},
		SideReply: `title: main "x".go`,
	}
	if diff := cmp.Diff(want, sc); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadScenarioErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		vars    map[string]string
		want    string // after "scenario PATH"
	}{
		{"syntax", "{\n  \"turns\": [\n    {\"text\": \"a\",}\n  ]\n}", nil,
			":3:18: invalid character '}' looking for beginning of object key string"},
		{"unterminated", "{\"turns\": [", nil, ":1:12: unexpected EOF"},
		{"empty", "", nil, ": empty file"},
		{"wrong type", "{\"turns\": [{\"text\": 5}]}", nil,
			":1:21: cannot unmarshal number into Go struct field Turn.turns.text of type string"},
		{"unknown field", "{\n  \"turns\": [{\"txt\": \"a\"}]\n}", nil,
			`:2:14: unknown field "txt"`},
		{"trailing data", "{} {}", nil, ":1:3: unexpected data after the scenario object"},
		{"unknown variable", "{\"turns\": [\n {\"text\": \"see {{FILE}} and {{NOPE}}\"}]}", map[string]string{"FILE": "x"},
			":2:29: unknown variable {{NOPE}} (set it with --var NOPE=VALUE)"},
		{"tool without name", `{"turns": [{"tool_use": [{"input": {}}]}]}`, nil, ": turns[0].tool_use[0]: name is empty"},
		{"tool input not an object", `{"turns": [{"tool_use": [{"name": "Bash", "input": "ls"}]}]}`, nil,
			": turns[0].tool_use[0]: input must be a JSON object"},
		{"empty turn", `{"turns": [{"text": "a"}, {}]}`, nil, ": turns[1]: empty turn (give it text, thinking or tool_use)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeScenario(t, tt.content)
			_, err := LoadScenario(path, tt.vars)
			if err == nil {
				t.Fatal("no error")
			}
			if got, want := err.Error(), "scenario "+path+tt.want; got != want {
				t.Errorf("error\n got %s\nwant %s", got, want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		t.Parallel()
		_, err := LoadScenario(filepath.Join(t.TempDir(), "nope.json"), nil)
		if err == nil || !strings.HasPrefix(err.Error(), "scenario: open ") {
			t.Errorf("error = %v", err)
		}
	})
}

func TestScenarioTurns(t *testing.T) {
	t.Parallel()
	sc := scenarioFrom(t, `{"turns":[
		{"thinking":"plan","text":"first","tool_use":[{"name":"Read","input":{"file_path":"a"}}]},
		{"text":"second","tool_use":[{"name":"Bash","input":{"command":"ls"}}]},
		{"thinking":"wrap up","text":"last","tool_use":[{"name":"Edit","input":{}}]}],
		"side_reply":"a title"}`)
	thinkingOn := map[string]any{"type": "enabled", "budget_tokens": 1024}
	tests := []struct {
		name     string
		scenario *Scenario
		body     map[string]any
		want     []string // block type:content
		stop     string
	}{
		{"no scenario", nil, map[string]any{"tools": oneTool}, []string{"text:" + defaultReply}, "end_turn"},
		{"side request", sc, nil, []string{"text:a title"}, "end_turn"},
		{"side request, no side reply", scenarioFrom(t, `{"turns":[{"text":"x"}]}`), nil, []string{"text:" + defaultReply}, "end_turn"},
		{"no turns", scenarioFrom(t, `{"side_reply":"s"}`), map[string]any{"tools": oneTool}, []string{"text:" + defaultReply}, "end_turn"},
		{"turn 0, thinking off", sc, map[string]any{"tools": oneTool}, []string{"text:first", "tool_use:Read"}, "tool_use"},
		{"turn 0, thinking on", sc, map[string]any{"tools": oneTool, "thinking": thinkingOn, "max_tokens": 4096},
			[]string{"thinking:plan", "text:first", "tool_use:Read"}, "tool_use"},
		{"turn 1", sc, map[string]any{"tools": oneTool, "messages": convo(3)}, []string{"text:second", "tool_use:Bash"}, "tool_use"},
		{"turn 2", sc, map[string]any{"tools": oneTool, "messages": convo(5)}, []string{"text:last", "tool_use:Edit"}, "tool_use"},
		{"past the end: the last text alone", sc, map[string]any{"tools": oneTool, "messages": convo(7), "thinking": thinkingOn, "max_tokens": 4096},
			[]string{"text:last"}, "end_turn"},
		{"assistant prefill counts", sc, map[string]any{"tools": oneTool, "messages": convo(2)}, []string{"text:second", "tool_use:Bash"}, "tool_use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testServer(t, Options{Scenario: tt.scenario})
			w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", reqBody(tt.body))
			mustStatus(t, w, 200)
			var m struct {
				Content    []map[string]any `json:"content"`
				StopReason string           `json:"stop_reason"`
			}
			json.Unmarshal(w.Body.Bytes(), &m)
			var got []string
			for _, b := range m.Content {
				switch typ := b["type"].(string); typ {
				case "tool_use":
					got = append(got, "tool_use:"+b["name"].(string))
				case "thinking":
					got = append(got, "thinking:"+b["thinking"].(string))
				default:
					got = append(got, typ+":"+b["text"].(string))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("content mismatch (-want +got):\n%s", diff)
			}
			if m.StopReason != tt.stop {
				t.Errorf("stop_reason = %s, want %s", m.StopReason, tt.stop)
			}
		})
	}
}

// TestPickToolChoiceNone: a request that may not call tools is answered
// like a side call, even though it lists tools (basalt's compaction keeps
// them for the prompt cache).
func TestPickToolChoiceNone(t *testing.T) {
	t.Parallel()
	sc := &Scenario{Turns: []Turn{{Text: "main", ToolUse: []ToolUse{{Name: "Read", Input: []byte(`{}`)}}}}, SideReply: "side"}
	req := &invokeRequest{Tools: []json.RawMessage{[]byte(`{"name":"Read"}`)}}
	if got := sc.pick(req).Text; got != "main" {
		t.Errorf("with tools: %q, want main", got)
	}
	req.ToolChoice.Type = "none"
	if got := sc.pick(req); got.Text != "side" || len(got.ToolUse) != 0 {
		t.Errorf("tool_choice none: %+v, want the side reply", got)
	}
}
