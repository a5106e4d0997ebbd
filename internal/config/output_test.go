package config

import (
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/model"
)

func TestOutputLimitsFor(t *testing.T) {
	sonnet, _ := model.Lookup("global.anthropic.claude-sonnet-4-6")
	set := func(n int) Value[int] { return Value[int]{Value: n, Set: true, Source: Source{Kind: SourceEnv}} }
	tests := []struct {
		name                  string
		out, think            Value[int]
		m                     *model.Model
		wantMax, wantThinking int
	}{
		{"default", Value[int]{}, Value[int]{}, sonnet, 4096, 0},
		{"set", set(16000), Value[int]{}, sonnet, 16000, 0},
		{"thinking fits", Value[int]{}, set(2048), sonnet, 4096, 2048},
		// Claude Code's behaviour: the default limit grows to fit the
		// budget and an answer, rather than thinking silently off.
		{"thinking raises the default", Value[int]{}, set(8000), sonnet, 8000 + 4096, 8000},
		{"thinking within the model's maximum", Value[int]{}, set(100_000), sonnet, 64000, 64000 - 4096},
		{"a set limit wins over the budget", set(8000), set(10_000), sonnet, 8000, 7999},
		{"unknown model", Value[int]{}, set(8000), nil, 12096, 8000},
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

// TestOutputLimitAboveTheModelsMaximum: CLAUDE_CODE_MAX_OUTPUT_TOKENS
// above the configured model's maximum is a configuration error at
// start-up that names the maximum; at or below it is fine.
func TestOutputLimitAboveTheModelsMaximum(t *testing.T) {
	for _, tt := range []struct {
		model, value string
		want         string
	}{
		{"sonnet", "100000", "above the maximum output of us.anthropic.claude-sonnet-4-6, 64000 tokens: set it to 64000 or less"},
		{"sonnet", "64000", ""},
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
