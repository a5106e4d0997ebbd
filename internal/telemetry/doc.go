// Package telemetry exports basalt's OpenTelemetry metrics and events
// (OTel log records, Claude Code's claude_code.* events). Metrics: sessions,
// tokens by kind, cost, API requests, their latency and errors, and tool
// permission decisions, with the model and the session ID as attributes.
//
// It is off unless CLAUDE_CODE_ENABLE_TELEMETRY is set, and reads the
// standard OTEL_* variables through the configuration (never os.Getenv),
// so a settings file's env or the managed policy can switch it on for a
// team. Metric names are Claude Code's where one exists
// (claude_code.session.count, claude_code.token.usage,
// claude_code.cost.usage, claude_code.code_edit_tool.decision), so
// existing dashboards keep working, and basalt.* otherwise.
//
// It owns the translation from agent events to measurements and events
// and the exporters' life. It must never export a prompt, a file's
// contents, a tool's input or output, or a command line unless the user
// switched that on (OTEL_LOG_USER_PROMPTS, OTEL_LOG_TOOL_DETAILS, events
// only): otherwise only counts, sizes, durations, model IDs, tool names,
// decision labels and the provider's error messages leave the process.
package telemetry
