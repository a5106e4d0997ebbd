package telemetry

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// The OTLP metrics and logs services' Export methods as gRPC paths.
const (
	grpcExportPath      = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"
	grpcLogsExportPath  = "/opentelemetry.proto.collector.logs.v1.LogsService/Export"
	grpcTraceExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
)

// exporter sends metrics to an OTLP collector over HTTP (http/protobuf)
// or gRPC. gRPC is spoken directly: a unary call is one HTTP/2 POST whose
// body is a 5-byte frame header and the message, and whose status comes
// back in trailers, which net/http handles; the gRPC library would add
// 10 MB and its own start-up work for that one call.
type exporter struct {
	client   *http.Client
	url      string // where requests go
	grpc     bool
	headers  map[string]string
	helper   *headersHelper // otelHeadersHelper's headers, merged over headers; nil without one
	mu       sync.Mutex
	shutdown bool
}

var _ sdkmetric.Exporter = (*exporter)(nil)

func newExporter(s Settings) (*exporter, error) {
	return newSignalExporter(s.Endpoint, s.Protocol, s.Headers, grpcExportPath)
}

// newSignalExporter sends one signal's requests: for gRPC, grpcPath is
// its service's Export method.
func newSignalExporter(endpoint, protocol string, headers map[string]string, grpcPath string) (*exporter, error) {
	s := Settings{Endpoint: endpoint, Protocol: protocol, Headers: headers}
	u, err := url.Parse(s.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("OTLP endpoint %q: want an http:// or https:// URL", s.Endpoint)
	}
	e := &exporter{url: s.Endpoint, headers: s.Headers, grpc: s.Protocol == ProtocolGRPC}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if e.grpc {
		// gRPC needs HTTP/2: over TLS it is negotiated, over http:// it is
		// spoken from the first byte (h2c with prior knowledge), as gRPC
		// clients do.
		var p http.Protocols
		if u.Scheme == "https" {
			p.SetHTTP2(true)
		} else {
			p.SetUnencryptedHTTP2(true)
		}
		tr.Protocols = &p
		e.url = u.Scheme + "://" + u.Host + grpcPath
	}
	e.client = &http.Client{Transport: tr}
	return e, nil
}

func (e *exporter) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return sdkmetric.DefaultTemporalitySelector(k)
}

func (e *exporter) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}

func (e *exporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	e.mu.Lock()
	done := e.shutdown
	e.mu.Unlock()
	if done {
		return fmt.Errorf("export metrics: exporter is shut down")
	}
	return e.send(ctx, encodeMetrics(rm))
}

// headersFor is OTEL_EXPORTER_OTLP_HEADERS with otelHeadersHelper's
// headers over them.
func (e *exporter) headersFor(ctx context.Context) map[string]string {
	if e.helper == nil {
		return e.headers
	}
	return e.helper.merge(ctx, e.headers)
}

// send posts one encoded Export request.
func (e *exporter) send(ctx context.Context, msg []byte) error {
	if e.grpc {
		return e.exportGRPC(ctx, msg)
	}
	return e.exportHTTP(ctx, msg)
}

func (e *exporter) exportHTTP(ctx context.Context, msg []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(msg))
	if err != nil {
		return fmt.Errorf("otlp http export: %w", err)
	}
	for k, v := range e.headersFor(ctx) {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("otlp http export: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("otlp http export: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

func (e *exporter) exportGRPC(ctx context.Context, msg []byte) error {
	frame := make([]byte, 5, 5+len(msg))
	// frame[0] = 0: not compressed; then the length, big-endian.
	binary.BigEndian.PutUint32(frame[1:], uint32(len(msg)))
	frame = append(frame, msg...)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(frame))
	if err != nil {
		return fmt.Errorf("otlp grpc export: %w", err)
	}
	for k, v := range e.headersFor(ctx) {
		// gRPC metadata keys are lowercase.
		req.Header.Set(strings.ToLower(k), v)
	}
	req.Header.Set("Content-Type", "application/grpc+proto")
	req.Header.Set("Te", "trailers")
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("otlp grpc export: %w", err)
	}
	defer resp.Body.Close()
	// The trailers arrive after the body.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("otlp grpc export: HTTP %s", resp.Status)
	}
	status, message := resp.Trailer.Get("Grpc-Status"), resp.Trailer.Get("Grpc-Message")
	if status == "" {
		// A trailers-only response carries the status in its headers.
		status, message = resp.Header.Get("Grpc-Status"), resp.Header.Get("Grpc-Message")
	}
	if status != "0" {
		if m, err := url.PathUnescape(message); err == nil {
			message = m
		}
		return fmt.Errorf("otlp grpc export: status %s: %s", cmpOr(status, "missing"), message)
	}
	return nil
}

func (e *exporter) ForceFlush(context.Context) error { return nil }

func (e *exporter) Shutdown(context.Context) error {
	e.mu.Lock()
	e.shutdown = true
	e.mu.Unlock()
	e.client.CloseIdleConnections()
	return nil
}
