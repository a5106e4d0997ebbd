// Package permission owns permission modes, allow/ask/deny rules and the
// decision for a tool call.
//
// It decides; it never runs a tool.
package permission
