package agent

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

// smallModelMaxTokens bounds an answer when the caller sets no bound.
const smallModelMaxTokens = 4096

// AskSmallModel sends one request to the session's small, fast model
// (falling back to the primary one, with a notice, when the small model
// is not accessible) and returns its text. Its tokens and cost count
// into the session at once, as a compaction's do (the meter, so the
// budget, /cost and the result see them); the transcript entry and the
// usage event follow when the tool calls of the turn have ended
// ([Session.flushSideCalls]), on the loop's goroutine. Tools call it
// (WebFetch), possibly several at once.
func (s *Session) AskSmallModel(ctx context.Context, req tool.SmallModelRequest) (string, error) {
	small := s.o.Models.SmallFast
	if small.ID == "" {
		small = s.model
	}
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = smallModelMaxTokens
	}
	params := anthropic.MessageNewParams{
		MaxTokens: int64(maxTokens),
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(req.Prompt))},
	}
	if req.System != "" {
		params.System = []anthropic.TextBlockParam{{Text: req.System}}
	}
	pr := provider.Request{Model: small.ID, Region: s.o.Models.SmallFastRegion, Params: params}
	if small.ID != s.model.ID {
		pr.Fallback = s.model.ID
	}
	var notices []string
	resp, err := s.o.Client.Stream(ctx, pr, func(ev provider.Event) {
		switch ev.Kind {
		case provider.EventNotice:
			notices = append(notices, ev.Notice)
		case provider.EventVoidUsage:
			s.countSideCall(ev.Model, ev.Usage, req.Purpose+" (did not complete)")
		}
	})
	for _, n := range notices {
		s.side.notice(n)
	}
	if err != nil {
		return "", err
	}
	s.countSideCall(resp.Model, resp.Message.Usage, req.Purpose)
	text := strings.TrimSpace(finalText(resp.Message))
	if text == "" {
		return "", fmt.Errorf("the small model (%s) returned no text (stop reason %s)", resp.Model, resp.Message.StopReason)
	}
	return text, nil
}

// countSideCall adds a side call's usage to the meter now and queues its
// transcript entry and usage event.
func (s *Session) countSideCall(modelID string, u anthropic.Usage, purpose string) {
	usage := cost.FromAnthropic(u)
	if usage == (cost.Usage{}) {
		return
	}
	c := s.meter.Add(modelID, s.modelFor(modelID), usage)
	total, totalCost := s.meter.Session()
	e := session.Entry{Type: session.TypeNotice, Text: "small model request: " + purpose, Model: modelID, Usage: &usage}
	if c.Known {
		usd := c.USD
		e.CostUSD = &usd
	}
	s.side.add(e, cost.TurnReport{Turn: usage, TurnCost: c, Session: total, SessionCost: totalCost})
}

// modelFor is the catalog entry of a model the session sent a request
// to, for its price.
func (s *Session) modelFor(id string) *model.Model {
	switch id {
	case s.o.Models.SmallFast.ID:
		if s.o.Models.SmallFast.Model != nil {
			return s.o.Models.SmallFast.Model
		}
	case s.model.ID:
		return s.model.Model
	}
	m, _ := model.Lookup(id)
	return m
}

// flushSideCalls records the side calls made since the last flush: their
// transcript entries and usage events, and the notices they raised.
func (s *Session) flushSideCalls(on func(Event)) {
	if s.side == nil {
		return
	}
	entries, reports, notices := s.side.take()
	for _, n := range notices {
		on(Event{Kind: EventNotice, Text: n})
	}
	for i, e := range entries {
		s.append(e)
		on(Event{Kind: EventUsage, Usage: reports[i]})
	}
}

// sideCalls queues what side calls made on tool goroutines leave for
// the loop's goroutine.
type sideCalls struct {
	mu      sync.Mutex
	entries []session.Entry
	reports []cost.TurnReport
	notices []string
}

func (q *sideCalls) add(e session.Entry, r cost.TurnReport) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.entries = append(q.entries, e)
	q.reports = append(q.reports, r)
}

func (q *sideCalls) notice(n string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.notices = append(q.notices, n)
}

func (q *sideCalls) take() ([]session.Entry, []cost.TurnReport, []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e, r, n := q.entries, q.reports, q.notices
	q.entries, q.reports, q.notices = nil, nil, nil
	return e, r, n
}
