package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
)

// compactAt is the share of the context window at which the conversation
// is summarised before the next request.
const compactAt = 0.8

const summaryRequest = `Summarise our conversation so far so that you can continue the work from the summary alone. Include: the user's goals and constraints, decisions made, files read or changed (with paths), commands run and their outcome, what remains to do, and anything the user asked you to remember. Write it as notes to yourself; do not call tools.`

// window is the context size the session plans for.
func (s *Session) window() int {
	if s.o.ContextWindow > 0 {
		return s.o.ContextWindow
	}
	if m := s.model.Model; m != nil && m.ContextWindow > 0 {
		if s.model.LongContext && m.LongContext > 0 {
			return m.LongContext
		}
		return m.ContextWindow
	}
	if s.model.Model == nil && s.model.LongContext {
		// A model the catalog lacks, asked for with [1m] (claude-fable-5[1m]).
		return model.LongContextTokens
	}
	return 200_000
}

// nextInput estimates the input of the next request: the last request's,
// plus what was added since (its answer and the tool results), so that a
// large tool result triggers compaction before it overflows the window.
func (s *Session) nextInput() int {
	if s.lastInput == 0 {
		return 0
	}
	n := s.lastInput
	if s.lastCount <= len(s.messages) {
		n += approxTokens(s.messages[s.lastCount-1:])
	}
	return n
}

func (s *Session) maybeCompact(ctx context.Context, on func(Event)) error {
	if float64(s.nextInput()) < compactAt*float64(s.window()) {
		return nil
	}
	// When the tools and system prompt alone fill the window, summarising
	// the conversation would not help, and would repeat every request.
	if approxTokens(s.messages) < s.window()/10 {
		return nil
	}
	return s.compact(ctx, on, "auto")
}

// Compact replaces the conversation by a summary the model writes, keeping
// the most recent exchange verbatim. The request reuses the cached prefix
// (same tools and system prompt), so it costs little.
func (s *Session) Compact(ctx context.Context, on func(Event)) error {
	return s.compact(ctx, on, "manual")
}

// compact is Compact, started by the user ("manual") or by a full
// context window ("auto"): the PreCompact hooks' trigger.
func (s *Session) compact(ctx context.Context, on func(Event), trigger string) error {
	if on == nil {
		on = func(Event) {}
	}
	if len(s.messages) < 2 {
		return nil
	}
	summaryRequest, err := s.summaryRequestWithHooks(ctx, trigger, on)
	if err != nil {
		return err
	}
	msgs := append(append([]anthropic.MessageParam{}, s.messages...), anthropic.NewUserMessage(anthropic.NewTextBlock(summaryRequest)))
	if last := len(s.messages) - 1; s.messages[last].Role == anthropic.MessageParamRoleUser {
		// Roles alternate: the request goes into the last user message.
		msgs = append([]anthropic.MessageParam{}, s.messages[:last]...)
		m := s.messages[last]
		m.Content = append(append([]anthropic.ContentBlockParamUnion{}, m.Content...), anthropic.NewTextBlock(summaryRequest))
		msgs = append(msgs, m)
	}
	params := anthropic.MessageNewParams{
		System: s.system, Tools: s.toolDefs, Messages: msgs,
		ToolChoice: anthropic.ToolChoiceUnionParam{OfNone: &anthropic.ToolChoiceNoneParam{}},
	}
	s.applyOutputLimits(&params)
	resp, err := s.o.Client.Stream(ctx, provider.Request{Model: s.model.ID, Catalog: s.model.Model, Params: params, Betas: s.betas()}, s.forwardQuiet(on))
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	summary := finalText(resp.Message)
	if summary == "" {
		s.recordVoidUsage(resp.Model, resp.Message.Usage, "a compaction request that returned no summary", on)
		return errors.Join(fmt.Errorf("compact: the model wrote no summary"), s.sync())
	}
	report := s.account(resp)
	on(Event{Kind: EventUsage, Usage: report})

	kept := s.keep()
	head := anthropic.NewUserMessage(anthropic.NewTextBlock("This conversation was compacted. Summary of what happened before:\n\n" + summary))
	head.Content = append(head.Content, s.afterCompaction()...) // extensions.go
	if len(kept) > 0 && kept[0].Role == anthropic.MessageParamRoleUser {
		head.Content = append(head.Content, kept[0].Content...)
		kept = kept[1:]
	}
	s.messages = append([]anthropic.MessageParam{head}, kept...)
	s.sessionStartAfterCompact(ctx, on)
	s.prevBreak, s.lastInput, s.lastCount = -1, 0, 0
	// Memory loaded along the way was in the summarised messages.
	s.o.memory.Forget()

	// The transcript records the compaction with the message that now
	// opens the conversation, then the kept messages, so a resume
	// continues from the same place.
	// The compaction entry carries the summary request's usage, so a
	// resumed session and `basalt usage` count what it cost.
	ce := session.Entry{Type: session.TypeCompaction, Summary: summary, Message: marshal(s.messages[0]), Model: resp.Model}
	u := report.Turn
	ce.Usage = &u
	if report.TurnCost.Known {
		usd := report.TurnCost.USD
		ce.CostUSD = &usd
	}
	s.append(ce)
	for _, m := range s.messages[1:] {
		if m.Role == anthropic.MessageParamRoleUser {
			s.append(entryUser(marshal(m)))
		} else {
			s.append(session.Entry{Type: "assistant", Message: marshal(m), Model: s.model.ID})
		}
	}
	on(Event{Kind: EventCompacted, Text: summary})
	return s.sync()
}

// keep returns the recent messages that survive a compaction: from the
// last prompt the user typed, if that is at most a quarter of the window,
// else the last exchange (an assistant message and its tool results).
func (s *Session) keep() []anthropic.MessageParam {
	n := len(s.messages)
	for i := n - 1; i >= 0; i-- {
		m := s.messages[i]
		if m.Role != anthropic.MessageParamRoleUser || !typedPrompt(m) {
			continue
		}
		if approxTokens(s.messages[i:]) <= s.window()/4 {
			return append([]anthropic.MessageParam{}, s.messages[i:]...)
		}
		break
	}
	if n >= 2 && s.messages[n-1].Role == anthropic.MessageParamRoleUser && s.messages[n-2].Role == anthropic.MessageParamRoleAssistant {
		return append([]anthropic.MessageParam{}, s.messages[n-2:]...)
	}
	return nil
}

// typedPrompt reports whether a user message carries text the user wrote
// (not only tool results).
func typedPrompt(m anthropic.MessageParam) bool {
	for _, b := range m.Content {
		if b.OfText != nil {
			return true
		}
	}
	return false
}

func approxTokens(msgs []anthropic.MessageParam) int {
	n := 0
	for _, m := range msgs {
		n += len(marshal(m)) / 4
	}
	return n
}

// forwardQuiet forwards retries and notices but not the summary's text,
// which is not an answer to the user.
func (s *Session) forwardQuiet(on func(Event)) func(provider.Event) {
	fwd := s.forward(on)
	return func(ev provider.Event) {
		if ev.Kind == provider.EventMessage {
			return
		}
		fwd(ev)
	}
}
