package agent

import (
	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
)

// Every request the service started to answer is billed, whether or not
// its answer joins the conversation: an answer cut inside a tool call and
// asked again, an attempt whose stream dropped, a turn the user
// interrupted. Each is counted in the meter, recorded in the transcript
// (a notice with its usage, which resume and `basalt usage` add up) and
// reported as an EventUsage, so the status line, /cost and the result
// object show what the service's own ledger does.

// recordVoid counts a complete response that is discarded.
func (s *Session) recordVoid(resp *provider.Response, on func(Event)) {
	s.recordVoidUsage(resp.Model, resp.Message.Usage, "an answer cut off inside a tool call, asked again with a larger max_tokens", on)
}

// recordVoidUsage counts the usage u of a request to modelID whose answer
// is void.
func (s *Session) recordVoidUsage(modelID string, u anthropic.Usage, why string, on func(Event)) {
	usage := cost.FromAnthropic(u)
	if usage == (cost.Usage{}) {
		return
	}
	c := s.meter.Add(modelID, s.model.Model, usage)
	total, totalCost := s.meter.Session()
	e := session.Entry{Type: session.TypeNotice, Text: why, Model: modelID, Usage: &usage}
	if c.Known {
		usd := c.USD
		e.CostUSD = &usd
	}
	s.append(e)
	on(Event{Kind: EventUsage, Usage: cost.TurnReport{Turn: usage, TurnCost: c, Session: total, SessionCost: totalCost}})
}
