package config

import (
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/model"
)

func TestOutputLimitsFor(t *testing.T) {
	sonnet, _ := model.Lookup("global.anthropic.claude-sonnet-4-6")
	opus47, _ := model.Lookup("global.anthropic.claude-opus-4-7")
	set := func(n int) Value[int] { return Value[int]{Value: n, Set: true, Source: Source{Kind: SourceEnv}} }
	tests := []struct {
		name                  string
		out, think            Value[int]
		m                     *model.Model
		wantMax, wantThinking int
	}{
		// Thinking is on by default: Claude Code's 32,000 for Sonnet 4.6.
		{"default", Value[int]{}, Value[int]{}, sonnet, 32000, 0},
		{"set", set(16000), Value[int]{}, sonnet, 16000, 0},
		{"thinking fits", Value[int]{}, set(2048), sonnet, 32000, 2048},
		// Claude Code's behaviour: the default limit grows to fit the
		// budget and an answer, rather than thinking silently off.
		{"thinking raises the default", Value[int]{}, set(40000), sonnet, 40000 + 4096, 40000},
		{"thinking within the model's maximum", Value[int]{}, set(200_000), sonnet, 128000, 128000 - 4096},
		{"a set limit wins over the budget", set(8000), set(10_000), sonnet, 8000, 7999},
		{"unknown model", Value[int]{}, set(8000), nil, 12096, 8000},
		// Opus 4.7 takes adaptive thinking only: a budget would be a 400.
		{"no budget on an adaptive-only model", Value[int]{}, set(8000), opus47, 64000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Config{MaxOutputTokens: tt.out, MaxThinkingTokens: tt.think}
			l := c.OutputLimitsFor(tt.m)
			if l.MaxTokens != tt.wantMax || l.Thinking != tt.wantThinking {
				t.Errorf("max_tokens %d thinking %d (%s), want %d and %d", l.MaxTokens, l.Thinking, l.Why, tt.wantMax, tt.wantThinking)
			}
		})
	}
}

// TestOutputLimitsThinkingOff: thinking turned off keeps basalt's own
// 4096 (Bedrock reserves max_tokens against the quota); a model that
// always thinks keeps Claude Code's default whatever was said.
func TestOutputLimitsThinkingOff(t *testing.T) {
	sonnet, _ := model.Lookup("global.anthropic.claude-sonnet-4-6")
	fable, _ := model.Lookup("global.anthropic.claude-fable-5")
	haiku35, _ := model.Lookup("us.anthropic.claude-3-5-haiku-20241022-v1:0")
	off := Value[bool]{Value: false, Set: true}
	for _, tt := range []struct {
		name string
		c    Config
		m    *model.Model
		want int
	}{
		{"alwaysThinkingEnabled false", Config{Thinking: ThinkingConfig{Always: off}}, sonnet, 4096},
		{"CLAUDE_CODE_DISABLE_THINKING", Config{Thinking: ThinkingConfig{Disable: Value[bool]{Value: true, Set: true}}}, sonnet, 4096},
		{"Fable 5 thinks anyway", Config{Thinking: ThinkingConfig{Always: off}}, fable, 64000},
		{"a model without thinking", Config{}, haiku35, 4096},
		{"an unknown model", Config{}, nil, 4096},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if l := tt.c.OutputLimitsFor(tt.m); l.MaxTokens != tt.want {
				t.Errorf("max_tokens %d (%s), want %d", l.MaxTokens, l.Why, tt.want)
			}
		})
	}
}

// TestThinkingBudgetSent: MAX_THINKING_TOKENS is a budget in the request
// only where one can go, and the description says what goes.
func TestThinkingBudgetSent(t *testing.T) {
	sonnet, _ := model.Lookup("global.anthropic.claude-sonnet-4-6")
	haiku35, _ := model.Lookup("us.anthropic.claude-3-5-haiku-20241022-v1:0")
	budget := Value[int]{Value: 8000, Set: true}
	for _, tt := range []struct {
		name   string
		c      Config
		m      *model.Model
		budget int
		mode   string
	}{
		{"asked", Config{MaxThinkingTokens: budget}, sonnet, 8000, "budget 8000"},
		{"CLAUDE_CODE_DISABLE_THINKING wins", Config{MaxThinkingTokens: budget, Thinking: ThinkingConfig{Disable: Value[bool]{Value: true, Set: true}}}, sonnet, 0, "off (CLAUDE_CODE_DISABLE_THINKING"},
		{"alwaysThinkingEnabled false does not", Config{MaxThinkingTokens: budget, Thinking: ThinkingConfig{Always: Value[bool]{Value: false, Set: true}}}, sonnet, 8000, "budget 8000"},
		{"a model that does not think", Config{MaxThinkingTokens: budget}, haiku35, 0, "none (Claude 3.5 Haiku does not think)"},
		{"an unknown model", Config{MaxThinkingTokens: budget}, nil, 8000, "budget 8000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.c.OutputLimitsFor(tt.m)
			if l.Thinking != tt.budget || !strings.HasPrefix(l.ThinkingMode, tt.mode) {
				t.Errorf("budget %d, %q; want %d, %q", l.Thinking, l.ThinkingMode, tt.budget, tt.mode)
			}
		})
	}
}

// TestOutputLimitAboveTheModelsMaximum: CLAUDE_CODE_MAX_OUTPUT_TOKENS
// above the configured model's maximum is a configuration error at
// start-up that names the maximum; at or below it is fine.
func TestOutputLimitAboveTheModelsMaximum(t *testing.T) {
	for _, tt := range []struct {
		model, value string
		want         string
	}{
		{"sonnet", "200000", "above the maximum output of us.anthropic.claude-sonnet-4-6, 128000 tokens: set it to 128000 or less"},
		{"sonnet", "128000", ""},
		{"opus", "100000", ""}, // Opus allows 128000
	} {
		t.Run(tt.model+"/"+tt.value, func(t *testing.T) {
			f := newFixture(t)
			f.env["CLAUDE_CODE_USE_BEDROCK"] = "1"
			f.env["ANTHROPIC_MODEL"] = tt.model
			f.env["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = tt.value
			_, err := f.load()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
