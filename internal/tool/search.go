package tool

import (
	"bytes"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// matcher finds matching lines the way rg does: a match never spans lines
// unless multiline is set, and a line (or, in multiline mode, the lines a
// match covers) counts once. A literal that every match must contain is
// searched with bytes.Index first, so most of a file is never seen by the
// regexp engine.
type matcher struct {
	re        *regexp.Regexp
	lit       []byte // required literal, lowercased when fold; nil for none
	fold      bool   // lit must be searched in an ASCII-lowercased copy
	pure      bool   // the pattern is exactly lit: no regexp needed
	multiline bool
}

// newMatcher compiles pattern. The error is worded for the model.
func newMatcher(pattern string, ignoreCase, multiline bool) (*matcher, error) {
	flags := syntax.Perl &^ syntax.OneLine // ^ and $ match at line ends, as in rg
	if ignoreCase {
		flags |= syntax.FoldCase
	}
	if multiline {
		flags |= syntax.DotNL
	}
	tree, err := syntax.Parse(pattern, flags)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	if !multiline {
		if err := noNewline(tree); err != nil {
			return nil, err
		}
	}
	tree = tree.Simplify()
	re, err := regexp.Compile(tree.String())
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %s", err)
	}
	m := &matcher{re: re, multiline: multiline}
	lit, fold := requiredLiteral(tree)
	if fold && !foldSafe(lit) {
		lit = ""
	}
	if lit != "" {
		m.fold = fold
		if fold {
			lit = strings.ToLower(lit)
		}
		m.lit = []byte(lit)
		m.pure = tree.Op == syntax.OpLiteral
	}
	return m, nil
}

// noNewline makes a single-line pattern unable to match a line break, as
// rg does: classes lose '\n', and a literal newline is an error.
func noNewline(re *syntax.Regexp) error {
	switch re.Op {
	case syntax.OpLiteral:
		if strings.ContainsRune(string(re.Rune), '\n') {
			return fmt.Errorf(`the pattern contains a line break (\n), which only matches with multiline: true`)
		}
	case syntax.OpAnyChar:
		re.Op = syntax.OpAnyCharNotNL
	case syntax.OpCharClass:
		var out []rune
		for i := 0; i < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo <= '\n' && '\n' <= hi {
				if lo < '\n' {
					out = append(out, lo, '\n'-1)
				}
				if hi > '\n' {
					out = append(out, '\n'+1, hi)
				}
				continue
			}
			out = append(out, lo, hi)
		}
		re.Rune = out
		if len(out) == 0 {
			re.Op = syntax.OpNoMatch
		}
	}
	for _, sub := range re.Sub {
		if err := noNewline(sub); err != nil {
			return err
		}
	}
	return nil
}

// requiredLiteral returns the longest literal string every match of re
// contains, and whether it matches case-insensitively.
func requiredLiteral(re *syntax.Regexp) (string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune), re.Flags&syntax.FoldCase != 0
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		best, bestFold := "", false
		for _, sub := range re.Sub {
			if l, f := requiredLiteral(sub); len(l) > len(best) {
				best, bestFold = l, f
			}
		}
		return best, bestFold
	}
	return "", false
}

// foldSafe reports whether ASCII lowercasing finds every case-insensitive
// match of lit: lit is ASCII and has no k or s, whose folds include the
// Kelvin sign and the long s.
func foldSafe(lit string) bool {
	for i := 0; i < len(lit); i++ {
		c := lit[i] | 0x20
		if lit[i] >= 0x80 || c == 'k' || c == 's' {
			return false
		}
	}
	return true
}

// lowerASCII writes the ASCII-lowercased src into dst, grown as needed.
func lowerASCII(dst, src []byte) []byte {
	if cap(dst) < len(src) {
		dst = make([]byte, len(src), len(src)+len(src)/4)
	}
	dst = dst[:len(src)]
	for i, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
	return dst
}

// scanner holds a worker's scratch memory for matcher.scan.
type scanner struct {
	lower []byte
}

// scan calls emit with the byte range [start, end) of each matching line
// (for multiline, of the lines a match covers), end excluding the final
// newline, in order. emit returns false to stop.
func (m *matcher) scan(sc *scanner, buf []byte, emit func(start, end int) bool) {
	hay := buf
	if m.fold && m.lit != nil {
		sc.lower = lowerASCII(sc.lower, buf)
		hay = sc.lower
	}
	if m.multiline {
		m.scanMultiline(hay, buf, emit)
		return
	}
	pos := 0
	for pos < len(buf) {
		var ls, le int
		if m.lit != nil {
			i := bytes.Index(hay[pos:], m.lit)
			if i < 0 {
				return
			}
			ls = pos + bytes.LastIndexByte(buf[pos:pos+i], '\n') + 1
			le = lineEnd(buf, pos+i)
			if !m.pure && !m.re.Match(buf[ls:le]) {
				pos = le + 1
				continue
			}
		} else {
			ls = pos
			le = lineEnd(buf, pos)
			if !m.re.Match(buf[ls:le]) {
				pos = le + 1
				continue
			}
		}
		if !emit(ls, le) {
			return
		}
		pos = le + 1
	}
}

func (m *matcher) scanMultiline(hay, buf []byte, emit func(start, end int) bool) {
	if m.lit != nil && !bytes.Contains(hay, m.lit) {
		return
	}
	pos := 0
	for pos < len(buf) {
		loc := m.re.FindIndex(buf[pos:])
		if loc == nil {
			return
		}
		start, end := pos+loc[0], pos+loc[1]
		if start >= len(buf) {
			return // an empty match after the final newline is not a line
		}
		ls := bytes.LastIndexByte(buf[:start], '\n') + 1
		last := start
		if end > start {
			last = end - 1
		}
		le := lineEnd(buf, last)
		if !emit(ls, le) {
			return
		}
		pos = le + 1
	}
}

// lineEnd returns the index of the newline ending the line that holds
// buf[i], or len(buf).
func lineEnd(buf []byte, i int) int {
	if j := bytes.IndexByte(buf[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(buf)
}
