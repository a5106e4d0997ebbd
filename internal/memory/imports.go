package memory

import (
	"strings"
)

// MaxImportDepth is how many @path hops memory follows from a file, as
// Claude Code does: an import of an import ... five deep.
const MaxImportDepth = 5

// importRef is one @path in a memory file.
type importRef struct {
	path string // as written, without the @
	line int    // 1-based
}

// findImports returns the @path references of a memory file's text. An
// import is an @ at the start of a line or after white space, followed
// by the path up to the next white space, so a@b.com is not one. Code is
// not searched: fenced blocks (``` or ~~~) and inline code spans are
// skipped, as Claude Code does, so examples of the syntax stay examples.
func findImports(text string) []importRef {
	var out []importRef
	var fence string // the opening fence while inside a fenced block
	for n, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if len(line)-len(trimmed) <= 3 {
			if f := fenceOf(trimmed); f != "" {
				switch {
				case fence == "":
					fence = f
				case f[0] == fence[0] && len(f) >= len(fence) && strings.TrimSpace(trimmed[len(f):]) == "":
					fence = ""
				}
				continue
			}
		}
		if fence != "" {
			continue
		}
		line = blankCodeSpans(line)
		for i := 0; i < len(line); i++ {
			if line[i] != '@' || (i > 0 && !isSpace(line[i-1])) {
				continue
			}
			j := i + 1
			for j < len(line) && !isSpace(line[j]) {
				j++
			}
			if p := line[i+1 : j]; p != "" {
				out = append(out, importRef{p, n + 1})
			}
			i = j
		}
	}
	return out
}

// fenceOf is the run of ``` or ~~~ (three or more) that opens line, or "".
func fenceOf(line string) string {
	if len(line) < 3 || (line[0] != '`' && line[0] != '~') {
		return ""
	}
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	if n < 3 {
		return ""
	}
	return line[:n]
}

// blankCodeSpans replaces the inside of each `code span` (a run of
// backticks closed by a run of the same length) with spaces, so an @ in
// it is not an import. An unclosed run is literal text.
func blankCodeSpans(line string) string {
	b := []byte(line)
	for i := 0; i < len(b); {
		if b[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(b) && b[i+n] == '`' {
			n++
		}
		closeAt := -1
		for j := i + n; j < len(b); {
			if b[j] != '`' {
				j++
				continue
			}
			m := 0
			for j+m < len(b) && b[j+m] == '`' {
				m++
			}
			if m == n {
				closeAt = j
				break
			}
			j += m
		}
		if closeAt < 0 {
			i += n
			continue
		}
		for k := i + n; k < closeAt; k++ {
			b[k] = ' '
		}
		i = closeAt + n
	}
	return string(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// trimPunctuation drops what ends a sentence after a path ("see
// @docs/a.md."), for when the path as written does not exist.
func trimPunctuation(p string) string {
	return strings.TrimRight(p, ".,;:!?)]}'\"")
}
