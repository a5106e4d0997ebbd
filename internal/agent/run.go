package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/provider"
)

// Run sends a prompt and works until the model ends its turn, a limit
// stops it, or ctx is cancelled. Every completed step (a model answer and
// its tool results) is in the transcript, synced, before the next starts.
// On cancellation the conversation is left valid: calls that did not
// finish get an "interrupted" result, and the next Run works.
func (s *Session) Run(ctx context.Context, prompt string, on func(Event)) (*Result, error) {
	return s.RunContent(ctx, []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(prompt)}, on)
}

// RunContent is Run with a prompt of content blocks (text, images,
// documents), as --input-format stream-json delivers them.
func (s *Session) RunContent(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(Event)) (*Result, error) {
	defer s.endGrants() // a command's or skill's grants last one turn
	if on == nil {
		on = func(Event) {}
	}
	if s.resumeNotice != "" {
		on(Event{Kind: EventNotice, Text: s.resumeNotice})
		s.resumeNotice = ""
	}
	if s.overBudget() {
		// Spent is spent: a prompt after the budget is refused before it
		// is sent (or even added to the conversation), with the way out.
		return &Result{}, &LimitError{Kind: LimitBudget, Limit: s.budgetLabel(), Refused: true}
	}
	s.turn++
	s.addUser(append(s.takeSessionContext(), s.withSkillListing(prompt)...))
	res := &Result{}
	if s.o.Sidechain == nil {
		// A subagent's requests belong to the parent's turn, which the
		// parent closes.
		defer func() { res.Turn = s.meter.EndTurn() }()
	} else {
		s.countAgentRun()
	}
	// answer is the text of an answer cut at max_tokens and continued so
	// far; continuations and cutCalls count toward their bounds.
	var answer strings.Builder
	continuations, cutCalls, stopContinued := 0, 0, 0
	defer s.endFallback()
	for {
		if s.o.MaxTurns > 0 && res.Requests >= s.o.MaxTurns {
			return res, &LimitError{Kind: LimitTurns, Limit: strconv.Itoa(s.o.MaxTurns)}
		}
		if err := s.maybeCompact(ctx, on); err != nil {
			if ctx.Err() != nil {
				return res, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
			}
			// The request may still fit; if not, the service says so.
			on(Event{Kind: EventNotice, Text: fmt.Sprintf("could not compact the conversation (%v); going on without", err)})
		}
		s.syncTools(on, true)
		canContinue := continuations < MaxContinuations
		resp, err := s.request(ctx, on, canContinue)
		for err != nil && ctx.Err() == nil && s.switchToFallback(err, on) {
			resp, err = s.request(ctx, on, canContinue)
		}
		if err != nil {
			if ctx.Err() != nil {
				s.note("interrupted", "interrupted while the model was answering")
				return res, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
			}
			return res, err
		}
		res.Requests++
		res.Model = resp.Model
		msg := resp.Message
		res.StopReason = string(msg.StopReason)
		res.Text = answer.String() + finalText(msg)
		if resp.Guardrail {
			// Show the intervention, but do not send the blocked exchange
			// again: it would be blocked again, and every later prompt with
			// it (peers.md §3, complaint 13).
			res.Guardrail = true
			s.dropLastExchange()
			on(Event{Kind: EventNotice, Text: "a Bedrock guardrail blocked this exchange; it will not be sent again"})
			return res, s.sync()
		}
		calls := toolCalls(msg)
		for _, c := range calls {
			c.Agent = s.agentLabel()
			s.legacyName(c)
		}
		if msg.StopReason == anthropic.StopReasonMaxTokens && len(calls) == 0 {
			// A text answer cut at max_tokens: the model goes on from
			// where it stopped, and the user gets one whole answer.
			if continuations >= MaxContinuations {
				return res, errors.Join(s.outputLimit(resp.MaxTokens, false), s.sync())
			}
			continuations++
			answer.WriteString(finalText(msg))
			s.addContinuation()
			if err := s.sync(); err != nil {
				return res, err
			}
			continue
		}
		answer.Reset()
		continuations = 0
		if len(calls) == 0 {
			if s.stopHook(ctx, msg, stopContinued > 0, stopContinued, on) {
				stopContinued++
				if err := s.sync(); err != nil {
					return res, err
				}
				continue
			}
			return res, s.sync()
		}
		if msg.StopReason != anthropic.StopReasonToolUse {
			// A call cut off even at the model's maximum output (request
			// retried it once): it is not run, and the model is told why
			// and how to split the work, then goes on.
			cutCalls++
			s.addResultBlocks(cutCallResults(calls, resp.MaxTokens), on)
			on(Event{Kind: EventNotice, Text: fmt.Sprintf("a %s call did not fit in the model's maximum output (max_tokens %d); the model was asked to split the work", calls[len(calls)-1].Name, resp.MaxTokens)})
			if serr := s.sync(); serr != nil {
				return res, serr
			}
			if cutCalls >= maxCutCalls {
				return res, s.outputLimit(resp.MaxTokens, true)
			}
			continue
		}
		cutCalls = 0
		if s.overBudget() {
			s.addResultBlocks(skipped(calls, "Not run: the session reached its budget (--max-budget-usd)."), on)
			return res, errors.Join(&LimitError{Kind: LimitBudget, Limit: s.budgetLabel()}, s.sync())
		}
		s.awaitTools(ctx, calls, on)
		blocks, err := s.runTools(ctx, calls, on)
		s.addResultBlocks(blocks, on)
		if serr := s.sync(); serr != nil {
			return res, serr
		}
		if err != nil {
			if ctx.Err() != nil {
				s.note("interrupted", "interrupted while tools were running")
				return res, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
			}
			return res, err
		}
		if s.takeHookStop(on) {
			return res, nil
		}
		if s.overBudget() {
			// The tools spent too (subagents, side calls): the budget
			// stops the turn before another request, not after it.
			return res, &LimitError{Kind: LimitBudget, Limit: s.budgetLabel()}
		}
	}
}

