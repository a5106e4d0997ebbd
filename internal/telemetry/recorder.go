package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/basalt-dev/basalt/internal/cost"
)

// Metric names: Claude Code's where it has one, so that dashboards built
// for it work unchanged, basalt's own otherwise.
const (
	MetricSessions     = "claude_code.session.count"
	MetricTokens       = "claude_code.token.usage"
	MetricCost         = "claude_code.cost.usage"
	MetricEditDecision = "claude_code.code_edit_tool.decision"
	MetricToolDecision = "basalt.tool.decision"
	MetricRequests     = "basalt.api.request.count"
	MetricLatency      = "basalt.api.request.duration"
	MetricErrors       = "basalt.api.error.count"
)

// shutdownTimeout bounds the final export, so a collector that is down
// delays the end of a run by seconds, not minutes.
const shutdownTimeout = 5 * time.Second

// Recorder records basalt's metrics. A nil *Recorder records nothing, so
// callers need not check whether telemetry is on. Its methods are safe
// for concurrent use.
type Recorder struct {
	mp     *sdkmetric.MeterProvider // nil when only events are exported
	events *batch[logRecord]        // nil when only metrics are exported
	spans  *batch[spanRecord]       // nil unless traces are exported (beta)
	logs   LogSettings
	traces TraceSettings
	// guardrail names the configured Bedrock guardrail for
	// basalt.guardrail_intervention.
	guardrail Guardrail
	// interactions numbers the prompts of the session (interaction.sequence);
	// promptText is the last one, for its interaction span.
	interactions int64
	promptText   string
	seq          int64  // event.sequence of the last event
	prompt       string // prompt.id of the prompt being answered
	version      string
	// omitSession and withVersion are the OTEL_METRICS_INCLUDE_* switches;
	// events always carry both, as Claude Code's do.
	omitSession, withVersion bool

	sessions, tokens, cost, editDecisions, toolDecisions, requests, errs metric.Float64Counter
	latency                                                              metric.Float64Histogram

	mu        sync.Mutex
	sessionID string
	model     string
}

// Options are what [New] needs besides the settings.
type Options struct {
	Version string
	// Log receives export errors that happen between exports; the final
	// one is returned by [Recorder.Shutdown].
	Log *slog.Logger
	// Console receives the events when OTEL_LOGS_EXPORTER is console.
	Console io.Writer
	// GuardrailID and GuardrailVersion name the Bedrock guardrail the
	// requests carry (ANTHROPIC_CUSTOM_HEADERS), for
	// basalt.guardrail_intervention; "" when none is configured.
	GuardrailID, GuardrailVersion string
	// HeadersHelper is the otelHeadersHelper command (from a settings file
	// the trust rules let through), run in HelperDir; "" for none.
	HeadersHelper string
	HelperDir     string

	helper *headersHelper
}

// New starts the exporter. It returns nil (a recorder that records
// nothing) when telemetry is off.
func New(ctx context.Context, s Settings, o Options) (*Recorder, error) {
	if !s.Enabled && s.Logs.Exporter == "" && s.Traces.Exporter == "" {
		return nil, nil
	}
	attrs := append([]attribute.KeyValue{
		attribute.String("service.name", "basalt"),
		attribute.String("service.version", o.Version),
	}, s.Resource...)
	r := &Recorder{logs: s.Logs, traces: s.Traces, version: o.Version, omitSession: s.OmitSessionID, withVersion: s.IncludeVersion,
		guardrail: Guardrail{ID: o.GuardrailID, Version: o.GuardrailVersion}}
	if o.HeadersHelper != "" {
		o.helper = newHeadersHelper(o.HeadersHelper, o.HelperDir, s.HeadersHelperInterval, o.Log)
		o.helper.start()
	}
	if s.Traces.Exporter != "" {
		sp, err := newSpanBatch(s.Traces, attrs, o)
		if err != nil {
			return nil, fmt.Errorf("start telemetry traces exporter: %w", err)
		}
		r.spans = sp
	}
	if s.Logs.Exporter != "" {
		ev, err := newEventLog(s.Logs, attrs, o)
		if err != nil {
			return nil, fmt.Errorf("start telemetry events exporter: %w", err)
		}
		r.events = ev
	}
	if !s.Enabled {
		return r, nil
	}
	if err := r.startMetrics(ctx, s, o, attrs); err != nil {
		if r.events != nil {
			_ = r.events.shutdown(ctx)
		}
		return nil, err
	}
	return r, nil
}

