package telemetry

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoadLogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want LogSettings
		warn string
	}{
		{"off unless OTEL_LOGS_EXPORTER", map[string]string{}, LogSettings{}, ""},
		{"none", map[string]string{"OTEL_LOGS_EXPORTER": "none"}, LogSettings{}, ""},
		{"otlp defaults", map[string]string{"OTEL_LOGS_EXPORTER": "otlp"},
			LogSettings{Exporter: "otlp", Protocol: ProtocolHTTP, Endpoint: "http://localhost:4318/v1/logs", Headers: map[string]string{}, Interval: 5 * time.Second}, ""},
		{"generic endpoint gets the logs path", map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/", "OTEL_EXPORTER_OTLP_HEADERS": "a=1", "OTEL_EXPORTER_OTLP_LOGS_HEADERS": "b=2"},
			LogSettings{Exporter: "otlp", Protocol: ProtocolHTTP, Endpoint: "http://c:4318/v1/logs", Headers: map[string]string{"a": "1", "b": "2"}, Interval: 5 * time.Second}, ""},
		{"logs protocol and endpoint win", map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "https://c:4317", "OTEL_LOGS_EXPORT_INTERVAL": "1000", "OTEL_LOG_USER_PROMPTS": "1", "OTEL_LOG_TOOL_DETAILS": "true"},
			LogSettings{Exporter: "otlp", Protocol: ProtocolGRPC, Endpoint: "https://c:4317", Headers: map[string]string{}, Interval: time.Second, UserPrompts: true, ToolDetails: true}, ""},
		{"console, a list", map[string]string{"OTEL_LOGS_EXPORTER": "console,otlp"},
			LogSettings{Exporter: "console", Protocol: ProtocolHTTP, Headers: map[string]string{}, Interval: 5 * time.Second}, ""},
		{"unknown exporter", map[string]string{"OTEL_LOGS_EXPORTER": "kafka"}, LogSettings{}, `OTEL_LOGS_EXPORTER "kafka": want otlp, console or none`},
		{"bad interval", map[string]string{"OTEL_LOGS_EXPORTER": "console", "OTEL_LOGS_EXPORT_INTERVAL": "5s"},
			LogSettings{Exporter: "console", Protocol: ProtocolHTTP, Headers: map[string]string{}, Interval: 5 * time.Second}, `OTEL_LOGS_EXPORT_INTERVAL "5s": want milliseconds`},
		{"bad protocol", map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/json"}, LogSettings{}, `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL "http/json": want http/protobuf or grpc; events are off`},
		{"bad endpoint", map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "c:4318"}, LogSettings{}, "events are off"},
	}
	for _, tc := range tests {
		env := map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1"}
		for k, v := range tc.env {
			env[k] = v
		}
		s := Load(func(k string) string { return env[k] })
		if d := cmp.Diff(tc.want, s.Logs); d != "" {
			t.Errorf("%s: LogSettings (-want +got):\n%s", tc.name, d)
		}
		got := strings.Join(s.Warnings, "; ")
		if (tc.warn == "") != (got == "") || !strings.Contains(got, tc.warn) {
			t.Errorf("%s: warnings %q, want %q", tc.name, got, tc.warn)
		}
	}
	// Events stay on when metrics are off, and carry the resource.
	s := Load(func(k string) string {
		return map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "otlp", "OTEL_RESOURCE_ATTRIBUTES": "team=a"}[k]
	})
	if s.Enabled || s.Logs.Exporter != "otlp" || len(s.Resource) != 1 {
		t.Errorf("metrics none, logs otlp: Enabled %v, Logs.Exporter %q, Resource %v", s.Enabled, s.Logs.Exporter, s.Resource)
	}
}
