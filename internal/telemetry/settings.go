package telemetry

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Protocols are the values of OTEL_EXPORTER_OTLP_PROTOCOL basalt supports.
const (
	ProtocolHTTP = "http/protobuf"
	ProtocolGRPC = "grpc"
)

// defaultInterval is OTEL_METRIC_EXPORT_INTERVAL's default in the
// OpenTelemetry specification (and Claude Code's).
const defaultInterval = 60 * time.Second

// Settings is the telemetry configuration read from the environment.
type Settings struct {
	Enabled  bool
	Protocol string // ProtocolHTTP or ProtocolGRPC
	// Endpoint is the URL metrics are sent to: for HTTP the full URL of
	// the metrics path, for gRPC the collector's address as a URL
	// (http:// means without TLS).
	Endpoint string
	Headers  map[string]string
	Interval time.Duration
	// Resource are the OTEL_RESOURCE_ATTRIBUTES pairs.
	Resource []attribute.KeyValue
	// OmitSessionID (OTEL_METRICS_INCLUDE_SESSION_ID=false) leaves
	// session.id off the metrics, to keep their cardinality low.
	OmitSessionID bool
	// IncludeVersion (OTEL_METRICS_INCLUDE_VERSION=true) adds app.version
	// to the metrics.
	IncludeVersion bool
	// Logs is the events (OTel logs) export; its zero value exports none.
	Logs LogSettings
	// Traces is the spans export (beta); its zero value exports none.
	Traces TraceSettings
	// HeadersHelperInterval (CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS)
	// is how long otelHeadersHelper's headers are used before it runs
	// again; zero for the default, 29 minutes.
	HeadersHelperInterval time.Duration
	// Warnings say why a variable was ignored or telemetry stays off
	// despite CLAUDE_CODE_ENABLE_TELEMETRY.
	Warnings []string
}

// Load reads the settings through getenv, which must be the effective
// environment of the configuration ([config.Config.Getenv]). A value that
// cannot be used is a warning, never an error: monitoring must not stop
// the user's work.
func Load(getenv func(string) string) Settings {
	s := Settings{Protocol: ProtocolHTTP, Interval: defaultInterval, Headers: map[string]string{}}
	warn := func(format string, args ...any) { s.Warnings = append(s.Warnings, fmt.Sprintf(format, args...)) }
	if v := getenv("CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			s.HeadersHelperInterval = time.Duration(n) * time.Millisecond
		} else {
			warn("CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS %q: want a positive number of milliseconds, e.g. 900000; using 29 minutes", v)
		}
	}
	if !truthy(getenv("CLAUDE_CODE_ENABLE_TELEMETRY")) {
		return s
	}
	s.Enabled = true

	// Resource attributes and events come first: they do not depend on
	// metrics being exported.
	pairs, bad := parsePairs(getenv("OTEL_RESOURCE_ATTRIBUTES"))
	for _, p := range pairs {
		s.Resource = append(s.Resource, attribute.String(p[0], p[1]))
	}
	if bad != "" {
		warn("OTEL_RESOURCE_ATTRIBUTES: %q is not key=value; it was ignored", bad)
	}
	s.Logs = loadLogs(getenv, warn)
	s.Traces = loadTraces(getenv, warn)
	s.OmitSessionID = falsy(getenv("OTEL_METRICS_INCLUDE_SESSION_ID"))
	s.IncludeVersion = truthy(getenv("OTEL_METRICS_INCLUDE_VERSION"))

	switch exp := strings.TrimSpace(getenv("OTEL_METRICS_EXPORTER")); exp {
	case "", "otlp":
	case "none":
		s.Enabled = false
		return s
	default:
		warn("OTEL_METRICS_EXPORTER %q: basalt exports metrics with otlp only; metrics are off", exp)
		s.Enabled = false
		return s
	}

	proto := cmpOr(getenv("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"), getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
	switch proto {
	case "", ProtocolHTTP:
	case ProtocolGRPC:
		s.Protocol = ProtocolGRPC
	default:
		warn("OTEL_EXPORTER_OTLP_PROTOCOL %q: want http/protobuf or grpc; metrics are off", proto)
		s.Enabled = false
		return s
	}

	// The generic endpoint is a base to which the signal's path is added;
	// the metrics endpoint is used as it is (OTLP exporter specification).
	if e := getenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"); e != "" {
		s.Endpoint = e
	} else if e := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); e != "" {
		s.Endpoint = e
		if s.Protocol == ProtocolHTTP {
			s.Endpoint = strings.TrimRight(e, "/") + "/v1/metrics"
		}
	} else if s.Protocol == ProtocolGRPC {
		s.Endpoint = "http://localhost:4317"
	} else {
		s.Endpoint = "http://localhost:4318/v1/metrics"
	}
	if u, err := url.Parse(s.Endpoint); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		warn("OTLP endpoint %q: want a URL such as http://localhost:4318; metrics are off", s.Endpoint)
		s.Enabled = false
		return s
	}

	for _, name := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"} {
		pairs, bad := parsePairs(getenv(name))
		for _, p := range pairs {
			s.Headers[p[0]] = p[1]
		}
		if bad != "" {
			// The value may hold a credential: name the variable, not the text.
			warn("%s: an entry is not key=value; it was ignored", name)
		}
	}

	if v := getenv("OTEL_METRIC_EXPORT_INTERVAL"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 {
			warn("OTEL_METRIC_EXPORT_INTERVAL %q: want milliseconds, e.g. 60000; using 60000", v)
		} else {
			s.Interval = time.Duration(ms) * time.Millisecond
		}
	}
	return s
}

// parsePairs reads the W3C-baggage-like list of OTEL_*_HEADERS and
// OTEL_RESOURCE_ATTRIBUTES: comma-separated key=value, values
// percent-encoded. It returns the good pairs and the first bad entry.
func parsePairs(v string) (pairs [][2]string, bad string) {
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, val, ok := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			if bad == "" {
				bad = item
			}
			continue
		}
		if dec, err := url.PathUnescape(strings.TrimSpace(val)); err == nil {
			val = dec
		}
		pairs = append(pairs, [2]string{k, strings.TrimSpace(val)})
	}
	return pairs, bad
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func falsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ResourceLabels are the OTEL_RESOURCE_ATTRIBUTES pairs as a map, read
// whether or not telemetry is on: a transcript keeps them so that
// `basalt usage --by team` can group sessions by the labels a platform
// team already sets for its dashboards. nil when there are none.
func ResourceLabels(getenv func(string) string) map[string]string {
	pairs, _ := parsePairs(getenv("OTEL_RESOURCE_ATTRIBUTES"))
	if len(pairs) == 0 {
		return nil
	}
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		m[p[0]] = p[1]
	}
	return m
}
