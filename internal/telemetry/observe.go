package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
)

// Observer turns a session's [agent.Event] stream into measurements. It
// reads only counts, model IDs, tool names and decisions from the events:
// text, messages, tool inputs and results are never looked at beyond the
// "model" field of an assistant message.
type Observer struct {
	r    *Recorder
	ctx  context.Context
	now  func() time.Time
	next func(agent.Event)

	mu      sync.Mutex
	start   time.Time         // when the request being answered started
	model   string            // the model of the last answer
	asked   map[string]string // ID to tool name of calls the user was asked about, not yet run
	decided map[string]string // ID to the source of a hook's or the user's approval, until the call starts
	retried time.Time         // when the first failed attempt of the request in flight was retried
	pending bool              // a request is in flight since start
	running map[string]runningTool
	trace   tracer
}

// runningTool is a tool call between its start and its result.
type runningTool struct {
	start  time.Time
	source string
	input  string
}

// Observe returns an observer that records into r and passes every event
// on to next. With a nil r it records nothing.
func (r *Recorder) Observe(ctx context.Context, next func(agent.Event)) *Observer {
	o := &Observer{r: r, ctx: context.WithoutCancel(ctx), now: time.Now, asked: map[string]string{}, decided: map[string]string{}, running: map[string]runningTool{}, next: next}
	o.trace = r.newTracer(o.now())
	return o
}

// Tracing reports whether the run is traced (CLAUDE_CODE_ENHANCED_TELEMETRY_BETA
// with OTEL_TRACES_EXPORTER).
func (o *Observer) Tracing() bool { return o.trace.on() }

// TraceParent is the W3C traceparent of tool call callID's span: the
// commands the call runs get it as TRACEPARENT, so their own spans join
// the trace. "" when the run is not traced.
func (o *Observer) TraceParent(callID string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.trace.traceParent(callID)
}

// RequestStarted marks the start of the first request of a run; later
// requests start when the previous tool results are in.
func (o *Observer) RequestStarted() {
	o.mu.Lock()
	o.start, o.pending = o.now(), true
	o.trace.requestStarted(o.start)
	o.mu.Unlock()
}

// Event records ev and passes it on. It runs on the goroutine that runs
// the session, as the events do.
func (o *Observer) Event(ev agent.Event) {
	o.record(ev)
	if o.next != nil {
		o.next(ev)
	}
}

