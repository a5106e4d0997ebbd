package telemetry

import (
	"strconv"
	"strings"
	"time"
)

// defaultTracesInterval is OTEL_BSP_SCHEDULE_DELAY's default in the OTel
// specification: how often finished spans are exported.
const defaultTracesInterval = 5 * time.Second

// TraceSettings configure the export of spans. As in Claude Code, traces
// are a beta: on only with CLAUDE_CODE_ENHANCED_TELEMETRY_BETA (or
// ENABLE_ENHANCED_TELEMETRY_BETA) and OTEL_TRACES_EXPORTER.
type TraceSettings struct {
	Exporter string // "otlp", "console" or "" (no spans)
	Protocol string
	Endpoint string // the traces path for HTTP, the collector for gRPC
	Headers  map[string]string
	Interval time.Duration
	// UserPrompts and ToolDetails gate the same content as on events
	// (OTEL_LOG_USER_PROMPTS, OTEL_LOG_TOOL_DETAILS).
	UserPrompts bool
	ToolDetails bool
}

func loadTraces(getenv func(string) string, warn func(string, ...any)) TraceSettings {
	beta := cmpOr(getenv("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA"), getenv("ENABLE_ENHANCED_TELEMETRY_BETA"))
	var t TraceSettings
	for _, exp := range strings.Split(getenv("OTEL_TRACES_EXPORTER"), ",") {
		switch exp = strings.TrimSpace(exp); exp {
		case "", "none":
		case "otlp", "console":
			if t.Exporter == "" {
				t.Exporter = exp
			}
		default:
			warn("OTEL_TRACES_EXPORTER %q: want otlp, console or none; it was ignored", exp)
		}
	}
	if t.Exporter == "" {
		return TraceSettings{}
	}
	if !truthy(beta) {
		warn("OTEL_TRACES_EXPORTER is set but traces are a beta: set CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1 to export them")
		return TraceSettings{}
	}
	t.Interval = defaultTracesInterval
	t.UserPrompts = truthy(getenv("OTEL_LOG_USER_PROMPTS"))
	t.ToolDetails = truthy(getenv("OTEL_LOG_TOOL_DETAILS"))
	if v := getenv("OTEL_BSP_SCHEDULE_DELAY"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 {
			warn("OTEL_BSP_SCHEDULE_DELAY %q: want milliseconds, e.g. 5000; using 5000", v)
		} else {
			t.Interval = time.Duration(ms) * time.Millisecond
		}
	}
	if t.Exporter == "console" {
		return t
	}
	var ok bool
	if t.Protocol, t.Endpoint, t.Headers, ok = otlpTarget(getenv, warn, "TRACES", "/v1/traces", "traces"); !ok {
		return TraceSettings{}
	}
	return t
}
