// Package rulespec reads the text of permission rules: Claude Code's
// escapes, tool names (with the mcp__server__* wildcard), Bash specifiers
// and Read/Edit path specifiers.
//
// It is the one place that decides whether basalt can compile a rule, so
// that the configuration layer (which reports the rules it keeps with a
// warning) and the permission checker (which enforces them) always give
// the same verdict. It knows nothing of commands being decided and imports
// nothing of basalt's: config and permission both import it.
//
// A rule basalt cannot compile is never dropped and never widened (see
// [Check]): as an allow rule it matches only the exact command line it
// spells (or nothing), as a deny or ask rule it is applied conservatively
// through the literal fragments of its words ([Lenient]).
package rulespec
