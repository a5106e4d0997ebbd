package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Event names: Claude Code's, checked against its monitoring
// documentation, so that queries and dashboards built for it work on
// basalt's events unchanged. The record's body is the full name, its
// event.name attribute the name without the prefix, as Claude Code sends.
const (
	EventUserPrompt   = "claude_code.user_prompt"
	EventToolResult   = "claude_code.tool_result"
	EventAPIRequest   = "claude_code.api_request"
	EventAPIError     = "claude_code.api_error"
	EventToolDecision = "claude_code.tool_decision"
	// EventRetriesExhausted: a model request failed after more than one
	// attempt.
	EventRetriesExhausted = "claude_code.api_retries_exhausted"
)

// basalt's own events, under its own prefix so that they never collide
// with a name Claude Code may add. Their event.name is the full name.
const (
	EventAPIRetry              = "basalt.api_retry"
	EventCredentialRefresh     = "basalt.credential_refresh"
	EventGuardrailIntervention = "basalt.guardrail_intervention"
)

// eventScope is the instrumentation scope of the records, Claude Code's.
const eventScope = "com.anthropic.claude_code.events"

// logRecord is one event waiting to be exported.
type logRecord struct {
	time  time.Time
	name  string
	attrs []attribute.KeyValue
}

// batch buffers records of one signal (events, spans) and exports them
// every interval, and what is left at shutdown. It writes OTLP itself,
// as the metrics do, rather than linking the OTel logs and trace SDKs.
type batch[T any] struct {
	what    string                     // "events", "spans": for error messages
	exp     *exporter                  // nil for the console exporter
	encode  func([]T) []byte           // the OTLP export request
	console func(io.Writer, []T) error // one JSON line per record
	out     io.Writer
	log     *slog.Logger

	mu  sync.Mutex
	buf []T

	stop chan struct{}
	done chan struct{}
}

// newBatch starts the export of one signal: to OTLP when endpoint is
// set, else to the console writer.
func newBatch[T any](what, endpoint, protocol string, headers map[string]string, grpcPath string, interval time.Duration, o Options,
	encode func([]T) []byte, console func(io.Writer, []T) error) (*batch[T], error) {
	b := &batch[T]{what: what, encode: encode, console: console, out: o.Console, log: o.Log, stop: make(chan struct{}), done: make(chan struct{})}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if endpoint != "" {
		exp, err := newSignalExporter(endpoint, protocol, headers, grpcPath)
		if err != nil {
			return nil, err
		}
		exp.helper = o.helper
		b.exp = exp
	} else if b.out == nil {
		b.out = io.Discard
	}
	go b.loop(interval)
	return b, nil
}

func newEventLog(l LogSettings, resource []attribute.KeyValue, o Options) (*batch[logRecord], error) {
	endpoint := ""
	if l.Exporter == LogsOTLP {
		endpoint = l.Endpoint
	}
	return newBatch("events", endpoint, l.Protocol, l.Headers, grpcLogsExportPath, l.Interval, o,
		func(recs []logRecord) []byte { return encodeLogs(resource, o.Version, recs) },
		func(w io.Writer, recs []logRecord) error { return writeConsoleEvents(w, resource, recs) })
}

func (b *batch[T]) add(r T) {
	b.mu.Lock()
	b.buf = append(b.buf, r)
	b.mu.Unlock()
}

func (b *batch[T]) loop(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			if err := b.flush(ctx); err != nil {
				b.log.Warn("telemetry export failed", "err", err)
			}
			cancel()
		}
	}
}

// flush exports the buffered records. Records a collector refused are
// dropped, not retried forever: a collector that is down must not grow
// basalt's memory.
func (b *batch[T]) flush(ctx context.Context) error {
	b.mu.Lock()
	recs := b.buf
	b.buf = nil
	b.mu.Unlock()
	if len(recs) == 0 {
		return nil
	}
	if b.exp == nil {
		if err := b.console(b.out, recs); err != nil {
			return fmt.Errorf("print %s: %w", b.what, err)
		}
		return nil
	}
	if err := b.exp.send(ctx, b.encode(recs)); err != nil {
		return fmt.Errorf("export %s: %w", b.what, err)
	}
	return nil
}

// shutdown stops the timer and exports what is left.
func (b *batch[T]) shutdown(ctx context.Context) error {
	close(b.stop)
	<-b.done
	err := b.flush(ctx)
	if b.exp != nil {
		err = errors.Join(err, b.exp.Shutdown(ctx))
	}
	return err
}

// writeConsoleEvents prints one JSON object a line: the event's name,
// time, attributes and the resource, for OTEL_LOGS_EXPORTER=console.
func writeConsoleEvents(w io.Writer, resource []attribute.KeyValue, recs []logRecord) error {
	res := attrMap(resource)
	for _, r := range recs {
		line, err := json.Marshal(struct {
			Name       string         `json:"name"`
			Time       time.Time      `json:"timestamp"`
			Attributes map[string]any `json:"attributes"`
			Resource   map[string]any `json:"resource"`
		}{r.name, r.time.UTC(), attrMap(r.attrs), res})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s\n", line); err != nil {
			return err
		}
	}
	return nil
}

func attrMap(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}
