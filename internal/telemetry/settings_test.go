package telemetry

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	on := map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	base := Settings{Enabled: true, Protocol: ProtocolHTTP, Endpoint: "http://localhost:4318/v1/metrics", Headers: map[string]string{}, Interval: time.Minute}
	tests := []struct {
		name string
		env  map[string]string
		want func(s *Settings)
	}{
		{"off by default", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, func(s *Settings) {
			*s = Settings{Protocol: ProtocolHTTP, Interval: time.Minute, Headers: map[string]string{}}
		}},
		{"on with defaults", on, func(*Settings) {}},
		{"http endpoint gets the metrics path", with("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.example.com:4318/"), func(s *Settings) {
			s.Endpoint = "https://otel.example.com:4318/v1/metrics"
		}},
		{"metrics endpoint as is", with("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://c:9/custom", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored"), func(s *Settings) {
			s.Endpoint = "http://c:9/custom"
		}},
		{"grpc", with("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), func(s *Settings) {
			s.Protocol, s.Endpoint = ProtocolGRPC, "http://collector:4317"
		}},
		{"grpc default endpoint", with("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), func(s *Settings) {
			s.Protocol, s.Endpoint = ProtocolGRPC, "http://localhost:4317"
		}},
		{"headers, interval and resource", with(
			"OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20tok, X-Team = a",
			"OTEL_METRIC_EXPORT_INTERVAL", "10000",
			"OTEL_RESOURCE_ATTRIBUTES", "team=platform,env=prod%2Ceu"), func(s *Settings) {
			s.Headers = map[string]string{"Authorization": "Bearer tok", "X-Team": "a"}
			s.Interval = 10 * time.Second
			s.Resource = []attribute.KeyValue{attribute.String("team", "platform"), attribute.String("env", "prod,eu")}
		}},
		{"bad header entry names the variable only", with("OTEL_EXPORTER_OTLP_HEADERS", "secret-token-without-key"), func(s *Settings) {
			s.Warnings = []string{"OTEL_EXPORTER_OTLP_HEADERS: an entry is not key=value; it was ignored"}
		}},
		{"bad interval keeps the default", with("OTEL_METRIC_EXPORT_INTERVAL", "10s"), func(s *Settings) {
			s.Warnings = []string{`OTEL_METRIC_EXPORT_INTERVAL "10s": want milliseconds, e.g. 60000; using 60000`}
		}},
		{"exporter none", with("OTEL_METRICS_EXPORTER", "none"), func(s *Settings) {
			*s = Settings{Protocol: ProtocolHTTP, Interval: time.Minute, Headers: map[string]string{}}
		}},
		{"unsupported exporter", with("OTEL_METRICS_EXPORTER", "prometheus"), func(s *Settings) {
			*s = Settings{Protocol: ProtocolHTTP, Interval: time.Minute, Headers: map[string]string{},
				Warnings: []string{`OTEL_METRICS_EXPORTER "prometheus": basalt exports metrics with otlp only; metrics are off`}}
		}},
		{"bad protocol", with("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), func(s *Settings) {
			*s = Settings{Protocol: ProtocolHTTP, Interval: time.Minute, Headers: map[string]string{},
				Warnings: []string{`OTEL_EXPORTER_OTLP_PROTOCOL "http/json": want http/protobuf or grpc; metrics are off`}}
		}},
		{"bad endpoint", with("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"), func(s *Settings) {
			s.Enabled = false
			s.Endpoint = "collector:4318/v1/metrics"
			s.Warnings = []string{`OTLP endpoint "collector:4318/v1/metrics": want a URL such as http://localhost:4318; metrics are off`}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := base
			want.Headers = map[string]string{}
			tt.want(&want)
			got := Load(func(k string) string { return tt.env[k] })
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b attribute.KeyValue) bool { return a == b })); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
