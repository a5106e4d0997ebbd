package permission

import (
	"strconv"
	"strings"
)

// maxBraceWords bounds what one word may brace-expand into; a word that
// would expand into more is treated as unknown.
const maxBraceWords = 256

// braceExpand expands a word's static text the way bash's brace expansion
// does ({a,b}c is ac bc; {1..3} is 1 2 3; {x} stays literal). ok is false
// when the expansion is too large to check. The text has had its quotes
// removed, so a quoted comma is read as unquoted: the expansion may list
// more words than bash produces, never fewer.
func braceExpand(s string) ([]string, bool) {
	all, ok := braceExpandN(s, 0)
	// Empty words vanish, as bash removes empty unquoted words: {,rm} x is rm x.
	out := all[:0]
	for _, w := range all {
		if w != "" {
			out = append(out, w)
		}
	}
	return out, ok && len(out) <= maxBraceWords && len(out) > 0
}

func braceExpandN(s string, depth int) ([]string, bool) {
	if depth > 16 {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '{' || i > 0 && s[i-1] == '$' {
			continue
		}
		level, end := 0, -1
		var commas []int
	scan:
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{':
				level++
			case '}':
				level--
				if level == 0 {
					end = j
					break scan
				}
			case ',':
				if level == 1 {
					commas = append(commas, j)
				}
			}
		}
		if end < 0 {
			continue
		}
		if len(commas) >= maxBraceWords {
			return nil, false
		}
		var alts []string
		if len(commas) > 0 {
			prev := i + 1
			for _, c := range commas {
				alts = append(alts, s[prev:c])
				prev = c + 1
			}
			alts = append(alts, s[prev:end])
		} else if seq, isSeq, fits := braceSeq(s[i+1 : end]); !isSeq {
			continue
		} else if !fits {
			return nil, false
		} else {
			alts = seq
		}
		var out []string
		for _, a := range alts {
			more, ok := braceExpandN(s[:i]+a+s[end+1:], depth+1)
			if !ok || len(out)+len(more) > maxBraceWords {
				return nil, false
			}
			out = append(out, more...)
		}
		return out, true
	}
	return []string{s}, true
}

// braceSeq expands a sequence expression: {1..5}, {05..10..5}, {a..e}.
// isSeq is false when body is not one (bash leaves such braces as they
// are); fits is false when it is one too long to list, which callers must
// treat as unknown, never as literal text.
func braceSeq(body string) (words []string, isSeq, fits bool) {
	parts := strings.Split(body, "..")
	if len(parts) != 2 && len(parts) != 3 {
		return nil, false, false
	}
	step := 1
	if len(parts) == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil {
			return nil, false, false
		}
		step = max(n, -n, 1)
	}
	a, errA := strconv.Atoi(parts[0])
	b, errB := strconv.Atoi(parts[1])
	var out []string
	switch {
	case errA == nil && errB == nil:
		width := 0
		for _, p := range parts[:2] {
			if len(strings.TrimPrefix(p, "-")) > 1 && strings.HasPrefix(strings.TrimPrefix(p, "-"), "0") {
				width = max(width, len(p))
			}
		}
		if (b-a)/step > maxBraceWords || (a-b)/step > maxBraceWords {
			return nil, true, false
		}
		for n := a; ; {
			t := strconv.Itoa(n)
			for len(t) < width {
				t = "0" + t
			}
			out = append(out, t)
			if n == b || a < b && n+step > b || a > b && n-step < b {
				break
			}
			if a < b {
				n += step
			} else {
				n -= step
			}
		}
	case len(parts[0]) == 1 && len(parts[1]) == 1 && isLetter(parts[0][0]) && isLetter(parts[1][0]):
		x, y := parts[0][0], parts[1][0]
		for c := int(x); ; {
			out = append(out, string(rune(c)))
			if c == int(y) || x < y && c+step > int(y) || x > y && c-step < int(y) {
				break
			}
			if x < y {
				c += step
			} else {
				c -= step
			}
		}
	default:
		return nil, false, false
	}
	return out, true, true
}

// expandNameBraces brace-expands a command's first word: `{rm,-rf,x}` runs
// rm with two arguments, so deny rules must see `rm -rf x`. The expansion
// makes the command opaque for allow rules.
func expandNameBraces(cmd *simpleCmd, cur []word) []word {
	w := cur[0]
	if w.dynamic || !w.glob || !strings.Contains(w.text, "{") {
		return cur
	}
	exp, ok := braceExpand(w.text)
	if !ok {
		// Too many words to list: what runs is unknown.
		cmd.hidden = true
		cmd.setOpaque("uses a brace expansion in its command name too large to check")
		return cur
	}
	if len(exp) == 1 && exp[0] == w.text {
		return cur
	}
	cmd.setOpaque("uses brace expansion in its command name")
	cmd.denyForms = append(cmd.denyForms, cur)
	out := make([]word, 0, len(exp)+len(cur)-1)
	for _, e := range exp {
		out = append(out, word{text: e, src: w.src, glob: strings.ContainsAny(e, "*?[")})
	}
	return append(out, cur[1:]...)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