// request makes one model request with the cache breakpoints in place,
// retrying once with a larger limit when the answer was cut inside a tool
// call, and records the answer.
//
// canContinue says whether a text answer cut at max_tokens will be
// continued (Run's bound): its EventAssistant then says Continued, so a
// frontend keeps showing one answer.
func (s *Session) request(ctx context.Context, on func(Event), canContinue bool) (*provider.Response, error) {
	params := anthropic.MessageNewParams{System: s.system, Tools: s.toolDefs, Messages: s.messages}
	clear := s.placeBreakpoints()
	defer clear()
	s.applyOutputLimits(&params)
	req := provider.Request{Model: s.model.ID, Catalog: s.model.Model, Params: params, Betas: s.betas(), Turn: true}
	start := time.Now()
	resp, err := s.o.Client.Stream(ctx, req, s.forward(on))
	if err == nil && truncatedToolCall(resp.Message) && resp.MaxTokens < s.maxOutput() {
		// A tool call is useless unless whole: ask again at the model's
		// maximum output (the catalog's), as Claude Code escalates. The
		// cut attempt's tokens are paid for, so they are counted.
		limit := s.maxOutput()
		on(Event{Kind: EventReset})
		on(Event{Kind: EventNotice, Text: fmt.Sprintf("the answer was cut off inside a tool call at max_tokens %d; asking again with max_tokens %d, the model's maximum", resp.MaxTokens, limit)})
		s.recordVoid(resp, on)
		req.Params.MaxTokens = int64(limit)
		resp, err = s.o.Client.Stream(ctx, req, s.forward(on))
	}
	s.apiTime += time.Since(start)
	if err != nil {
		return nil, err
	}
	s.requests++
	report := s.account(resp)
	s.lastInput = cost.FromAnthropic(resp.Message.Usage).TotalInput()
	s.prevBreak = len(s.messages) - 1

	p := resp.Message.ToParam()
	s.messages = append(s.messages, p)
	s.lastCount = len(s.messages)
	raw := marshal(p)
	s.append(entryAssistant(raw, resp, report))
	// Consumers get the whole API message (id, model, stop_reason,
	// usage), as stream-json users expect; the transcript keeps the
	// request form.
	cut := resp.Message.StopReason == anthropic.StopReasonMaxTokens && len(toolCalls(resp.Message)) == 0 && !resp.Guardrail
	on(Event{Kind: EventAssistant, Message: apiMessage(resp, p), Continued: cut && canContinue})
	on(Event{Kind: EventUsage, Usage: report, RequestID: resp.RequestID, Guardrail: resp.Guardrail})
	return resp, nil
}

