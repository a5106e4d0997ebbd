package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricpb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// otlpCollector is an OTLP/HTTP metrics receiver: it keeps every export
// request and its raw bytes.
type otlpCollector struct {
	mu      sync.Mutex
	raw     [][]byte
	reqs    []*colmetricpb.ExportMetricsServiceRequest
	headers []http.Header
}

func (c *otlpCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/metrics" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "want POST /v1/metrics application/x-protobuf", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req colmetricpb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.raw, c.reqs, c.headers = append(c.raw, body), append(c.reqs, &req), append(c.headers, r.Header.Clone())
	c.mu.Unlock()
	out, _ := proto.Marshal(&colmetricpb.ExportMetricsServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

// point is one data point of a sum, flattened for comparison.
type point struct {
	Metric string
	Attrs  map[string]string
	Value  float64
}

func attrMap(kvs []*commonpb.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		switch v := kv.Value.Value.(type) {
		case *commonpb.AnyValue_StringValue:
			m[kv.Key] = v.StringValue
		case *commonpb.AnyValue_BoolValue:
			if v.BoolValue {
				m[kv.Key] = "true"
			} else {
				m[kv.Key] = "false"
			}
		}
	}
	return m
}

func (c *otlpCollector) points() (points []point, resource map[string]string, histograms map[string]uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	histograms = map[string]uint64{}
	for _, req := range c.reqs {
		for _, rm := range req.ResourceMetrics {
			resource = attrMap(rm.Resource.Attributes)
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					switch d := m.Data.(type) {
					case *metricpb.Metric_Sum:
						for _, dp := range d.Sum.DataPoints {
							points = append(points, point{m.Name, attrMap(dp.Attributes), dp.GetAsDouble()})
						}
					case *metricpb.Metric_Histogram:
						for _, dp := range d.Histogram.DataPoints {
							histograms[m.Name+" "+attrMap(dp.Attributes)["model"]] += dp.Count
						}
					}
				}
			}
		}
	}
	return points, resource, histograms
}

// TestTelemetryOTLPHTTP runs a headless session against the emulator with
// telemetry on and checks what an OTLP/HTTP collector receives: tokens by
// type and cost with the model and session, tool decisions, the resource
// and headers from OTEL_*, and nothing of the prompt or the files read.
func TestTelemetryOTLPHTTP(t *testing.T) {
	const (
		secretPrompt = "PROMPT-7f3a look at notes.txt"
		secretFile   = "FILE-CONTENT-9b2c"
		model        = "global.anthropic.claude-sonnet-4-6"
	)
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "Reading.", ToolUse: []emulator.ToolUse{
			{Name: "Read", Input: []byte(`{"file_path":"notes.txt"}`)},
			{Name: "Bash", Input: []byte(`{"command":"rm -rf build"}`)},
		}},
		{Text: "Done."},
	}}
	col := &otlpCollector{}
	srv := httptest.NewServer(col)
	t.Cleanup(srv.Close)

	app, _, errOut := interactiveEnv(t, sc, map[string]string{
		"CLAUDE_CODE_ENABLE_TELEMETRY": "1",
		"OTEL_METRICS_EXPORTER":        "otlp",
		"OTEL_EXPORTER_OTLP_PROTOCOL":  "http/protobuf",
		"OTEL_EXPORTER_OTLP_ENDPOINT":  srv.URL,
		"OTEL_EXPORTER_OTLP_HEADERS":   "Authorization=Bearer%20collector-token",
		"OTEL_RESOURCE_ATTRIBUTES":     "team=platform,cost_center=42",
		"OTEL_METRIC_EXPORT_INTERVAL":  "60000",
	})
	if err := os.WriteFile(filepath.Join(app.WorkDir, "notes.txt"), []byte(secretFile+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := app.IO.Out.(*bytes.Buffer)
	app.IO.StdinIsTTY = true
	if code := run(t.Context(), app, []string{"-p", secretPrompt, "--output-format", "json"}); code != ExitOK {
		t.Fatalf("basalt -p exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	sessionID := between(out.String(), `"session_id": "`, `"`)
	if sessionID == "" {
		t.Fatalf("no session_id in the output:\n%s", out)
	}

	points, resource, hist := col.points()
	if len(points) == 0 {
		t.Fatalf("the collector received no metrics; stderr:\n%s", errOut)
	}
	// Totals by metric and the attributes that matter, over every export.
	type key struct{ Metric, Type, Model, Tool, Decision, Source, CostKnown string }
	got := map[key]float64{}
	for _, p := range points {
		if p.Attrs["session.id"] != sessionID {
			t.Errorf("%s: session.id = %q, want %q", p.Metric, p.Attrs["session.id"], sessionID)
		}
		got[key{p.Metric, p.Attrs["type"], p.Attrs["model"], p.Attrs["tool_name"], p.Attrs["decision"], p.Attrs["source"], p.Attrs["cost.known"]}] = p.Value
	}
	var costUSD float64
	for k, v := range got {
		if k.Metric == "claude_code.cost.usage" {
			costUSD = v
			delete(got, k)
		}
	}
	if costUSD <= 0 {
		t.Errorf("claude_code.cost.usage = %v, want a positive amount", costUSD)
	}
	// The emulator's token counts depend on the request size: check the
	// kinds are there and positive, then drop the values.
	for k, v := range got {
		if k.Metric == "claude_code.token.usage" {
			// Everything is read from or written to the cache: the
			// uncached input may be 0, the rest may not.
			if v <= 0 && k.Type != "input" {
				t.Errorf("%v = %v, want > 0", k, v)
			}
			got[k] = 1
		}
	}
	want := map[key]float64{
		{Metric: "claude_code.session.count"}:                                                1,
		{Metric: "claude_code.token.usage", Type: "input", Model: model}:                     1,
		{Metric: "claude_code.token.usage", Type: "output", Model: model}:                    1,
		{Metric: "claude_code.token.usage", Type: "cacheCreation", Model: model}:             1,
		{Metric: "claude_code.token.usage", Type: "cacheRead", Model: model}:                 1,
		{Metric: "basalt.api.request.count", Model: model, CostKnown: "true"}:                2,
		{Metric: "basalt.tool.decision", Tool: "Read", Decision: "accept", Source: "config"}: 1,
		{Metric: "basalt.tool.decision", Tool: "Bash", Decision: "reject", Source: "config"}: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics mismatch (-want +got):\n%s", diff)
	}
	if hist["basalt.api.request.duration "+model] != 2 {
		t.Errorf("latency histogram counts = %v, want 2 requests of %s", hist, model)
	}
	for k, v := range map[string]string{"service.name": "basalt", "team": "platform", "cost_center": "42"} {
		if resource[k] != v {
			t.Errorf("resource %s = %q, want %q (resource %v)", k, resource[k], v, resource)
		}
	}
	if h := col.headers[0].Get("Authorization"); h != "Bearer collector-token" {
		t.Errorf("Authorization header = %q, want the one from OTEL_EXPORTER_OTLP_HEADERS", h)
	}
	for i, raw := range col.raw {
		for _, secret := range []string{"PROMPT-7f3a", secretFile, "notes.txt", "rm -rf", "Reading.", "Done."} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("export %d contains %q: prompts, files, tool inputs and answers must never be exported", i, secret)
			}
		}
	}
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
