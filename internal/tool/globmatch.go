package tool

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// pathGlob is a compiled glob over slash-separated paths: `*`, `?` and
// `[...]` (with `!` or `^` to negate) within one segment, `**` as a whole
// segment for any number of segments, `{a,b}` alternatives and `\` escapes.
// It is the matcher behind .gitignore rules, Grep's glob filter and Glob.
type pathGlob struct {
	alts []globAlt // one per {a,b} expansion
}

type globAlt struct {
	segs    []string
	literal bool   // no metacharacter at all: compare strings
	suffix  string // pattern is "*"+suffix with a literal suffix: compare tails
}

// compileGlob compiles pattern. anyDepth makes a pattern without a slash
// match a path's last segment at any depth (gitignore's rule).
func compileGlob(pattern string, anyDepth bool) (*pathGlob, error) {
	alts, err := expandBraces(pattern)
	if err != nil {
		return nil, err
	}
	g := &pathGlob{}
	for _, a := range alts {
		a = strings.TrimPrefix(a, "/")
		if anyDepth && !strings.Contains(a, "/") {
			a = "**/" + a
		}
		segs := strings.Split(a, "/")
		for _, s := range segs {
			if err := checkSegment(s); err != nil {
				return nil, fmt.Errorf("glob %q: %w", pattern, err)
			}
		}
		ga := globAlt{segs: segs}
		last := segs[len(segs)-1]
		if !strings.ContainsAny(a, `*?[\`) {
			ga.literal = true
		} else if strings.HasPrefix(last, "*") && !strings.ContainsAny(last[1:], `*?[\`) {
			ga.suffix = last[1:]
		}
		g.alts = append(g.alts, ga)
	}
	return g, nil
}

// match reports whether the slash-separated relative path p matches.
func (g *pathGlob) match(p string) bool {
	for i := range g.alts {
		a := &g.alts[i]
		if a.literal && len(a.segs) == 1 {
			if p == a.segs[0] {
				return true
			}
			continue
		}
		// "**/*.go": a cheap look at the last segment rules most paths out.
		if a.suffix != "" && !strings.HasSuffix(p, a.suffix) {
			continue
		}
		if matchSegs(a.segs, p) {
			return true
		}
	}
	return false
}

// matchSegs matches pattern segments against path p without allocating.
func matchSegs(segs []string, p string) bool {
	for len(segs) > 0 {
		if segs[0] == "**" {
			rest := segs[1:]
			if len(rest) == 0 {
				return p != ""
			}
			for {
				if matchSegs(rest, p) {
					return true
				}
				i := strings.IndexByte(p, '/')
				if i < 0 {
					return false
				}
				p = p[i+1:]
			}
		}
		if p == "" {
			return false
		}
		seg := p
		if i := strings.IndexByte(p, '/'); i >= 0 {
			seg, p = p[:i], p[i+1:]
		} else {
			p = ""
		}
		if !matchSegment(segs[0], seg) {
			return false
		}
		segs = segs[1:]
	}
	return p == ""
}

// matchSegment matches one path segment against one pattern segment.
func matchSegment(pat, s string) bool {
	// Iterative wildcard matching with one backtrack point for the last *.
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) || px < len(pat) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					_, size := decodeRune(s[sx:])
					px++
					sx += size
					continue
				}
			case '[':
				if sx < len(s) {
					r, size := decodeRune(s[sx:])
					if ok, n := matchClass(pat[px:], r); n > 0 && ok {
						px += n
						sx += size
						continue
					}
				}
			case '\\':
				if px+1 < len(pat) && sx < len(s) && s[sx] == pat[px+1] {
					px += 2
					sx++
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starP >= 0 && starS < len(s) {
			_, size := decodeRune(s[starS:])
			starS += size
			px, sx = starP+1, starS
			continue
		}
		return false
	}
	return true
}

// matchClass matches r against the bracket expression at the start of
// pat. n is the expression's length, 0 when it is malformed.
func matchClass(pat string, r rune) (ok bool, n int) {
	i := 1
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return ok != negate, i + 1
		}
		first = false
		lo, size := decodeRune(pat[i:])
		if pat[i] == '\\' && i+1 < len(pat) {
			lo, size = decodeRune(pat[i+1:])
			size++
		}
		i += size
		hi := lo
		if i+1 < len(pat) && pat[i] == '-' && pat[i+1] != ']' {
			var hs int
			hi, hs = decodeRune(pat[i+1:])
			i += 1 + hs
		}
		if lo <= r && r <= hi {
			ok = true
		}
	}
	return false, 0
}

func decodeRune(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// checkSegment rejects malformed bracket expressions, which would
// otherwise silently match nothing.
func checkSegment(s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			_, n := matchClass(s[i:], 0)
			if n == 0 {
				return fmt.Errorf("unclosed '[' in %q", s)
			}
			i += n - 1
		}
	}
	return nil
}

// expandBraces expands {a,b} alternatives, nested ones included.
func expandBraces(p string) ([]string, error) {
	depth, open := 0, -1
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			if depth == 0 {
				open = i
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth > 0 {
				continue
			}
			var out []string
			for _, alt := range splitTop(p[open+1 : i]) {
				rest, err := expandBraces(p[:open] + alt + p[i+1:])
				if err != nil {
					return nil, err
				}
				out = append(out, rest...)
			}
			return out, nil
		}
	}
	if depth > 0 {
		return nil, fmt.Errorf("glob %q: unclosed '{'", p)
	}
	return []string{p}, nil
}

// splitTop splits s at commas outside nested braces.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}
