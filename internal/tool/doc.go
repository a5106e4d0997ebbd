// Package tool owns the built-in tools (Read, Write, Edit, MultiEdit, Bash,
// Grep, Glob, LS, TodoWrite, WebFetch): one Go file plus an embedded Markdown
// description each. A problem the model can fix is a tool result; a Go error
// means the harness failed.
//
// It must not import agent.
package tool
