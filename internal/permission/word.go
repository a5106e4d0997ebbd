package permission

import (
	"github.com/basalt-dev/basalt/internal/rulespec"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// word is one shell word as far as it can be known before the command runs.
type word struct {
	text string // the value after quote removal, when static
	// dynamic: the value depends on expansions ($X, $(…), $((…)), <(…),
	// $'…', extglobs); text is then the source spelling, for messages only.
	dynamic bool
	// glob: static text with unquoted *, ?, [ or {…} that the shell may
	// expand into other words.
	glob bool
	// tilde: a leading unquoted ~ the shell expands to a home directory.
	tilde bool
	src   string
}

// lit reports whether the word's value is exactly its text.
func (w word) lit() bool { return !w.dynamic && !w.glob && !w.tilde }

func printWord(w *syntax.Word) string {
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, w); err != nil {
		return "?"
	}
	return b.String()
}

// analyzeWord removes quotes from a parsed word and classifies it.
func analyzeWord(w *syntax.Word) word {
	out := word{src: printWord(w)}
	var b strings.Builder
	// An unquoted [ in an earlier part still pairs with a later unquoted
	// ]: .en["v"] globs. Braces across parts ({"rm",x}) are
	// braceAcrossParts' (below).
	openBracket := false
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			if openBracket && strings.Contains(p.Value, "]") {
				out.glob = true
			}
			unquoteLit(p.Value, i == 0, &b, &out)
			openBracket = openBracket || strings.Contains(p.Value, "[")
		case *syntax.SglQuoted:
			if p.Dollar {
				// $'…' decodes escapes ($'\x72m' is "rm"); rather than
				// re-implement bash's decoder, treat it as unknown.
				out.dynamic = true
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				out.dynamic = true
			}
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(rulespec.UnquoteDouble(l.Value))
				} else {
					out.dynamic = true
				}
			}
		default:
			out.dynamic = true
		}
	}
	if braceAcrossParts(w) {
		out.glob = true // see lexcheck.go
	}
	if out.dynamic {
		out.text = out.src
	} else {
		out.text = b.String()
	}
	return out
}

// unquoteLit removes backslash escapes from an unquoted literal and notes
// the characters the shell would still expand.
func unquoteLit(s string, first bool, b *strings.Builder, w *word) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					b.WriteByte(s[i])
				}
			}
			continue
		case '*', '?':
			w.glob = true
		case '[':
			if strings.Contains(s[i+1:], "]") {
				w.glob = true // a lone [ (the test command) is literal
			}
		case '{':
			if strings.ContainsAny(s[i:], "}") {
				w.glob = true // brace expansion: {rm,-rf,x} is three words
			}
		case '~':
			if first && i == 0 {
				w.tilde = true
			}
		}
		b.WriteByte(c)
	}
}

// quoteWord writes a static value so that the shell parser reads it back
// unchanged, for rules basalt suggests.
func quoteWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`|&;<>()*?[]{}~#!") {
		return s
	}
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return q
}
