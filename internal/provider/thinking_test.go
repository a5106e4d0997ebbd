package provider

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
)

// TestThinkingMatchesClaudeCode builds the requests Claude Code was
// recorded making (testdata/claude-code/thinking-requests.json) and
// compares the thinking and effort fields.
func TestThinkingMatchesClaudeCode(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/claude-code/thinking-requests.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Requests []struct {
			Env          string          `json:"env"`
			Path         string          `json:"path"`
			Thinking     json.RawMessage `json:"thinking"`
			OutputConfig json.RawMessage `json:"output_config"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	for _, g := range golden.Requests {
		if strings.Contains(g.Env, "retry") {
			continue
		}
		t.Run(g.Env+" "+g.Path, func(t *testing.T) {
			t.Parallel()
			var th Thinking
			for _, kv := range strings.Fields(g.Env) {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "CLAUDE_CODE_EFFORT_LEVEL":
					th.Effort = v
				case "MAX_THINKING_TOKENS":
					th.Budget = 8000
					if v == "5000" {
						th.Budget = 5000
					}
				case "CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING":
					th.DisableAdaptive = true
				}
			}
			c, err := New(Config{Provider: Anthropic, APIKey: "x", Thinking: th, MaxOutputTokens: 64000})
			if err != nil {
				t.Fatal(err)
			}
			id := strings.TrimSuffix(strings.TrimPrefix(g.Path, "/model/"), "/invoke-with-response-stream")
			p, _ := c.params(Request{Model: id, Turn: true, Params: anthropic.MessageNewParams{}})
			gotT, _ := json.Marshal(p.Thinking)
			gotO, _ := json.Marshal(p.OutputConfig)
			if !jsonEqual(gotT, g.Thinking) {
				t.Errorf("thinking = %s, Claude Code sent %s", gotT, g.Thinking)
			}
			want := g.OutputConfig
			if string(want) == "null" {
				want = json.RawMessage(`{}`)
			}
			if !jsonEqual(gotO, want) {
				t.Errorf("output_config = %s, Claude Code sent %s", gotO, want)
			}
		})
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
