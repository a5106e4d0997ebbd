package telemetry

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Span names: Claude Code's (beta) tracing, so that trace views built for
// it read basalt's. An interaction is one prompt and everything done to
// answer it; under it, each model request and each tool call, and under
// a tool call the wait for the user's permission and its execution.
const (
	SpanInteraction   = "claude_code.interaction"
	SpanLLMRequest    = "claude_code.llm_request"
	SpanTool          = "claude_code.tool"
	SpanBlockedOnUser = "claude_code.tool.blocked_on_user"
	SpanToolExecution = "claude_code.tool.execution"
)

// traceScope is the instrumentation scope of the spans, Claude Code's.
const traceScope = "com.anthropic.claude_code.tracing"

type (
	traceID [16]byte
	spanID  [8]byte
)

// spanRecord is one finished span waiting to be exported.
type spanRecord struct {
	trace        traceID
	id, parent   spanID
	name         string
	start, end   time.Time
	attrs        []attribute.KeyValue
	events       []spanEvent
	failed       bool
	errorMessage string
}

// spanEvent is a point in time within a span: a retry of a model request.
type spanEvent struct {
	time  time.Time
	name  string
	attrs []attribute.KeyValue
}

func newTraceID() (t traceID) {
	_, _ = rand.Read(t[:])
	return t
}

func newSpanID() (s spanID) {
	_, _ = rand.Read(s[:])
	return s
}

// toolSpanID is the span ID of a tool call's span, derived from the trace
// and the call's ID, so that the command the call runs can name its
// parent (TRACEPARENT) before the span is exported.
func toolSpanID(t traceID, callID string) (s spanID) {
	sum := sha256.Sum256(append(t[:], callID...))
	copy(s[:], sum[:8])
	return s
}

// TraceParent is the W3C traceparent header of a span: what a command
// run inside it receives as TRACEPARENT.
func traceParent(t traceID, s spanID) string {
	return "00-" + hex.EncodeToString(t[:]) + "-" + hex.EncodeToString(s[:]) + "-01"
}

// Field numbers of opentelemetry-proto's collector/trace/v1 and trace/v1
// messages; spans_test.go decodes the result with the generated types.
const (
	fRequestResourceSpans = 1

	fResourceSpansResource = 1
	fResourceSpansScope    = 2

	fScopeSpansScope = 1
	fScopeSpansSpans = 2

	fSpanTraceID      = 1
	fSpanID           = 2
	fSpanParentID     = 4
	fSpanName         = 5
	fSpanKind         = 6
	fSpanStart        = 7
	fSpanEnd          = 8
	fSpanAttributes   = 9
	fSpanEvents       = 11
	fSpanStatus       = 15
	fEventTime        = 1
	fEventName        = 2
	fEventAttributes  = 3
	fStatusMessage    = 2
	fStatusCode       = 3
	spanKindInternal  = 1
	statusCodeOK      = 1
	statusCodeError   = 2
	statusCodeUnknown = 0
)

// encodeSpans returns recs as an ExportTraceServiceRequest with one
// resource and one scope.
func encodeSpans(resource []attribute.KeyValue, version string, recs []spanRecord) []byte {
	var res []byte
	res = appendAttrs(res, fResourceAttributes, resource)
	var scope []byte
	scope = appendString(scope, fScopeName, traceScope)
	scope = appendString(scope, fScopeVersion, version)

	var ss []byte
	ss = appendMessage(ss, fScopeSpansScope, scope)
	for _, r := range recs {
		var sp []byte
		sp = appendBytes(sp, fSpanTraceID, r.trace[:])
		sp = appendBytes(sp, fSpanID, r.id[:])
		if r.parent != (spanID{}) {
			sp = appendBytes(sp, fSpanParentID, r.parent[:])
		}
		sp = appendString(sp, fSpanName, r.name)
		sp = appendVarint(sp, fSpanKind, spanKindInternal)
		sp = appendTime(sp, fSpanStart, r.start)
		sp = appendTime(sp, fSpanEnd, r.end)
		sp = appendAttrs(sp, fSpanAttributes, r.attrs)
		for _, e := range r.events {
			var ev []byte
			ev = appendTime(ev, fEventTime, e.time)
			ev = appendString(ev, fEventName, e.name)
			ev = appendAttrs(ev, fEventAttributes, e.attrs)
			sp = appendMessage(sp, fSpanEvents, ev)
		}
		var st []byte
		if r.failed {
			st = appendString(st, fStatusMessage, r.errorMessage)
			st = appendVarint(st, fStatusCode, statusCodeError)
		} else {
			st = appendVarint(st, fStatusCode, statusCodeOK)
		}
		sp = appendMessage(sp, fSpanStatus, st)
		ss = appendMessage(ss, fScopeSpansSpans, sp)
	}
	var rs []byte
	rs = appendMessage(rs, fResourceSpansResource, res)
	rs = appendMessage(rs, fResourceSpansScope, ss)
	return appendMessage(nil, fRequestResourceSpans, rs)
}

// appendBytes appends a length-delimited bytes field (IDs), even when
// empty IDs would be wrong: callers leave out what is unset.
func appendBytes(b []byte, field fieldNum, v []byte) []byte {
	b = appendTag(b, field, wireBytes)
	return appendLen(b, v)
}

// writeConsoleSpans prints one JSON object a line per span, for
// OTEL_TRACES_EXPORTER=console.
func writeConsoleSpans(w io.Writer, resource []attribute.KeyValue, recs []spanRecord) error {
	res := attrMap(resource)
	for _, r := range recs {
		type event struct {
			Name       string         `json:"name"`
			Time       time.Time      `json:"timestamp"`
			Attributes map[string]any `json:"attributes,omitempty"`
		}
		evs := make([]event, 0, len(r.events))
		for _, e := range r.events {
			evs = append(evs, event{e.name, e.time.UTC(), attrMap(e.attrs)})
		}
		parent := ""
		if r.parent != (spanID{}) {
			parent = hex.EncodeToString(r.parent[:])
		}
		status := "ok"
		if r.failed {
			status = "error: " + r.errorMessage
		}
		line, err := json.Marshal(struct {
			Name       string         `json:"name"`
			TraceID    string         `json:"trace_id"`
			SpanID     string         `json:"span_id"`
			ParentID   string         `json:"parent_span_id,omitempty"`
			Start      time.Time      `json:"start"`
			DurationMS int64          `json:"duration_ms"`
			Status     string         `json:"status"`
			Attributes map[string]any `json:"attributes"`
			Events     []event        `json:"events,omitempty"`
			Resource   map[string]any `json:"resource"`
		}{r.name, hex.EncodeToString(r.trace[:]), hex.EncodeToString(r.id[:]), parent, r.start.UTC(), r.end.Sub(r.start).Milliseconds(), status, attrMap(r.attrs), evs, res})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s\n", line); err != nil {
			return err
		}
	}
	return nil
}

func newSpanBatch(t TraceSettings, resource []attribute.KeyValue, o Options) (*batch[spanRecord], error) {
	endpoint := ""
	if t.Exporter == "otlp" {
		endpoint = t.Endpoint
	}
	return newBatch("spans", endpoint, t.Protocol, t.Headers, grpcTraceExportPath, t.Interval, o,
		func(recs []spanRecord) []byte { return encodeSpans(resource, o.Version, recs) },
		func(w io.Writer, recs []spanRecord) error { return writeConsoleSpans(w, resource, recs) })
}