// account adds a response's usage to the meter.
func (s *Session) account(resp *provider.Response) cost.TurnReport {
	u := cost.FromAnthropic(resp.Message.Usage)
	c := s.meter.AddServed(resp.Model, s.model.Model, cost.Tier(resp.ServiceTier), u)
	s.accountAgent(u, c)
	total, totalCost := s.meter.Session()
	return cost.TurnReport{Turn: u, TurnCost: c, TurnSavings: cost.Savings(s.model.Model, resp.Model, u), Session: total, SessionCost: totalCost}
}

// forward translates provider events into agent events.
func (s *Session) forward(on func(Event)) func(provider.Event) {
	return func(ev provider.Event) {
		switch ev.Kind {
		case provider.EventMessage:
			if raw := ev.Message.RawJSON(); raw != "" {
				on(Event{Kind: EventStream, Message: json.RawMessage(raw)})
			}
			if ev.Message.Type != "content_block_delta" {
				return
			}
			switch ev.Message.Delta.Type {
			case "text_delta":
				on(Event{Kind: EventText, Text: ev.Message.Delta.Text})
			case "thinking_delta":
				on(Event{Kind: EventThinking, Text: ev.Message.Delta.Thinking})
			}
		case provider.EventReset:
			on(Event{Kind: EventReset})
		case provider.EventRetry:
			on(Event{Kind: EventRetry, Retry: ev.Retry})
		case provider.EventNotice:
			on(Event{Kind: EventNotice, Text: ev.Notice})
		case provider.EventVoidUsage:
			s.recordVoidUsage(ev.Model, ev.Usage, "a request that did not complete (interrupted, or its stream was cut and retried)", on)
		}
	}
}

// placeBreakpoints puts cache_control on the last block of the message
// that ended the previous request (everything up to there was written to
// the cache, so this request reads it) and on the newest block (so the
// next request can read this one). With the breakpoint after the system
// prompt that makes three of Bedrock's four. It returns the function that
// takes them off again: the stored conversation has none.
func (s *Session) placeBreakpoints() func() {
	if !s.cache || len(s.messages) == 0 {
		return func() {}
	}
	var set []*anthropic.CacheControlEphemeralParam
	mark := func(i int) {
		if i < 0 || i >= len(s.messages) {
			return
		}
		content := s.messages[i].Content
		for j := len(content) - 1; j >= 0; j-- {
			if cc := content[j].GetCacheControl(); cc != nil && cacheable(content[j]) {
				*cc = s.cc
				set = append(set, cc)
				return
			}
		}
	}
	mark(s.prevBreak)
	if last := len(s.messages) - 1; last != s.prevBreak {
		mark(last)
	}
	return func() {
		for _, cc := range set {
			*cc = anthropic.CacheControlEphemeralParam{}
		}
	}
}

// cacheable reports whether a block may carry cache_control: not thinking
// blocks, not empty text.
func cacheable(b anthropic.ContentBlockParamUnion) bool {
	switch {
	case b.OfThinking != nil, b.OfRedactedThinking != nil:
		return false
	case b.OfText != nil:
		return strings.TrimSpace(b.OfText.Text) != ""
	}
	return true
}

func (s *Session) betas() []string {
	if s.model.LongContext && s.model.Model != nil && s.model.Model.LongContextBeta != "" {
		return []string{s.model.Model.LongContextBeta}
	}
	return nil
}

