package telemetry

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/basalt-dev/basalt/internal/cost"
)

// TestEncodeMetricsDecodes writes a request with every aggregation and
// attribute type basalt can send and reads it back with the generated
// OTLP types: the hand-written encoder and the .proto must agree.
func TestEncodeMetricsDecodes(t *testing.T) {
	t.Parallel()
	start, now := time.Unix(100, 5), time.Unix(160, 7)
	attrs := attribute.NewSet(
		attribute.String("s", "v"), attribute.Bool("b", true), attribute.Int64("i", -3),
		attribute.Float64("f", 1.5), attribute.StringSlice("ss", []string{"x", "y"}),
	)
	rm := &metricdata.ResourceMetrics{
		Resource: resource.NewSchemaless(attribute.String("service.name", "basalt")),
		ScopeMetrics: []metricdata.ScopeMetrics{{
			Scope: instrumentation.Scope{Name: "scope", Version: "1.0"},
			Metrics: []metricdata.Metrics{
				{Name: "sum", Description: "d", Unit: "USD", Data: metricdata.Sum[float64]{
					Temporality: metricdata.CumulativeTemporality, IsMonotonic: true,
					DataPoints: []metricdata.DataPoint[float64]{{Attributes: attrs, StartTime: start, Time: now, Value: 0.25}},
				}},
				{Name: "gauge", Data: metricdata.Gauge[int64]{
					DataPoints: []metricdata.DataPoint[int64]{{Time: now, Value: -42}},
				}},
				{Name: "hist", Unit: "ms", Data: metricdata.Histogram[float64]{
					Temporality: metricdata.DeltaTemporality,
					DataPoints: []metricdata.HistogramDataPoint[float64]{{
						StartTime: start, Time: now, Count: 3, Sum: 12.5,
						Bounds: []float64{1, 10}, BucketCounts: []uint64{1, 1, 1},
						Min: metricdata.NewExtrema(0.5), Max: metricdata.NewExtrema(11.0),
					}},
				}},
			},
		}},
	}
	var req colmetricpb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(encodeMetrics(rm), &req); err != nil {
		t.Fatalf("the generated types cannot read the request: %v", err)
	}
	if len(req.ResourceMetrics) != 1 || len(req.ResourceMetrics[0].ScopeMetrics) != 1 {
		t.Fatalf("request shape: %v", &req)
	}
	res := req.ResourceMetrics[0]
	if kv := res.Resource.GetAttributes(); len(kv) != 1 || kv[0].Key != "service.name" || kv[0].Value.GetStringValue() != "basalt" {
		t.Errorf("resource attributes = %v", kv)
	}
	sm := res.ScopeMetrics[0]
	if sm.Scope.GetName() != "scope" || sm.Scope.GetVersion() != "1.0" {
		t.Errorf("scope = %v", sm.Scope)
	}
	if len(sm.Metrics) != 3 {
		t.Fatalf("got %d metrics, want 3", len(sm.Metrics))
	}

	sum := sm.Metrics[0]
	if sum.Name != "sum" || sum.Description != "d" || sum.Unit != "USD" || !sum.GetSum().GetIsMonotonic() || sum.GetSum().GetAggregationTemporality() != 2 {
		t.Errorf("sum metric header = %v", sum)
	}
	p := sum.GetSum().GetDataPoints()[0]
	if p.GetAsDouble() != 0.25 || p.StartTimeUnixNano != uint64(start.UnixNano()) || p.TimeUnixNano != uint64(now.UnixNano()) {
		t.Errorf("sum point = %v", p)
	}
	got := map[string]any{}
	for _, kv := range p.Attributes {
		v := kv.Value
		switch {
		case v.GetArrayValue() != nil:
			var ss []string
			for _, x := range v.GetArrayValue().Values {
				ss = append(ss, x.GetStringValue())
			}
			got[kv.Key] = ss
		case kv.Key == "b":
			got[kv.Key] = v.GetBoolValue()
		case kv.Key == "i":
			got[kv.Key] = v.GetIntValue()
		case kv.Key == "f":
			got[kv.Key] = v.GetDoubleValue()
		default:
			got[kv.Key] = v.GetStringValue()
		}
	}
	want := map[string]any{"s": "v", "b": true, "i": int64(-3), "f": 1.5, "ss": []string{"x", "y"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attributes mismatch (-want +got):\n%s", diff)
	}

	if g := sm.Metrics[1].GetGauge().GetDataPoints(); len(g) != 1 || g[0].GetAsInt() != -42 {
		t.Errorf("gauge points = %v", g)
	}

	h := sm.Metrics[2].GetHistogram()
	if h.GetAggregationTemporality() != 1 || len(h.DataPoints) != 1 {
		t.Fatalf("histogram = %v", h)
	}
	hp := h.DataPoints[0]
	if hp.Count != 3 || hp.GetSum() != 12.5 || hp.GetMin() != 0.5 || hp.GetMax() != 11 ||
		!cmp.Equal(hp.ExplicitBounds, []float64{1, 10}) || !cmp.Equal(hp.BucketCounts, []uint64{1, 1, 1}) {
		t.Errorf("histogram point = %v", hp)
	}
}

// TestRecorderHTTP sends metrics to an http/protobuf collector and checks
// the path, the headers and that the body is an OTLP request.
func TestRecorderHTTP(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	names := map[string]bool{}
	var auth, ctype, path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req colmetricpb.ExportMetricsServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		auth, ctype, path = r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.URL.Path
		for _, rm := range req.ResourceMetrics {
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					names[m.Name] = true
				}
			}
		}
	}))
	t.Cleanup(srv.Close)

	s := Load(func(k string) string {
		return map[string]string{
			"CLAUDE_CODE_ENABLE_TELEMETRY": "1",
			"OTEL_EXPORTER_OTLP_ENDPOINT":  srv.URL,
			"OTEL_EXPORTER_OTLP_HEADERS":   "Authorization=Bearer h",
		}[k]
	})
	r, err := New(t.Context(), s, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	r.Begin(t.Context(), "s1", "m")
	r.Request(t.Context(), "", cost.Usage{InputTokens: 3}, cost.Cost{USD: 0.01, Known: true}, time.Second)
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, name := range []string{MetricSessions, MetricTokens, MetricCost, MetricLatency} {
		if !names[name] {
			t.Errorf("metric %s not received over HTTP; got %v", name, names)
		}
	}
	if auth != "Bearer h" || ctype != "application/x-protobuf" || path != "/v1/metrics" {
		t.Errorf("request: Authorization %q, Content-Type %q, path %q", auth, ctype, path)
	}
}

