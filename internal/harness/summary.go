package harness

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// Subtypes of a run's result, the values of the result object's "subtype"
// (DESIGN.md §3).
const (
	Success              = "success"
	ErrorMaxTurns        = "error_max_turns"
	ErrorMaxBudget       = "error_max_budget_usd" // Claude Code's spelling
	ErrorDuringExecution = "error_during_execution"
)

// Summary is the end of a run, for every frontend: the result object of
// -p, the report of basalt demo.
type Summary struct {
	Subtype     string
	Result      string // the final answer's text
	SessionID   string
	Turns       int // model requests of the run
	Duration    time.Duration
	APIDuration time.Duration
	Cost        cost.Cost
	Savings     cost.Cost // what prompt caching saved
	Model       string
	// APIModel is the model's Anthropic API ID (what Claude Code reports
	// as message.model); Model when basalt does not know the model.
	APIModel      string
	ContextWindow int // 0 when unknown
	MaxOutput     int // 0 when unknown
	// StopReason is the last model reply's stop_reason; "" when none came.
	StopReason string
	Usage      cost.Usage
	// APIErrorStatus is the HTTP status of the request that failed the
	// run; 0 when the run did not end on an API error.
	APIErrorStatus int
	// Error is the run's error, redacted by config's rule; "" on success.
	Error string
	// Guardrail: the answer is a Bedrock guardrail's message, not the
	// model's.
	Guardrail bool
	// StructuredOutput is the answer validated against --json-schema;
	// nil without one.
	StructuredOutput json.RawMessage
	// ModelUsage is each model's share of Usage and Cost (modelUsage):
	// the primary (with a resumed session's earlier usage), the
	// small/fast model's side calls, the subagents' models.
	ModelUsage []ModelUsage
}

// ModelUsage is one model's share of a run.
type ModelUsage struct {
	Model         string
	Usage         cost.Usage
	Cost          cost.Cost
	ContextWindow int // 0 when unknown
	MaxOutput     int // 0 when unknown
}

// modelShares splits the session's usage by model. What the meter did
// not see (a resumed session's earlier turns) is the primary's.
func modelShares(a *agent.Session, primary string, total cost.Usage, totalCost cost.Cost) []ModelUsage {
	var out []ModelUsage
	seen := cost.Usage{}
	seenCost := cost.Cost{Known: true}
	for _, sh := range a.ModelUsage() {
		mu := ModelUsage{Model: sh.Model, Usage: sh.Usage, Cost: sh.Cost}
		if m, ok := model.Lookup(sh.Model); ok {
			mu.ContextWindow, mu.MaxOutput = m.ContextWindow, m.MaxOutput
		}
		seen, seenCost = seen.Add(sh.Usage), seenCost.Add(sh.Cost)
		out = append(out, mu)
	}
	rest := subUsage(total, seen)
	if rest == (cost.Usage{}) {
		return out
	}
	for i := range out {
		if out[i].Model == primary {
			out[i].Usage = out[i].Usage.Add(rest)
			out[i].Cost = out[i].Cost.Add(subCost(totalCost, seenCost))
			return out
		}
	}
	mu := ModelUsage{Model: primary, Usage: rest, Cost: subCost(totalCost, seenCost)}
	if m, ok := model.Lookup(primary); ok {
		mu.ContextWindow, mu.MaxOutput = m.ContextWindow, m.MaxOutput
	}
	return append([]ModelUsage{mu}, out...)
}

// Summary sums up a run that started at start and ended with res and
// runErr (Run's results).
func (s *Session) Summary(start time.Time, res *agent.Result, runErr error) Summary {
	a := s.current()
	usage, total := a.Usage()
	sum := Summary{
		Subtype: Success, SessionID: a.ID(), Duration: time.Since(start), APIDuration: a.APITime(),
		Cost: total, Savings: a.Savings(), Model: a.Model().ID, Usage: usage,
	}
	sum.APIModel = sum.Model
	if m := a.Model().Model; m != nil {
		sum.APIModel, sum.ContextWindow, sum.MaxOutput = m.APIID, m.ContextWindow, m.MaxOutput
	}
	if res != nil {
		sum.Result, sum.Turns, sum.Guardrail, sum.StopReason = res.Text, res.Requests, res.Guardrail, res.StopReason
		if res.Model != "" {
			sum.Model = res.Model // a fallback's, when it answered
		}
	}
	sum.StructuredOutput = s.Structured()
	sum.ModelUsage = modelShares(a, sum.Model, usage, total)
	var limit *agent.LimitError
	var structured *StructuredError
	switch {
	case errors.As(runErr, &structured):
		sum.Subtype = ErrorMaxStructuredRetries
	case errors.As(runErr, &limit) && limit.Kind == agent.LimitTurns:
		sum.Subtype = ErrorMaxTurns
	case errors.As(runErr, &limit) && limit.Kind == agent.LimitBudget:
		sum.Subtype = ErrorMaxBudget
	case runErr != nil:
		// Including an answer still cut at max_tokens (agent.LimitOutput):
		// the work was not done, and stop_reason says why.
		sum.Subtype = ErrorDuringExecution
	case sum.StopReason == "max_tokens":
		// Never a success for an answer that did not end on its own.
		sum.Subtype = ErrorDuringExecution
		sum.Error = "the last answer was cut off at max_tokens"
	}
	var apiErr *provider.APIError
	if errors.As(runErr, &apiErr) {
		sum.APIErrorStatus = apiErr.Status
	}
	if runErr != nil {
		sum.Error = config.RedactText(runErr.Error())
	}
	return sum
}

func subUsage(a, b cost.Usage) cost.Usage {
	return cost.Usage{
		InputTokens: a.InputTokens - b.InputTokens, OutputTokens: a.OutputTokens - b.OutputTokens,
		CacheWrite5m: a.CacheWrite5m - b.CacheWrite5m, CacheWrite1h: a.CacheWrite1h - b.CacheWrite1h,
		CacheRead: a.CacheRead - b.CacheRead,
	}
}

func subCost(a, b cost.Cost) cost.Cost {
	return cost.Cost{USD: a.USD - b.USD, Known: a.Known && b.Known}
}
