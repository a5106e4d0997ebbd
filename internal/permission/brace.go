package permission

import (
	"strconv"
	"strings"
)

// maxBraceWords bounds the words one brace expansion may produce.
const maxBraceWords = 1024

// braceExpand returns the words bash's brace expansion makes of text:
// "a{b,c}d" is "abd" and "acd", "{1..3}" is "1", "2" and "3", nested
// braces expand inside out. It works on the text after quote removal, so
// a quoted brace is expanded too; a caller checks the words it gets, so
// one word too many only costs a question. ok is false when the expansion
// would exceed maxBraceWords: the caller must then treat the word as
// unknown.
func braceExpand(text string) (words []string, ok bool) {
	words = []string{text}
	for range maxBraceWords {
		var next []string
		changed := false
		for _, w := range words {
			alts, pre, post, found := firstBrace(w)
			if !found {
				next = append(next, w)
				continue
			}
			changed = true
			for _, a := range alts {
				next = append(next, pre+a+post)
			}
			if len(next) > maxBraceWords {
				return nil, false
			}
		}
		words = next
		if !changed {
			return words, true
		}
	}
	return nil, false
}

// firstBrace finds the first brace group that bash would expand: a
// comma list or a sequence, and returns its alternatives and the text
// around it.
func firstBrace(s string) (alts []string, pre, post string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '{' || i > 0 && s[i-1] == '$' {
			continue
		}
		depth := 0
		var commas []int
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{':
				depth++
			case ',':
				if depth == 1 {
					commas = append(commas, j)
				}
			case '}':
				depth--
				if depth > 0 {
					continue
				}
				body := s[i+1 : j]
				if len(commas) > 0 {
					start := i + 1
					for _, c := range commas {
						alts = append(alts, s[start:c])
						start = c + 1
					}
					alts = append(alts, s[start:j])
					return alts, s[:i], s[j+1:], true
				}
				if seq, ok := braceSequence(body); ok {
					return seq, s[:i], s[j+1:], true
				}
				j = len(s) // not expandable: look for a later group
			}
		}
	}
	return nil, "", "", false
}

// braceSequence expands "1..5", "a..e" and "1..10..2".
func braceSequence(body string) ([]string, bool) {
	parts := strings.Split(body, "..")
	if len(parts) != 2 && len(parts) != 3 {
		return nil, false
	}
	step := 1
	if len(parts) == 3 {
		s, err := strconv.Atoi(parts[2])
		if err != nil {
			return nil, false
		}
		if s < 0 {
			s = -s
		}
		if s != 0 {
			step = s
		}
	}
	lo, err1 := strconv.Atoi(parts[0])
	hi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		if len(parts[0]) != 1 || len(parts[1]) != 1 {
			return nil, false
		}
		lo, hi = int(parts[0][0]), int(parts[1][0])
		var out []string
		for c := lo; ; {
			out = append(out, string(rune(c)))
			if c == hi || len(out) > maxBraceWords {
				return out, true
			}
			if lo < hi {
				c += step
				if c > hi {
					return out, true
				}
			} else {
				c -= step
				if c < hi {
					return out, true
				}
			}
		}
	}
	if (hi-lo)/step > maxBraceWords || (lo-hi)/step > maxBraceWords {
		return make([]string, maxBraceWords+1), true // too many: the caller gives up
	}
	var out []string
	if lo <= hi {
		for n := lo; n <= hi; n += step {
			out = append(out, strconv.Itoa(n))
		}
	} else {
		for n := lo; n >= hi; n -= step {
			out = append(out, strconv.Itoa(n))
		}
	}
	return out, true
}
