package agent

import (
	"context"
	"encoding/json"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/packages/param"

	"github.com/basalt-dev/basalt/internal/tool"
)

// Answer is the user's reply to a permission question.
type Answer struct {
	Allow bool
	// Remember adds the decision's suggested rules for the rest of the
	// session (the UI also writes them to the local settings file).
	Remember bool
	// Saved: the user allowed the call and saved a rule for calls like it
	// (the UI wrote the rule itself), for telemetry's user_permanent.
	Saved bool
	// Abort: the user dismissed the question (Esc) rather than answering
	// it; a refusal all the same.
	Abort bool
	// Message goes to the model with a refusal: what to do instead.
	Message string
}

// toolParams turns the tools into API definitions. Their order is fixed,
// so the definitions are the first, stable part of the cached prefix.
func toolParams(tools []tool.Tool) ([]anthropic.ToolUnionParam, error) {
	out := make([]anthropic.ToolUnionParam, 0, len(tools))
	for _, t := range tools {
		// Each definition is encoded once, here (tooldef.go), and goes out
		// in every request and in the transcript as an override holding
		// these bytes, which the SDK only copies.
		raw, err := toolDefinition(t.Name(), t.Description(), t.InputSchema())
		if err != nil {
			return nil, err
		}
		out = append(out, param.Override[anthropic.ToolUnionParam](json.RawMessage(raw)))
	}
	return out, nil
}

// definitionsJSON is json.Marshal(defs) for definitions toolParams
// made: their bytes joined, without the SDK's encoder.
func definitionsJSON(defs []anthropic.ToolUnionParam) ([]byte, error) {
	n := 2
	for _, d := range defs {
		raw, ok := d.Overrides()
		b, isRaw := raw.(json.RawMessage)
		if !ok || !isRaw {
			return json.Marshal(defs)
		}
		n += len(b) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, d := range defs {
		if i > 0 {
			out = append(out, ',')
		}
		raw, _ := d.Overrides()
		out = append(out, raw.(json.RawMessage)...)
	}
	return append(out, ']'), nil
}

// runTools decides and runs the calls of one assistant message. Calls that
// are allowed and read-only run together; the others run one at a time in
// the model's order, after everything before them. Every call gets a
// result, even when the turn is interrupted or the harness fails, so the
// conversation stays valid.
//
// It is three steps, each in its own function so that each can be read
// and tested alone: [Session.decide] says what may happen to a call (no
// side effects), [Session.confirm] and [callRun.execute] do it (ask the
// user, run tools, send events), and [callRun.assemble] turns what
// happened into result blocks. This loop only keeps the order.
func (s *Session) runTools(ctx context.Context, calls []*ToolCall, on func(Event)) ([]anthropic.ContentBlockParamUnion, error) {
	run := newCallRun(s, calls, on)
	var batch []int // read-only calls waiting to run together
	for i, call := range calls {
		if ctx.Err() != nil || run.harnessErr != nil {
			break
		}
		refusal, adjust := s.preToolUse(ctx, call, on)
		if refusal != nil {
			run.record(i, *refusal)
			continue
		}
		v := adjust(s.decide(call))
		if v.plan == planBatch || v.plan == planAlone {
			d := v.decision
			run.decisions[i] = &d
		}
		if v.source != "" {
			on(Event{Kind: EventDecision, Tool: call, Source: v.source})
		}
		switch v.plan {
		case planBatch:
			batch = append(batch, i)
			continue
		case planUnknown:
			// No event and nothing to wait for: the pending batch may
			// still grow past it.
			run.record(i, v.result)
			continue
		}
		// Everything else happens after the calls before it, and the
		// user sees the permission question or refusal in that order.
		run.execute(ctx, batch)
		batch = batch[:0]
		if ctx.Err() != nil || run.harnessErr != nil {
			// The batch was interrupted or basalt failed in it: this
			// call and the rest are not run (nor asked about).
			break
		}
		if v.plan != planAlone {
			on(Event{Kind: EventPermission, Tool: call, Decision: &v.decision})
		}
		switch v.plan {
		case planDenied:
			run.record(i, v.result)
			continue
		case planAsk:
			refusal, ok, source, err := s.confirm(ctx, call, v.decision)
			if err != nil {
				// Cancelled while asking: the call gets the interrupted
				// result.
				on(Event{Kind: EventDecision, Tool: call, Source: SourceUserAbort})
				return run.assemble(ctx)
			}
			on(Event{Kind: EventDecision, Tool: call, Source: source})
			if !ok {
				run.record(i, refusal)
				continue
			}
		}
		run.execute(ctx, []int{i})
	}
	if ctx.Err() == nil && run.harnessErr == nil {
		run.execute(ctx, batch)
	}
	return run.assemble(ctx)
}
