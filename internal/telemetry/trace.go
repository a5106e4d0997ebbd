package telemetry

import (
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"

	"github.com/basalt-dev/basalt/internal/cost"
)

// openSpan is a span between its start and its end.
type openSpan struct {
	id     spanID
	start  time.Time
	events []spanEvent
}

// toolSpans are the spans of one tool call: the call, the wait for the
// user's answer and the execution.
type toolSpans struct {
	name                string
	call, blocked, exec *openSpan
	decision, source    string
	input               string
}

// tracer is an observer's trace: one interaction (a prompt, or a
// compaction) with its model requests and tool calls. Its zero value, for
// a recorder without traces, records nothing.
type tracer struct {
	r           *Recorder
	trace       traceID
	interaction *openSpan
	llm         *openSpan
	attempt     int
	tools       map[string]*toolSpans
}

func (r *Recorder) newTracer(now time.Time) tracer {
	if r == nil || r.spans == nil {
		return tracer{}
	}
	return tracer{r: r, trace: newTraceID(), interaction: &openSpan{id: newSpanID(), start: now}, tools: map[string]*toolSpans{}}
}

func (t *tracer) on() bool { return t.r != nil }

// TraceParent is the W3C traceparent of the tool call callID's span, for
// the commands the call runs (TRACEPARENT); "" without traces.
func (t *tracer) traceParent(callID string) string {
	if !t.on() {
		return ""
	}
	return traceParent(t.trace, toolSpanID(t.trace, callID))
}

func (t *tracer) end(name string, s *openSpan, parent spanID, now time.Time, failed bool, msg string, attrs ...attribute.KeyValue) {
	t.r.spans.add(spanRecord{trace: t.trace, id: s.id, parent: parent, name: name, start: s.start, end: now,
		attrs: append([]attribute.KeyValue{attribute.String("session.id", t.r.currentSession())}, attrs...), events: s.events, failed: failed, errorMessage: msg})
}

func (t *tracer) requestStarted(now time.Time) {
	if !t.on() {
		return
	}
	t.llm, t.attempt = &openSpan{id: newSpanID(), start: now}, 1
}

func (t *tracer) retry(now time.Time, reason string, attempt int) {
	if !t.on() || t.llm == nil {
		return
	}
	t.llm.events = append(t.llm.events, spanEvent{time: now, name: "retry", attrs: []attribute.KeyValue{
		attribute.Int("attempt", attempt), attribute.String("error", reason)}})
	t.attempt = attempt
}

func (t *tracer) requestDone(now time.Time, model, requestID string, u cost.Usage, c cost.Cost) {
	if !t.on() || t.llm == nil {
		return
	}
	t.end(SpanLLMRequest, t.llm, t.interaction.id, now, false, "",
		attribute.String("model", model),
		attribute.String("gen_ai.system", "anthropic"),
		attribute.String("gen_ai.request.model", model),
		attribute.String("query_source", "main"),
		attribute.Int64("duration_ms", now.Sub(t.llm.start).Milliseconds()),
		attribute.Int("input_tokens", u.InputTokens),
		attribute.Int("output_tokens", u.OutputTokens),
		attribute.Int("cache_read_tokens", u.CacheRead),
		attribute.Int("cache_creation_tokens", u.CacheWrite()),
		attribute.Float64("cost_usd", c.USD),
		attribute.String("request_id", requestID),
		attribute.Int("attempt", t.attempt),
		attribute.Bool("success", true),
	)
	t.llm = nil
}

func (t *tracer) tool(id, name string) *toolSpans {
	ts := t.tools[id]
	if ts == nil {
		ts = &toolSpans{name: name, call: &openSpan{id: toolSpanID(t.trace, id)}}
		t.tools[id] = ts
	}
	return ts
}

// asked starts a tool call that waits for the user.
func (t *tracer) asked(now time.Time, id, name, input string) {
	if !t.on() {
		return
	}
	ts := t.tool(id, name)
	ts.call.start, ts.input = now, input
	ts.blocked = &openSpan{id: newSpanID(), start: now}
}

