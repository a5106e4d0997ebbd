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
)

// eventScope is the instrumentation scope of the records, Claude Code's.
const eventScope = "com.anthropic.claude_code.events"

// logRecord is one event waiting to be exported.
type logRecord struct {
	time  time.Time
	name  string
	attrs []attribute.KeyValue
}

// eventLog buffers events and exports them every interval, and what is
// left at shutdown. It writes OTLP itself, as the metrics do, rather than
// linking the OTel logs SDK.
type eventLog struct {
	exp      *exporter // nil for the console exporter
	console  io.Writer
	resource []attribute.KeyValue
	version  string
	log      *slog.Logger

	mu  sync.Mutex
	buf []logRecord

	stop chan struct{}
	done chan struct{}
}

func newEventLog(l LogSettings, resource []attribute.KeyValue, o Options) (*eventLog, error) {
	e := &eventLog{resource: resource, version: o.Version, log: o.Log, console: o.Console, stop: make(chan struct{}), done: make(chan struct{})}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if l.Exporter == LogsOTLP {
		exp, err := newSignalExporter(l.Endpoint, l.Protocol, l.Headers, grpcLogsExportPath)
		if err != nil {
			return nil, err
		}
		e.exp = exp
	} else if e.console == nil {
		e.console = io.Discard
	}
	go e.loop(l.Interval)
	return e, nil
}

func (e *eventLog) add(r logRecord) {
	e.mu.Lock()
	e.buf = append(e.buf, r)
	e.mu.Unlock()
}

func (e *eventLog) loop(interval time.Duration) {
	defer close(e.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			if err := e.flush(ctx); err != nil {
				e.log.Warn("telemetry export failed", "err", err)
			}
			cancel()
		}
	}
}

// flush exports the buffered events. Events a collector refused are
// dropped, not retried forever: a collector that is down must not grow
// basalt's memory.
func (e *eventLog) flush(ctx context.Context) error {
	e.mu.Lock()
	recs := e.buf
	e.buf = nil
	e.mu.Unlock()
	if len(recs) == 0 {
		return nil
	}
	if e.exp == nil {
		return e.writeConsole(recs)
	}
	if err := e.exp.send(ctx, encodeLogs(e.resource, e.version, recs)); err != nil {
		return fmt.Errorf("export events: %w", err)
	}
	return nil
}

// shutdown stops the timer and exports what is left.
func (e *eventLog) shutdown(ctx context.Context) error {
	close(e.stop)
	<-e.done
	err := e.flush(ctx)
	if e.exp != nil {
		err = errors.Join(err, e.exp.Shutdown(ctx))
	}
	return err
}

// writeConsole prints one JSON object a line: the event's name, time,
// attributes and the resource, for OTEL_LOGS_EXPORTER=console.
func (e *eventLog) writeConsole(recs []logRecord) error {
	res := attrMap(e.resource)
	for _, r := range recs {
		line, err := json.Marshal(struct {
			Name       string         `json:"name"`
			Time       time.Time      `json:"timestamp"`
			Attributes map[string]any `json:"attributes"`
			Resource   map[string]any `json:"resource"`
		}{r.name, r.time.UTC(), attrMap(r.attrs), res})
		if err != nil {
			return fmt.Errorf("print events: %w", err)
		}
		if _, err := fmt.Fprintf(e.console, "%s\n", line); err != nil {
			return fmt.Errorf("print events: %w", err)
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