// startMetrics starts the metrics exporter and creates the instruments.
func (r *Recorder) startMetrics(ctx context.Context, s Settings, o Options, attrs []attribute.KeyValue) error {
	// Every option is explicit: nothing here reads the process
	// environment, which would miss a settings file's env.
	exp, err := newExporter(s)
	if err != nil {
		return fmt.Errorf("start telemetry exporter: %w", err)
	}
	exp.helper = o.helper
	if o.Log != nil {
		log := o.Log
		// The SDK reports failed periodic exports through this global; a
		// CLI has one meter provider, so setting it here is safe.
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("telemetry export failed", "err", err) }))
	}
	mp := sdkmetric.NewMeterProvider(
		sdkmetric.WithResource(resource.NewSchemaless(attrs...)),
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(s.Interval))),
	)
	r.mp = mp
	m := mp.Meter("github.com/basalt-dev/basalt", metric.WithInstrumentationVersion(o.Version))
	counter := func(name, unit, desc string) metric.Float64Counter {
		c, cerr := m.Float64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		err = errors.Join(err, cerr)
		return c
	}
	r.sessions = counter(MetricSessions, "count", "sessions started")
	r.tokens = counter(MetricTokens, "tokens", "tokens used, by type: input, output, cacheRead, cacheCreation")
	r.cost = counter(MetricCost, "USD", "cost of the model requests whose price is known")
	r.editDecisions = counter(MetricEditDecision, "count", "permission decisions on file-editing tools")
	r.toolDecisions = counter(MetricToolDecision, "count", "permission decisions on every tool")
	r.requests = counter(MetricRequests, "count", "model requests answered")
	r.errs = counter(MetricErrors, "count", "model requests that failed, by kind, retried or not")
	var herr error
	r.latency, herr = m.Float64Histogram(MetricLatency, metric.WithUnit("ms"), metric.WithDescription("time from a model request to its complete answer, retries included"))
	if err = errors.Join(err, herr); err != nil {
		_ = mp.Shutdown(ctx)
		r.mp = nil
		return fmt.Errorf("create telemetry instruments: %w", err)
	}
	return nil
}

// Begin sets the session every later measurement belongs to, and counts
// it.
func (r *Recorder) Begin(ctx context.Context, sessionID, model string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.sessionID, r.model = sessionID, model
	r.mu.Unlock()
	if r.mp != nil {
		r.sessions.Add(ctx, 1, r.attrs())
	}
}

// attrs are the attributes of every measurement, plus extra.
func (r *Recorder) attrs(extra ...attribute.KeyValue) metric.MeasurementOption {
	r.mu.Lock()
	defer r.mu.Unlock()
	var kv []attribute.KeyValue
	if !r.omitSession {
		kv = append(kv, attribute.String("session.id", r.sessionID))
	}
	if r.withVersion {
		kv = append(kv, attribute.String("app.version", r.version))
	}
	return metric.WithAttributes(append(kv, extra...)...)
}

func (r *Recorder) sessionModel() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.model
}

// Request records one answered model request: its tokens by type, its
// cost when known, and how long it took.
func (r *Recorder) Request(ctx context.Context, model string, u cost.Usage, c cost.Cost, d time.Duration) {
	r.APIRequest(ctx, model, "", u, c, cost.Cost{}, d)
}