// started ends the wait (if any) and starts the execution.
func (t *tracer) started(now time.Time, id, name, input, source string) {
	if !t.on() {
		return
	}
	ts := t.tool(id, name)
	if ts.call.start.IsZero() {
		ts.call.start = now
	}
	ts.input, ts.decision, ts.source = input, "accept", source
	if ts.blocked != nil {
		t.end(SpanBlockedOnUser, ts.blocked, ts.call.id, now, false, "",
			attribute.Int64("duration_ms", now.Sub(ts.blocked.start).Milliseconds()),
			attribute.String("decision", "accept"), attribute.String("source", source))
		ts.blocked = nil
	}
	ts.exec = &openSpan{id: newSpanID(), start: now}
}

// finished ends a tool call that ran, or one refused before it ran.
func (t *tracer) finished(now time.Time, id, name string, success bool, errText string, resultSize int, decision, source string) {
	if !t.on() {
		return
	}
	ts := t.tool(id, name)
	if ts.call.start.IsZero() {
		ts.call.start = now
	}
	if ts.decision == "" {
		ts.decision, ts.source = decision, source
	}
	shown := ""
	if t.r.traces.ToolDetails {
		shown = errText
	}
	if ts.blocked != nil {
		t.end(SpanBlockedOnUser, ts.blocked, ts.call.id, now, false, "",
			attribute.Int64("duration_ms", now.Sub(ts.blocked.start).Milliseconds()),
			attribute.String("decision", decision), attribute.String("source", source))
	}
	if ts.exec != nil {
		t.end(SpanToolExecution, ts.exec, ts.call.id, now, !success, shown,
			attribute.Int64("duration_ms", now.Sub(ts.exec.start).Milliseconds()), attribute.Bool("success", success))
	}
	attrs := []attribute.KeyValue{
		attribute.String("tool_name", name),
		attribute.String("tool_use_id", id),
		attribute.String("gen_ai.tool.call.id", id),
		attribute.Int64("duration_ms", now.Sub(ts.call.start).Milliseconds()),
		attribute.String("decision", ts.decision),
		attribute.String("source", ts.source),
		attribute.Int("tool_result_size_bytes", resultSize),
		attribute.Bool("success", success),
	}
	if t.r.traces.ToolDetails && ts.input != "" {
		attrs = append(attrs, attribute.String("tool_input", ts.input))
	}
	t.end(SpanTool, ts.call, t.interaction.id, now, !success, shown, attrs...)
	delete(t.tools, id)
}

// finish ends what is still open and the interaction itself.
func (t *tracer) finish(now time.Time, failed bool, msg string) {
	if !t.on() {
		return
	}
	if t.llm != nil {
		t.end(SpanLLMRequest, t.llm, t.interaction.id, now, true, msg,
			attribute.Int("attempt", t.attempt), attribute.Bool("success", false),
			attribute.Int64("duration_ms", now.Sub(t.llm.start).Milliseconds()))
		t.llm = nil
	}
	for id, ts := range t.tools {
		t.finished(now, id, ts.name, false, "not finished: the turn ended", 0, cmpOr(ts.decision, "reject"), cmpOr(ts.source, "user_abort"))
	}
	t.r.mu.Lock()
	seq, text := t.r.interactions, t.r.promptText
	t.r.mu.Unlock()
	attrs := []attribute.KeyValue{
		attribute.Int64("interaction.sequence", seq),
		attribute.Int64("interaction.duration_ms", now.Sub(t.interaction.start).Milliseconds()),
		attribute.Int("user_prompt_length", utf8.RuneCountInString(text)),
	}
	if t.r.traces.UserPrompts {
		attrs = append(attrs, attribute.String("user_prompt", text))
	}
	t.end(SpanInteraction, t.interaction, spanID{}, now, failed, msg, attrs...)
}

func (r *Recorder) currentSession() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sessionID
}
