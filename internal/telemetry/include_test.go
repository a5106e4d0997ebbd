package telemetry

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/basalt-dev/basalt/internal/cost"
)

// TestMetricsInclude checks the OTEL_METRICS_INCLUDE_* switches:
// session.id by default and not app.version, and the reverse when asked.
func TestMetricsInclude(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		env              map[string]string
		session, version bool
	}{
		{"defaults", map[string]string{}, true, false},
		{"switched", map[string]string{"OTEL_METRICS_INCLUDE_SESSION_ID": "false", "OTEL_METRICS_INCLUDE_VERSION": "true"}, false, true},
	} {
		var mu sync.Mutex
		keys := map[string]bool{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var req colmetricpb.ExportMetricsServiceRequest
			if err := proto.Unmarshal(body, &req); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, rm := range req.ResourceMetrics {
				for _, sm := range rm.ScopeMetrics {
					for _, m := range sm.Metrics {
						for _, dp := range m.GetSum().GetDataPoints() {
							for _, kv := range dp.Attributes {
								keys[kv.Key] = true
							}
						}
					}
				}
			}
		}))
		env := map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL}
		for k, v := range tc.env {
			env[k] = v
		}
		r, err := New(t.Context(), Load(func(k string) string { return env[k] }), Options{Version: "1.2.3"})
		if err != nil {
			t.Fatal(err)
		}
		r.Begin(t.Context(), "s1", "m")
		r.Request(t.Context(), "", cost.Usage{InputTokens: 1}, cost.Cost{USD: 0.1, Known: true}, time.Millisecond)
		if err := r.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		srv.Close()
		mu.Lock()
		if keys["session.id"] != tc.session || keys["app.version"] != tc.version || !keys["model"] {
			t.Errorf("%s: metric attributes %v, want session.id %v, app.version %v", tc.name, keys, tc.session, tc.version)
		}
		mu.Unlock()
	}
}
