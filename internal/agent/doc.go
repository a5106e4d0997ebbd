// Package agent owns the turn loop: the system prompt, cache breakpoints,
// tool execution with permission checks, compaction and side calls to the
// small/fast model. It emits events that the headless printer and the TUI
// consume.
//
// It must not import tui.
package agent