// APIRequest is [Recorder.Request] with the provider's request ID, which
// the claude_code.api_request event carries when it is known.
func (r *Recorder) APIRequest(ctx context.Context, model, requestID string, u cost.Usage, c, saved cost.Cost, d time.Duration) {
	if r == nil {
		return
	}
	if model == "" {
		model = r.sessionModel()
	}
	attrs := []attribute.KeyValue{
		attribute.String("model", model),
		attribute.Float64("cost_usd", c.USD),
		attribute.Bool("cost.known", c.Known),
		attribute.Int64("duration_ms", d.Milliseconds()),
		attribute.Int("input_tokens", u.InputTokens),
		attribute.Int("output_tokens", u.OutputTokens),
		attribute.Int("cache_read_tokens", u.CacheRead),
		attribute.Int("cache_creation_tokens", u.CacheWrite()),
	}
	if requestID != "" {
		attrs = append(attrs, attribute.String("request_id", requestID))
	}
	if saved.Known {
		// basalt's own: what the cache saved on this request (negative
		// when cache writes were not read back), so a dashboard sums it.
		attrs = append(attrs, attribute.Float64("basalt.cache_savings_usd", saved.USD))
	}
	r.emit(EventAPIRequest, attrs...)
	if r.mp == nil {
		return
	}
	m := attribute.String("model", model)
	for _, t := range []struct {
		kind string
		n    int
	}{{"input", u.InputTokens}, {"output", u.OutputTokens}, {"cacheRead", u.CacheRead}, {"cacheCreation", u.CacheWrite()}} {
		// Zeros too: every type's series exists from the first request.
		r.tokens.Add(ctx, float64(t.n), r.attrs(m, attribute.String("type", t.kind)))
	}
	// An unknown price is not $0: it is left out of the cost and flagged
	// on the request count.
	if c.Known {
		r.cost.Add(ctx, c.USD, r.attrs(m))
	}
	r.requests.Add(ctx, 1, r.attrs(m, attribute.Bool("cost.known", c.Known)))
	if d > 0 {
		r.latency.Record(ctx, float64(d)/float64(time.Millisecond), r.attrs(m))
	}
}

// Error records a failed model request; kind is the provider's error
// kind (throttled, access denied, …), never its message.
func (r *Recorder) Error(ctx context.Context, model, kind string, retried bool) {
	if r == nil {
		return
	}
	if model == "" {
		model = r.sessionModel()
	}
	if r.mp != nil {
		r.errs.Add(ctx, 1, r.attrs(attribute.String("model", model), attribute.String("error.kind", kind), attribute.Bool("retried", retried)))
	}
}

// editTools are the tools Claude Code's code_edit_tool metric covers.
var editTools = map[string]bool{"Edit": true, "Write": true, "MultiEdit": true, "NotebookEdit": true}

// Decision records a permission decision on tool call id: decision is
// "accept" or "reject", source "config" (rules or mode), "hook",
// "user_temporary", "user_permanent", "user_reject" or "user_abort".
func (r *Recorder) Decision(ctx context.Context, id, tool, decision, source string) {
	if r == nil {
		return
	}
	attrs := []attribute.KeyValue{attribute.String("tool_name", tool), attribute.String("decision", decision), attribute.String("source", source)}
	if id != "" {
		attrs = append(attrs, attribute.String("tool_use_id", id))
	}
	r.emit(EventToolDecision, attrs...)
	if r.mp == nil {
		return
	}
	opt := r.attrs(attribute.String("tool_name", tool), attribute.String("decision", decision), attribute.String("source", source))
	r.toolDecisions.Add(ctx, 1, opt)
	if editTools[tool] {
		r.editDecisions.Add(ctx, 1, opt)
	}
}

// Shutdown exports what is left and stops the exporter, within a few
// seconds even when ctx is already cancelled (an interrupted run still
// reports what it spent).
func (r *Recorder) Shutdown(ctx context.Context) error {
	if r == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	var err error
	if r.events != nil {
		err = r.events.shutdown(ctx)
	}
	if r.spans != nil {
		err = errors.Join(err, r.spans.shutdown(ctx))
	}
	if r.mp != nil {
		if merr := r.mp.Shutdown(ctx); merr != nil {
			err = errors.Join(err, fmt.Errorf("export metrics: %w", merr))
		}
	}
	return err
}
