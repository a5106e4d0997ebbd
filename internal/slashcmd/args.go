package slashcmd

import (
	"strconv"
	"strings"
)

// SplitArgs splits an argument string the way Claude Code fills $0, $1, …:
// on blanks, with 'single' and "double" quotes grouping words and a
// backslash escaping the next character outside single quotes
// (`/migrate "My Button" React` gives [My Button, React]). A string with an
// unclosed quote is split on blanks alone, so a stray apostrophe
// ("don't") still gives the words the user typed.
func SplitArgs(s string) []string {
	if out, ok := splitQuoted(s); ok {
		return out
	}
	return fields(s)
}

func splitQuoted(s string) ([]string, bool) {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote byte
	escaped := false
	// Bytes, not runes: every character with a meaning here is ASCII, and
	// bytes that are not UTF-8 must pass through unchanged.
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			cur.WriteByte(c)
			escaped = false
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case quote == '"':
			switch c {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteByte(c)
			}
		case c == '\\':
			escaped, inWord = true, true
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case isArgSpace(c):
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, false
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, true
}

// isArgSpace reports the blanks that separate arguments: ASCII white
// space, as a shell's IFS would.
func isArgSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// fields splits on argument blanks alone.
func fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && isArgSpace(byte(r)) })
}

// substitution is what one expansion replaces in a prompt template.
type substitution struct {
	raw   string            // $ARGUMENTS
	args  []string          // $ARGUMENTS[N], $N
	named map[string]string // $name, from front matter `arguments`
	vars  map[string]string // ${CLAUDE_SESSION_ID}, ${CLAUDE_SKILL_DIR}
}

func newSubstitution(raw string, names []string, vars map[string]string) substitution {
	s := substitution{raw: raw, args: SplitArgs(raw), named: map[string]string{}, vars: vars}
	for i, n := range names {
		v := ""
		if i < len(s.args) {
			v = s.args[i]
		}
		s.named[n] = v
	}
	return s
}

// apply replaces placeholders in text in one left-to-right pass, so a
// value that itself contains "$1" is never expanded again. It reports
// whether text held any argument placeholder.
func (s substitution) apply(text string) (string, bool) {
	var b strings.Builder
	used := false
	for i := 0; i < len(text); {
		if text[i] != '$' {
			j := strings.IndexByte(text[i:], '$')
			if j < 0 {
				b.WriteString(text[i:])
				break
			}
			b.WriteString(text[i : i+j])
			i += j
			continue
		}
		rest := text[i+1:]
		if v, n, ok := s.match(rest); ok {
			b.WriteString(v.value)
			used = used || v.isArg
			i += 1 + n
			continue
		}
		b.WriteByte('$')
		i++
	}
	return b.String(), used
}

type matched struct {
	value string
	isArg bool
}

// match reads the placeholder after a '$' at the start of rest and
// returns its value and length.
func (s substitution) match(rest string) (matched, int, bool) {
	if strings.HasPrefix(rest, "{") {
		if end := strings.IndexByte(rest, '}'); end > 0 {
			if v, ok := s.vars[rest[1:end]]; ok {
				return matched{value: v}, end + 1, true
			}
		}
		return matched{}, 0, false
	}
	if strings.HasPrefix(rest, "ARGUMENTS") {
		after := rest[len("ARGUMENTS"):]
		if strings.HasPrefix(after, "[") {
			if end := strings.IndexByte(after, ']'); end > 1 {
				if n, err := strconv.Atoi(after[1:end]); err == nil && n >= 0 {
					return matched{value: s.index(n), isArg: true}, len("ARGUMENTS") + end + 1, true
				}
			}
		}
		if len(after) == 0 || !isNameByte(after[0]) {
			return matched{value: s.raw, isArg: true}, len("ARGUMENTS"), true
		}
	}
	d := 0
	for d < len(rest) && rest[d] >= '0' && rest[d] <= '9' {
		d++
	}
	if d > 0 && (d == len(rest) || !isWordByte(rest[d])) {
		n, err := strconv.Atoi(rest[:d])
		if err == nil {
			return matched{value: s.index(n), isArg: true}, d, true
		}
	}
	// Named arguments: the longest declared name that ends at a name boundary.
	best := ""
	for name := range s.named {
		if strings.HasPrefix(rest, name) && len(name) > len(best) && (len(rest) == len(name) || !isNameByte(rest[len(name)])) {
			best = name
		}
	}
	if best != "" {
		return matched{value: s.named[best], isArg: true}, len(best), true
	}
	return matched{}, 0, false
}

func (s substitution) index(n int) string {
	if n < len(s.args) {
		return s.args[n]
	}
	return ""
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameByte(c byte) bool { return isWordByte(c) || c == '-' }

func isArgName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}
