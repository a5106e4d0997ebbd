package rulespec

import "strings"

// Unescape undoes the escapes Claude Code allows inside a rule's
// parentheses: \( and \) stand for parentheses and \\ for a backslash.
// Any other backslash is kept for the specifier's own syntax (a shell
// escape in a Bash rule, a glob escape in a path rule).
func Unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`()\`, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Escape writes a specifier so that [Unescape] gives it back: a rule
// basalt suggests (and saves) reads the same in Claude Code. Parentheses
// are escaped; a backslash only where Unescape would otherwise take it
// for an escape (before ( ) \ or at the end, before the rule's ")"), so
// glob escapes such as \[ stay as they are.
func Escape(s string) string {
	if !strings.ContainsAny(s, `()\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' || c == ')':
			b.WriteByte('\\')
		case c == '\\' && (i+1 == len(s) || strings.IndexByte(`()\`, s[i+1]) >= 0):
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
