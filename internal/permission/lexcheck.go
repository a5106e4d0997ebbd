package permission

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// The checker reads a command with mvdan.cc/sh; bash reads it with its
// own lexer. Where the two may split the same text differently, a command
// bash runs can be invisible to the checker (`ls\r#$(rm x)`: the parser
// sees a comment, bash a word and a substitution). Rather than chase each
// difference, the checks below accept only text whose reading is not in
// doubt and report everything else, so that the command is asked.
//
// They are deliberately coarse: a few legitimate commands are asked too
// (a comment line continued with a backslash, a here-document line that
// starts with its delimiter), none that matters is allowed.

// maxOpeners bounds the tokens that can open a nested construct, counted
// anywhere in the text (quotes included). The parser recurses once per
// level and slows down, and the Go stack overflows, on hundreds of
// thousands of levels; no real command comes near the bound.
const maxOpeners = 20000

// maxTreeDepth bounds the depth of the syntax tree the checker walks.
const maxTreeDepth = 2000

// lexError says why a command's text cannot be trusted to mean the same to
// bash as to the parser. It is returned like a parse error, so the command
// is treated as one that cannot be checked part by part.
type lexError struct{ why string }

func (e *lexError) Error() string { return e.why }

// lexCheck vets the raw text before it is parsed: only characters both
// readers treat alike, no backslash that a comment or the end of the text
// may swallow differently, line continuations only after a blank (between
// words, never inside one), and a bounded amount of nesting.
func lexCheck(src string) error {
	if err := checkRunes(src); err != nil {
		return err
	}
	if n := countTrailing(src, '\\'); n%2 == 1 {
		// bash keeps a lone trailing backslash as a literal; the parser
		// reads it as a line continuation into nothing.
		return &lexError{"the command ends in a backslash, which bash and basalt's parser read differently"}
	}
	for line := range strings.Lines(src) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.HasSuffix(line, `\`) {
			continue
		}
		if strings.Contains(line, "#") {
			// The parser continues a comment that ends in a backslash onto
			// the next line; bash ends the comment there and runs that line.
			return &lexError{"a line with a # ends in a backslash; bash may run the next line as a command where basalt's parser sees a comment"}
		}
		n := countTrailing(line, '\\')
		if before := len(line) - n; n%2 == 1 && before > 0 && line[before-1] != ' ' && line[before-1] != '\t' {
			// bash removes a backslash-newline before it reads anything,
			// so $\⏎# is $#; the parser keeps some tokens apart.
			return &lexError{"a backslash-newline splits a word, which bash joins before reading it and basalt's parser may not"}
		}
	}
	if n := countOpeners(src); n > maxOpeners {
		return &lexError{fmt.Sprintf("the command has %d nesting tokens, more than the %d basalt checks", n, maxOpeners)}
	}
	return nil
}

// checkRunes accepts printable ASCII, tab and newline, and non-ASCII
// letters, marks, digits, punctuation and symbols in valid UTF-8. Everything
// else is refused: control characters (a carriage return is a blank to the
// parser but part of a word to bash; NUL ends the text for bash), invalid
// UTF-8 (bash may read it in another encoding), and non-ASCII spaces,
// format characters (bidirectional overrides, zero-width joiners), private
// and unassigned code points, which a reader may take for a blank or hide
// from a human.
func checkRunes(src string) error {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' {
				i++
				continue
			}
			return &lexError{fmt.Sprintf("the command contains the control character %U at byte %d, which bash and basalt's parser read differently", rune(c), i)}
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError && size == 1 {
			return &lexError{fmt.Sprintf("the command is not valid UTF-8 (byte %#x at %d), so bash may read it differently from basalt's parser", c, i)}
		}
		if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S) {
			return &lexError{fmt.Sprintf("the command contains %U at byte %d, a space, control or invisible character that bash and basalt's parser may read differently", r, i)}
		}
		i += size
	}
	return nil
}

func countTrailing(s string, c byte) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == c {
		n++
	}
	return n
}

// openerWords open a nested command or test when they start a word.
var openerWords = map[string]bool{
	"if": true, "while": true, "until": true, "for": true, "select": true, "case": true,
	"time": true, "coproc": true, "function": true, "do": true, "then": true, "else": true, "elif": true,
}

// countOpeners counts what can open a nesting level, over-counting freely:
// brackets, backquotes and ! in any context, and keywords wherever they
// stand as a word. The count bounds the depth of any parse of the text.
func countOpeners(src string) int {
	n := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '(' || c == '{' || c == '[' || c == '`' || c == '!':
			n++
			i++
		case isWordByte(c):
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			if openerWords[src[i:j]] {
				n++
			}
			i = j
		default:
			i++
		}
	}
	return n
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// plainDelim is a here-document delimiter both readers agree on.
var plainDelim = lazyre.New(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// heredocCheck bounds the depth of the parsed tree, refuses single quotes
// nested in double quotes and expansions inside extended globs, and vets
// the here-documents of a parsed command against the ways
// bash may end one earlier than the parser, so that lines the parser takes
// for text would run as commands: a delimiter that is not a plain word,
// a body line that starts with the delimiter (bash 5.2 ends a here-document
// inside $( at "EOF)"), a backslash-newline in an unquoted body (bash joins
// the lines before comparing, so E\⏎OF ends it), and a here-document inside
// backquotes, whose text bash cuts at the next backquote first.
func heredocCheck(src string, f *syntax.File) error {
	var backquotes [][2]uint
	var heredocs []*syntax.Redirect
	var stack []syntax.Node // the nodes enclosing the current one
	tooDeep, quoteInQuote, extGlob := false, false, false
	syntax.Walk(f, func(n syntax.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) >= maxTreeDepth {
			tooDeep = true
			return false
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *syntax.SglQuoted:
			quoteInQuote = quoteInQuote || inDoubleQuotes(stack[:len(stack)-1])
		case *syntax.ExtGlob:
			// The parser keeps an extended glob's inside as text; bash
			// expands it ([[ x = !($(cmd)) ]] runs cmd).
			extGlob = extGlob || n.Pattern == nil || strings.ContainsAny(n.Pattern.Value, "$`<>\\")
		case *syntax.CmdSubst:
			if n.Backquotes {
				backquotes = append(backquotes, [2]uint{n.Pos().Offset(), n.End().Offset()})
			}
		case *syntax.Redirect:
			if n.Op == syntax.Hdoc || n.Op == syntax.DashHdoc {
				heredocs = append(heredocs, n)
			}
		}
		return true
	})
	if tooDeep {
		// Walking deeper trees (1+1+…+1, a && b && …) gets slower than
		// linear as the stack grows; no real command is this deep.
		return &lexError{fmt.Sprintf("the command is nested more than %d levels deep", maxTreeDepth)}
	}
	if extGlob {
		return &lexError{"the command has an extended glob pattern with an expansion inside, which basalt's parser does not read but bash runs"}
	}
	if quoteInQuote {
		// In "${x:-'$(cmd)'}" the parser sees a single-quoted string; bash
		// sees literal quotes around a command substitution, and runs it.
		return &lexError{"the command has single quotes inside double quotes (as in \"${x:-'…'}\"), which bash does not treat as quotes"}
	}
	for _, r := range heredocs {
		if err := checkHeredoc(src, r, backquotes); err != nil {
			return err
		}
	}
	return nil
}

