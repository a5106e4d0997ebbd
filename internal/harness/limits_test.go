package harness

import (
	"errors"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
)

// TestOutputLimitFollowsTheModel: a session sends the limit config
// computes for its model, and a /model switch to a model whose maximum is
// below CLAUDE_CODE_MAX_OUTPUT_TOKENS is refused with that maximum.
func TestOutputLimitFollowsTheModel(t *testing.T) {
	r := newRig(t, countingScenario, map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "100000", "ANTHROPIC_MODEL": "opus"})
	s, _ := r.open(t, Options{})
	answerOf(t, s, "hello")
	recs := r.emu.Records()
	if got := recs[len(recs)-1].MaxTokens; got != 100000 {
		t.Errorf("max_tokens %d, want 100000 (Opus allows 128000)", got)
	}
	_, err := s.SetModel(t.Context(), "haiku")
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "64000 tokens") {
		t.Fatalf("switch to haiku: %v, want a usage error naming its maximum", err)
	}
	if got := s.Info().Model; got != "opus" {
		t.Errorf("model %s after the refused switch", got)
	}
}

// TestBudgetCanBeRaised: after the budget, a prompt is refused unsent;
// SetBudget (/budget) raises it for this conversation and the next.
func TestBudgetCanBeRaised(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{MaxBudgetUSD: 1e-9})
	answerOf(t, s, "hello")
	n := len(r.emu.Records())
	_, err := s.Run(t.Context(), "more", func(agent.Event) {})
	var limit *agent.LimitError
	if !errors.As(err, &limit) || len(r.emu.Records()) != n {
		t.Fatalf("err %v, %d requests after %d: want the prompt refused unsent", err, len(r.emu.Records()), n)
	}
	if _, err := s.SetBudget(-1); err == nil {
		t.Error("a negative budget was accepted")
	}
	info, err := s.SetBudget(50)
	if err != nil || info.MaxBudgetUSD != 50 {
		t.Fatalf("SetBudget: %v, info budget %v", err, info.MaxBudgetUSD)
	}
	if _, err := s.Run(t.Context(), "more", func(agent.Event) {}); err != nil {
		t.Fatalf("after raising the budget: %v", err)
	}
	if _, err := s.Reset(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if got := s.Info().MaxBudgetUSD; got != 50 {
		t.Errorf("budget %v after /clear, want the raised 50", got)
	}
}
