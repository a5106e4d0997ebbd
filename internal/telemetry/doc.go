// Package telemetry exports basalt's OpenTelemetry metrics: sessions,
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
// It owns the translation from agent events to measurements and the
// exporter's life. It must never export a prompt, a file's contents, a
// tool's input or output, or a command line: only counts, durations,
// model IDs, tool names and decision labels leave the process.
package telemetry