func truncatedToolCall(m anthropic.Message) bool {
	return m.StopReason == anthropic.StopReasonMaxTokens && len(m.Content) > 0 && m.Content[len(m.Content)-1].Type == "tool_use"
}

func toolCalls(m anthropic.Message) []*ToolCall {
	var calls []*ToolCall
	for _, b := range m.Content {
		if b.Type == "tool_use" {
			calls = append(calls, &ToolCall{ID: b.ID, Name: b.Name, Input: b.Input})
		}
	}
	return calls
}

// apiMessage is the assistant message in the API's response shape, built
// from the clean request form (the SDK's accumulated struct would marshal
// every zero field of every block variant).
func apiMessage(resp *provider.Response, p anthropic.MessageParam) json.RawMessage {
	m := resp.Message
	u := m.Usage
	var stopSeq any
	if m.StopSequence != "" {
		stopSeq = m.StopSequence
	}
	b, err := json.Marshal(struct {
		ID           string                             `json:"id"`
		Type         string                             `json:"type"`
		Role         string                             `json:"role"`
		Model        string                             `json:"model"`
		Content      []anthropic.ContentBlockParamUnion `json:"content"`
		StopReason   string                             `json:"stop_reason"`
		StopSequence any                                `json:"stop_sequence"`
		Usage        map[string]int64                   `json:"usage"`
	}{m.ID, "message", "assistant", resp.Model, p.Content, string(m.StopReason), stopSeq, map[string]int64{
		"input_tokens": u.InputTokens, "output_tokens": u.OutputTokens,
		"cache_creation_input_tokens": u.CacheCreationInputTokens, "cache_read_input_tokens": u.CacheReadInputTokens,
	}})
	if err != nil {
		return marshal(p)
	}
	return b
}

func finalText(m anthropic.Message) string {
	var parts []string
	for _, b := range m.Content {
		if b.Type == "text" && b.Text != "" {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func skipped(calls []*ToolCall, why string) []anthropic.ContentBlockParamUnion {
	out := make([]anthropic.ContentBlockParamUnion, len(calls))
	for i, c := range calls {
		out[i] = anthropic.NewToolResultBlock(c.ID, why, true)
	}
	return out
}

// addUser appends user content, merging it into the last message when that
// is already a user message (after an interruption), since roles alternate.
func (s *Session) addUser(blocks []anthropic.ContentBlockParamUnion) {
	if n := len(s.messages); n > 0 && s.messages[n-1].Role == anthropic.MessageParamRoleUser {
		s.messages[n-1].Content = append(s.messages[n-1].Content, blocks...)
	} else {
		s.messages = append(s.messages, anthropic.MessageParam{Role: anthropic.MessageParamRoleUser, Content: blocks})
	}
	s.append(entryUser(marshal(anthropic.MessageParam{Role: anthropic.MessageParamRoleUser, Content: blocks})))
}

func (s *Session) addResultBlocks(blocks []anthropic.ContentBlockParamUnion, on func(Event)) {
	m := anthropic.MessageParam{Role: anthropic.MessageParamRoleUser, Content: blocks}
	s.messages = append(s.messages, m)
	raw := marshal(m)
	s.append(entryUser(raw))
	on(Event{Kind: EventToolResults, Message: raw})
}

// dropLastExchange removes the blocked assistant message and the exchange
// that provoked it, back to and including the user's prompt, so that no
// tool call is left without its result (the same rule the transcript
// applies on resume).
func (s *Session) dropLastExchange() {
	if n := len(s.messages); n > 0 && s.messages[n-1].Role == anthropic.MessageParamRoleAssistant {
		s.messages = s.messages[:n-1]
	}
	for len(s.messages) > 0 {
		last := s.messages[len(s.messages)-1]
		s.messages = s.messages[:len(s.messages)-1]
		if last.Role == anthropic.MessageParamRoleUser && typedPrompt(last) {
			break
		}
	}
	s.prevBreak = min(s.prevBreak, len(s.messages)-1)
}