// inDoubleQuotes reports whether the innermost quoting context of the
// enclosing nodes is a double-quoted string: a command or process
// substitution starts a new context.
func inDoubleQuotes(stack []syntax.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *syntax.DblQuoted:
			return true
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return false
		}
	}
	return false
}

func checkHeredoc(src string, r *syntax.Redirect, backquotes [][2]uint) error {
	at := r.OpPos.Offset()
	for _, b := range backquotes {
		if at >= b[0] && at < b[1] {
			return &lexError{"the command has a here-document inside backquotes, which bash may end at a backquote in its text"}
		}
	}
	if r.Word == nil || !validRange(src, r.Word) {
		return &lexError{"the command has a here-document basalt cannot locate"}
	}
	raw := src[r.Word.Pos().Offset():r.Word.End().Offset()]
	delim, quoted := raw, false
	switch {
	case len(raw) >= 2 && (raw[0] == '\'' || raw[0] == '"') && raw[len(raw)-1] == raw[0]:
		delim, quoted = raw[1:len(raw)-1], true
	case strings.HasPrefix(raw, `\`):
		delim, quoted = raw[1:], true
	}
	if !plainDelim().MatchString(delim) {
		return &lexError{fmt.Sprintf("here-document delimiter %s is not a plain word, and bash may end the here-document elsewhere than basalt's parser", raw)}
	}
	if r.Hdoc == nil {
		return nil
	}
	if !validRange(src, r.Hdoc) {
		return &lexError{"the command has a here-document basalt cannot locate"}
	}
	body := src[r.Hdoc.Pos().Offset():r.Hdoc.End().Offset()]
	if !quoted && strings.Contains(body, "\\\n") {
		return &lexError{fmt.Sprintf("the here-document ending at %s has a line ending in a backslash, which bash joins to the next before looking for the delimiter", delim)}
	}
	lines := strings.Split(body, "\n")
	last := len(lines) - 1
	if strings.TrimLeft(lines[last], "\t") != delim {
		// The body runs to the end of the text, or its end is not where
		// the delimiter stands alone.
		last = len(lines)
	}
	for _, l := range lines[:last] {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), delim) {
			return &lexError{fmt.Sprintf("a line of the here-document starts with its delimiter %s, where bash may end it", delim)}
		}
	}
	return nil
}

func validRange(src string, n syntax.Node) bool {
	p, e := n.Pos(), n.End()
	return p.IsValid() && e.IsValid() && p.Offset() <= e.Offset() && e.Offset() <= uint(len(src))
}

// braceAcrossParts reports whether an unquoted { and a later unquoted }
// may form a brace expansion across the word's parts: bash expands
// {rm,”} to rm, where each literal part alone ({rm, and }) looks plain.
func braceAcrossParts(w *syntax.Word) bool {
	open := false
	for _, part := range w.Parts {
		l, ok := part.(*syntax.Lit)
		if !ok {
			continue
		}
		for i := 0; i < len(l.Value); i++ {
			switch l.Value[i] {
			case '\\':
				i++
			case '{':
				open = true
			case '}':
				if open {
					return true
				}
			}
		}
	}
	return false
}
