package provider

import (
	"slices"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/model"
)

// Thinking is what the user said about extended thinking, in Claude
// Code's terms (its settings and environment variables).
type Thinking struct {
	// Budget is MAX_THINKING_TOKENS: a budget_tokens for the models that
	// take one. 0: none asked for.
	Budget int
	// Effort is effortLevel / CLAUDE_CODE_EFFORT_LEVEL / /effort: low,
	// medium, high, xhigh or max; "" or "auto": none sent.
	Effort string
	// Always is alwaysThinkingEnabled: true asks for thinking on every
	// model, false for none (where the model allows it off).
	Always *bool
	// Disable is CLAUDE_CODE_DISABLE_THINKING.
	Disable bool
	// DisableAdaptive is CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING: a model
	// that also takes a budget gets the budget instead.
	DisableAdaptive bool
	// DisableInterleaved is DISABLE_INTERLEAVED_THINKING: no
	// interleaved-thinking beta.
	DisableInterleaved bool
}

// Claude Code's defaults, recorded against the emulator (testdata/
// claude-code/): the budget it sends with thinking on and no
// MAX_THINKING_TOKENS, and the beta that lets a model think between tool
// calls.
const (
	defaultThinkingBudget = 31_999
	BetaInterleaved       = "interleaved-thinking-2025-05-14"
)

// asked reports whether the user turned thinking on in any way. basalt
// keeps thinking off on the models that allow it off unless asked, where
// Claude Code turns it on by default: Bedrock reserves max_tokens against
// the quota, and a cost that changes without a setting surprises a team
// (README, Thinking).
func (t Thinking) asked() bool {
	if t.Disable || (t.Always != nil && !*t.Always) {
		return false
	}
	return t.Budget > 0 || (t.Effort != "" && t.Effort != "auto") || (t.Always != nil && *t.Always)
}

// applyThinking fills thinking, output_config.effort and the interleaved
// beta as Claude Code sends them on Bedrock for m (nil: a model basalt
// does not know, which gets a budget if one was asked for, as before):
//   - a model that always thinks gets thinking.type "adaptive" whatever
//     was said, since off is not an option there;
//   - else, when thinking was asked for: "adaptive" on the models that
//     take it (unless CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING and the model
//     also takes a budget), budget_tokens on the others;
//   - effort goes wherever the model takes it and a level was set, lowered
//     to the highest level the model has (model.EffortFor);
//   - the interleaved-thinking beta goes with thinking on every model but
//     Haiku, as Claude Code does, unless DISABLE_INTERLEAVED_THINKING.
//
// A caller's explicit Thinking (compaction turns thinking off) wins.
func (t Thinking) apply(p *anthropic.MessageNewParams, m *model.Model, betas *[]string) {
	if p.Thinking.OfEnabled != nil || p.Thinking.OfDisabled != nil || p.Thinking.OfAdaptive != nil {
		return
	}
	on := t.asked()
	switch {
	case m == nil:
		if on && t.Budget > 0 {
			t.budget(p, t.Budget, 0)
		}
	case m.AlwaysThinks || (on && m.Adaptive && (!t.DisableAdaptive || m.AdaptiveThinkingOnly)):
		p.Thinking = anthropic.ThinkingConfigParamUnion{OfAdaptive: &anthropic.ThinkingConfigAdaptiveParam{}}
	case on && m.Thinking && !m.AdaptiveThinkingOnly:
		budget := t.Budget
		if budget == 0 {
			budget = defaultThinkingBudget
		}
		t.budget(p, budget, m.MaxOutput)
	}
	if level, _ := m.EffortFor(t.Effort); level != "" {
		p.OutputConfig.Effort = anthropic.OutputConfigEffort(level)
	}
	thinking := p.Thinking.OfEnabled != nil || p.Thinking.OfAdaptive != nil
	if thinking && !t.DisableInterleaved && (m == nil || m.Family != model.Haiku) && !slices.Contains(*betas, BetaInterleaved) {
		*betas = append(*betas, BetaInterleaved)
	}
}

// budget sends budget_tokens, raising max_tokens past it when needed
// (thinking counts against max_tokens) as config.OutputLimits does for
// MAX_THINKING_TOKENS, but never past the model's maximum output
// (maxOut, 0: unknown); there the budget comes down to max_tokens − 1, as
// Claude Code sends 31,999 under 32,000.
func (t Thinking) budget(p *anthropic.MessageNewParams, budget, maxOut int) {
	b := int64(max(budget, 1024))
	if b >= p.MaxTokens {
		p.MaxTokens = b + DefaultMaxTokens
		if maxOut > 0 && p.MaxTokens > int64(maxOut) {
			p.MaxTokens = int64(maxOut)
		}
	}
	if b >= p.MaxTokens {
		b = p.MaxTokens - 1
	}
	if b < 1024 {
		return
	}
	p.Thinking = anthropic.ThinkingConfigParamOfEnabled(b)
}

func (c *Client) thinking() Thinking {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg.Thinking
}

// Effort is the effort level the client sends ("": none set).
func (c *Client) Effort() string { return c.thinking().Effort }

// SetEffort changes the effort level of the following requests (/effort);
// "" or "auto" sends none.
func (c *Client) SetEffort(level string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Thinking.Effort = level
}
