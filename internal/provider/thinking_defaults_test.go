package provider

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/model"
)

// TestThinkingDefaultsMatchClaudeCode builds a conversation turn for each
// request Claude Code 2.1.197 was recorded making with no effort or
// thinking settings, or only the one named (testdata/claude-code/
// thinking-defaults.json), and compares thinking, output_config, the
// interleaved beta and, with thinking on, max_tokens.
func TestThinkingDefaultsMatchClaudeCode(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/claude-code/thinking-defaults.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Requests []struct {
			Path         string          `json:"path"`
			Settings     string          `json:"settings"`
			Thinking     json.RawMessage `json:"thinking"`
			OutputConfig json.RawMessage `json:"output_config"`
			Betas        []string        `json:"anthropic_beta"`
			MaxTokens    int64           `json:"max_tokens"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	for _, g := range golden.Requests {
		if strings.Contains(g.Settings, "retry") {
			continue // Fable's refusal fallback: the same fields again
		}
		id := strings.TrimSuffix(strings.TrimPrefix(g.Path, "/model/"), "/invoke-with-response-stream")
		t.Run(id+" "+g.Settings, func(t *testing.T) {
			t.Parallel()
			var th Thinking
			switch g.Settings {
			case "":
			case "alwaysThinkingEnabled=false":
				th.Always = new(bool)
			case "CLAUDE_CODE_DISABLE_THINKING=1":
				th.Disable = true
			case "effortLevel=medium":
				th.Effort = "medium"
			default:
				t.Fatalf("settings %q: not understood by the test", g.Settings)
			}
			m, ok := model.Lookup(id)
			if !ok {
				t.Fatalf("%s: not in the catalog", id)
			}
			// max_tokens as config.OutputLimitsFor gives it: Claude Code's
			// per-model default with thinking on, basalt's own off.
			maxTokens := int64(DefaultMaxTokens)
			if m.ThinksByDefault(th.off()) {
				maxTokens = int64(m.DefaultMaxTokens)
			}
			c, err := New(Config{Provider: Anthropic, APIKey: "x", Thinking: th})
			if err != nil {
				t.Fatal(err)
			}
			p, betas := c.params(Request{Model: id, Turn: true, Params: anthropic.MessageNewParams{MaxTokens: maxTokens}})
			gotT, _ := json.Marshal(p.Thinking)
			gotO, _ := json.Marshal(p.OutputConfig)
			wantO := g.OutputConfig
			if string(wantO) == "null" {
				wantO = json.RawMessage(`{}`)
			}
			if !jsonEqual(gotT, g.Thinking) {
				t.Errorf("thinking = %s, Claude Code sent %s", gotT, g.Thinking)
			}
			if !jsonEqual(gotO, wantO) {
				t.Errorf("output_config = %s, Claude Code sent %s", gotO, g.OutputConfig)
			}
			if got, want := slices.Contains(betas, BetaInterleaved), slices.Contains(g.Betas, BetaInterleaved); got != want {
				t.Errorf("interleaved beta %v (%v), Claude Code %v (%v)", got, betas, want, g.Betas)
			}
			if string(g.Thinking) != "null" && p.MaxTokens != g.MaxTokens {
				t.Errorf("max_tokens %d, Claude Code sent %d", p.MaxTokens, g.MaxTokens)
			}
		})
	}
}

// TestSideRequestsThinkOnlyWhenAsked: a request outside the conversation
// (a doctor probe, the small model) keeps thinking and effort off unless
// the user asked, so that thinking on by default does not change what a
// one-token probe costs.
func TestSideRequestsThinkOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		th       Thinking
		thinking bool
	}{
		{"nothing said", Thinking{}, false},
		{"effortLevel set", Thinking{Effort: "high"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{Provider: Anthropic, APIKey: "x", Thinking: tc.th})
			if err != nil {
				t.Fatal(err)
			}
			p, _ := c.params(Request{Model: "us.anthropic.claude-opus-4-6-v1", Params: anthropic.MessageNewParams{MaxTokens: 1}})
			if got := p.Thinking.OfAdaptive != nil; got != tc.thinking {
				t.Errorf("thinking %v, want %v", got, tc.thinking)
			}
			if got := p.OutputConfig.Effort != ""; got != tc.thinking {
				t.Errorf("effort %q", p.OutputConfig.Effort)
			}
		})
	}
}