// TestExportErrors checks that a collector's refusal is an error naming
// the status, over both protocols.
func TestExportErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") == "application/grpc+proto" {
			w.Header().Set("Grpc-Status", "16")
			w.Header().Set("Grpc-Message", "bad%20token")
			return
		}
		http.Error(w, "quota exceeded", http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct{ protocol, endpoint, want string }{
		{ProtocolHTTP, srv.URL + "/v1/metrics", "otlp http export: 429 Too Many Requests: quota exceeded"},
		{ProtocolGRPC, srv.URL, "otlp grpc export: status 16: bad token"},
	} {
		e, err := newExporter(Settings{Protocol: tc.protocol, Endpoint: tc.endpoint})
		if err != nil {
			t.Fatal(err)
		}
		if tc.protocol == ProtocolGRPC {
			// httptest speaks HTTP/1.1; the status handling is what is
			// tested here, HTTP/2 in TestRecorderGRPC.
			e.client = srv.Client()
		}
		err = e.Export(t.Context(), &metricdata.ResourceMetrics{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error = %v, want %q", tc.protocol, err, tc.want)
		}
	}
	if _, err := newExporter(Settings{Endpoint: "localhost:4317"}); err == nil {
		t.Error("an endpoint without a scheme was accepted")
	}
}
