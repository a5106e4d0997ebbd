// Package headless prints an agent session for scripts and CI (basalt -p):
// the result alone on stdout in text mode, one JSON object in json mode,
// one JSON object per line in stream-json mode, with diagnostics (retries,
// refreshes, notices, and with --verbose the tool calls) on stderr. It
// also renders the human-readable progress of basalt demo.
//
// It consumes agent events and never drives the agent.
package headless
