package telemetry

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Values of OTEL_LOGS_EXPORTER basalt supports, as Claude Code does.
const (
	LogsOTLP    = "otlp"
	LogsConsole = "console"
)

// defaultLogsInterval is OTEL_LOGS_EXPORT_INTERVAL's default in Claude
// Code's documentation.
const defaultLogsInterval = 5 * time.Second

// LogSettings configure the export of events as OTel log records.
type LogSettings struct {
	// Exporter is LogsOTLP, LogsConsole or "" (no events), from
	// OTEL_LOGS_EXPORTER. As in Claude Code, events are off unless it is
	// set.
	Exporter string
	Protocol string // ProtocolHTTP or ProtocolGRPC
	Endpoint string // as Settings.Endpoint, for the logs path
	Headers  map[string]string
	Interval time.Duration
	// UserPrompts (OTEL_LOG_USER_PROMPTS) adds the prompt's text to
	// claude_code.user_prompt; otherwise only its length leaves.
	UserPrompts bool
	// ToolDetails (OTEL_LOG_TOOL_DETAILS) adds the tool's input and its
	// error text to claude_code.tool_result.
	ToolDetails bool
}

func loadLogs(getenv func(string) string, warn func(string, ...any)) LogSettings {
	var l LogSettings
	// A comma-separated list, as in the OTel specification; basalt takes
	// the first exporter it supports.
	for _, exp := range strings.Split(getenv("OTEL_LOGS_EXPORTER"), ",") {
		switch exp = strings.TrimSpace(exp); exp {
		case "", "none":
		case LogsOTLP, LogsConsole:
			if l.Exporter == "" {
				l.Exporter = exp
			}
		default:
			warn("OTEL_LOGS_EXPORTER %q: want otlp, console or none; it was ignored", exp)
		}
	}
	if l.Exporter == "" {
		return LogSettings{}
	}
	l.Protocol, l.Interval, l.Headers = ProtocolHTTP, defaultLogsInterval, map[string]string{}
	l.UserPrompts = truthy(getenv("OTEL_LOG_USER_PROMPTS"))
	l.ToolDetails = truthy(getenv("OTEL_LOG_TOOL_DETAILS"))
	if v := getenv("OTEL_LOGS_EXPORT_INTERVAL"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 {
			warn("OTEL_LOGS_EXPORT_INTERVAL %q: want milliseconds, e.g. 5000; using 5000", v)
		} else {
			l.Interval = time.Duration(ms) * time.Millisecond
		}
	}
	if l.Exporter == LogsConsole {
		return l
	}
	var ok bool
	if l.Protocol, l.Endpoint, l.Headers, ok = otlpTarget(getenv, warn, "LOGS", "/v1/logs", "events"); !ok {
		return LogSettings{}
	}
	return l
}

// otlpTarget resolves one signal's OTLP protocol, endpoint and headers
// from OTEL_EXPORTER_OTLP_<SIGNAL>_* and the general OTEL_EXPORTER_OTLP_*
// variables, as the OTel specification orders them. ok is false (and a
// warning says why, naming what stays off) when they cannot be used.
func otlpTarget(getenv func(string) string, warn func(string, ...any), signal, path, what string) (protocol, endpoint string, headers map[string]string, ok bool) {
	protocol, headers = ProtocolHTTP, map[string]string{}
	proto := cmpOr(getenv("OTEL_EXPORTER_OTLP_"+signal+"_PROTOCOL"), getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
	switch proto {
	case "", ProtocolHTTP:
	case ProtocolGRPC:
		protocol = ProtocolGRPC
	default:
		warn("OTEL_EXPORTER_OTLP_%s_PROTOCOL %q: want http/protobuf or grpc; %s are off", signal, proto, what)
		return "", "", nil, false
	}
	if e := getenv("OTEL_EXPORTER_OTLP_" + signal + "_ENDPOINT"); e != "" {
		endpoint = e
	} else if e := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); e != "" {
		endpoint = e
		if protocol == ProtocolHTTP {
			endpoint = strings.TrimRight(e, "/") + path
		}
	} else if protocol == ProtocolGRPC {
		endpoint = "http://localhost:4317"
	} else {
		endpoint = "http://localhost:4318" + path
	}
	if u, err := url.Parse(endpoint); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		warn("OTLP %s endpoint %q: want a URL such as http://localhost:4318; %s are off", strings.ToLower(signal), endpoint, what)
		return "", "", nil, false
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_" + signal + "_HEADERS"} {
		pairs, bad := parsePairs(getenv(name))
		for _, p := range pairs {
			headers[p[0]] = p[1]
		}
		if bad != "" {
			warn("%s: an entry is not key=value; it was ignored", name)
		}
	}
	return protocol, endpoint, headers, true
}
