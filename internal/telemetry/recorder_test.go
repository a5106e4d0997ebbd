package telemetry

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/basalt-dev/basalt/internal/cost"
)

// grpcCollector is an OTLP/gRPC metrics receiver that keeps the names of
// the metrics it receives and the request metadata.
type grpcCollector struct {
	colmetricpb.UnimplementedMetricsServiceServer
	mu    sync.Mutex
	names map[string]bool
	auth  []string
}

func (c *grpcCollector) Export(ctx context.Context, req *colmetricpb.ExportMetricsServiceRequest) (*colmetricpb.ExportMetricsServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	md, _ := metadata.FromIncomingContext(ctx)
	c.auth = append(c.auth, md.Get("authorization")...)
	for _, rm := range req.ResourceMetrics {
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				c.names[m.Name] = true
			}
		}
	}
	return &colmetricpb.ExportMetricsServiceResponse{}, nil
}

func TestRecorderGRPC(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &grpcCollector{names: map[string]bool{}}
	srv := grpc.NewServer()
	colmetricpb.RegisterMetricsServiceServer(srv, col)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)

	s := Load(func(k string) string {
		return map[string]string{
			"CLAUDE_CODE_ENABLE_TELEMETRY": "1",
			"OTEL_EXPORTER_OTLP_PROTOCOL":  "grpc",
			"OTEL_EXPORTER_OTLP_ENDPOINT":  "http://" + ln.Addr().String(),
			"OTEL_EXPORTER_OTLP_HEADERS":   "authorization=Bearer g",
		}[k]
	})
	r, err := New(t.Context(), s, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	r.Begin(t.Context(), "s1", "m")
	r.Request(t.Context(), "", cost.Usage{InputTokens: 3, OutputTokens: 2}, cost.Cost{USD: 0.01, Known: true}, time.Second)
	r.Error(t.Context(), "", "throttled", true)
	r.Decision(t.Context(), "toolu_1", "Edit", "accept", "user_temporary")
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	for _, name := range []string{MetricSessions, MetricTokens, MetricCost, MetricRequests, MetricLatency, MetricErrors, MetricToolDecision, MetricEditDecision} {
		if !col.names[name] {
			t.Errorf("metric %s not received over gRPC; got %v", name, col.names)
		}
	}
	if len(col.auth) == 0 || col.auth[0] != "Bearer g" {
		t.Errorf("authorization metadata = %v, want [Bearer g]", col.auth)
	}
}

// TestNilRecorder checks that telemetry off costs the caller nothing: a
// nil recorder and its observer accept every call.
func TestNilRecorder(t *testing.T) {
	t.Parallel()
	r, err := New(t.Context(), Load(func(string) string { return "" }), Options{})
	if err != nil || r != nil {
		t.Fatalf("New with telemetry off = %v, %v; want nil, nil", r, err)
	}
	r.Begin(t.Context(), "s", "m")
	r.Request(t.Context(), "m", cost.Usage{}, cost.Cost{}, 0)
	r.Decision(t.Context(), "toolu_2", "Edit", "accept", "config")
	r.UserPrompt("p")
	r.ToolResult(ToolCall{Name: "Bash"})
	r.APIError(APIFailure{Model: "m"})
	o := r.Observe(t.Context(), nil)
	o.RequestStarted()
	o.Finish(nil)
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}