func (o *Observer) record(ev agent.Event) {
	if o.r == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	switch ev.Kind {
	case agent.EventAssistant:
		var m struct {
			Model string `json:"model"`
		}
		if json.Unmarshal(ev.Message, &m) == nil {
			o.model = m.Model
		}
	case agent.EventUsage:
		var d time.Duration
		if o.pending {
			d = o.now().Sub(o.start)
		}
		o.r.APIRequest(o.ctx, o.model, ev.RequestID, ev.Usage.Turn, ev.Usage.TurnCost, ev.Usage.TurnSavings, d)
		if ev.Guardrail {
			g := o.r.guardrail
			g.Model, g.RequestID = o.model, ev.RequestID
			o.r.GuardrailIntervened(g)
		}
		o.trace.requestDone(o.now(), o.model, ev.RequestID, ev.Usage.Turn, ev.Usage.TurnCost)
		o.pending, o.retried = false, time.Time{}
	case agent.EventRetry:
		o.r.Error(o.ctx, o.model, ev.Retry.Reason, true)
		var d time.Duration
		if o.pending {
			d = o.now().Sub(o.start)
		}
		if o.retried.IsZero() {
			o.retried = o.now()
		}
		// Attempt is the one about to start: the one that failed is the
		// one before.
		o.r.APIError(APIFailure{Model: o.model, Error: ev.Retry.Reason, StatusCode: ev.Retry.Status, Attempt: ev.Retry.Attempt - 1, Duration: d})
		o.r.APIRetry(o.model, ev.Retry)
		o.trace.retry(o.now(), ev.Retry.Reason, ev.Retry.Attempt)
	case agent.EventPermission:
		if ev.Tool == nil || ev.Decision == nil {
			return
		}
		switch ev.Decision.Behavior {
		case permission.Deny:
			source := cmpOr(ev.Source, sourceConfig)
			o.r.Decision(o.ctx, ev.Tool.ID, ev.Tool.Name, "reject", source)
			o.r.ToolResult(ToolCall{ID: ev.Tool.ID, Name: ev.Tool.Name, Decision: "reject", Source: source, Input: string(ev.Tool.Input)})
			o.trace.finished(o.now(), ev.Tool.ID, ev.Tool.Name, false, "denied by a permission rule", 0, "reject", source)
		case permission.Ask:
			o.asked[ev.Tool.ID] = ev.Tool.Name
			o.trace.asked(o.now(), ev.Tool.ID, ev.Tool.Name, string(ev.Tool.Input))
		}
	case agent.EventDecision:
		if ev.Tool == nil {
			return
		}
		switch ev.Source {
		case agent.SourceUserReject, agent.SourceUserAbort:
			delete(o.asked, ev.Tool.ID)
			o.refused(ev.Tool.ID, ev.Tool.Name, string(ev.Tool.Input), ev.Source)
		default:
			o.decided[ev.Tool.ID] = ev.Source
		}
	case agent.EventToolStart:
		if ev.Tool == nil {
			return
		}
		source := sourceConfig
		if s, ok := o.decided[ev.Tool.ID]; ok {
			source = s
			delete(o.decided, ev.Tool.ID)
		} else if _, ok := o.asked[ev.Tool.ID]; ok {
			// Asked, and no answer event: an approval all the same.
			source = agent.SourceUserTemporary
		} else if d := ev.Decision; d != nil && d.Source == permission.SourceSandbox {
			// Allowed because the OS sandbox confines it
			// (sandbox.autoAllowBashIfSandboxed).
			source = permission.SourceSandbox
		}
		delete(o.asked, ev.Tool.ID)
		o.r.Decision(o.ctx, ev.Tool.ID, ev.Tool.Name, "accept", source)
		o.running[ev.Tool.ID] = runningTool{start: o.now(), source: source, input: string(ev.Tool.Input)}
		o.trace.started(o.now(), ev.Tool.ID, ev.Tool.Name, string(ev.Tool.Input), source)
	case agent.EventToolEnd:
		if ev.Tool == nil {
			return
		}
		run, ok := o.running[ev.Tool.ID]
		if !ok {
			return
		}
		delete(o.running, ev.Tool.ID)
		c := ToolCall{ID: ev.Tool.ID, Name: ev.Tool.Name, Success: true, Duration: o.now().Sub(run.start), Decision: "accept", Source: run.source, Input: run.input}
		if ev.Result != nil {
			c.ResultSize = len(ev.Result.Content)
			if ev.Result.IsError {
				c.Success, c.Error = false, ev.Result.Content
			}
		}
		o.r.ToolResult(c)
		o.trace.finished(o.now(), ev.Tool.ID, ev.Tool.Name, c.Success, c.Error, c.ResultSize, "accept", run.source)
	case agent.EventToolResults:
		// A call the user was asked about and that never started was
		// refused; the next request starts now.
		for id, name := range o.asked {
			o.refused(id, name, "", agent.SourceUserReject)
		}
		clear(o.asked)
		clear(o.decided)
		o.start, o.pending = o.now(), true
		o.trace.requestStarted(o.start)
	}
}

// refused records a call the user (or the interruption of the turn)
// refused while it was asked about.
func (o *Observer) refused(id, name, input, source string) {
	o.r.Decision(o.ctx, id, name, "reject", source)
	o.r.ToolResult(ToolCall{ID: id, Name: name, Decision: "reject", Source: source, Input: input})
	why := "refused by the user"
	if source == agent.SourceUserAbort {
		why = "interrupted by the user"
	}
	o.trace.finished(o.now(), id, name, false, why, 0, "reject", source)
}

// Finish records the error that ended a run when it was a failed model
// request (retries exhausted, access denied, …).
func (o *Observer) Finish(err error) {
	if o.r == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	o.trace.finish(o.now(), err != nil, msg)
	var api *provider.APIError
	if !errors.As(err, &api) {
		return
	}
	o.r.Error(o.ctx, o.model, api.Kind.String(), false)
	var d time.Duration
	if o.pending {
		d = o.now().Sub(o.start)
	}
	model := cmpOr(o.model, api.Model)
	f := APIFailure{Model: model, Error: cmpOr(api.Message, api.Kind.String()), StatusCode: api.Status, Attempt: max(api.Attempts, 1), Duration: d, RequestID: api.RequestID}
	o.r.APIError(f)
	if api.Attempts > 1 {
		var total time.Duration
		if o.pending {
			total = d
		} else if !o.retried.IsZero() {
			total = o.now().Sub(o.retried)
		}
		o.r.RetriesExhausted(f, total)
	}
}
