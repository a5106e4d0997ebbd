package permission

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// bashKind is the shape of a Bash(…) specifier.
type bashKind int

const (
	bashAll      bashKind = iota // Bash(*): the same as Bash
	bashExact                    // Bash(git status)
	bashPrefix                   // Bash(go test:*): these words, then anything
	bashWildcard                 // Bash(git * main): * spans any text
)

// bashPattern is a compiled Bash(…) specifier. It is matched against one
// simple command at a time, word by word after quote removal, so
// "Bash(go test:*)" matches `go test` and `go test ./...` but not
// `go testify`, and never a whole `go test && rm -rf x`.
type bashPattern struct {
	kind  bashKind
	words []string       // exact and prefix
	re    *regexp.Regexp // wildcard
	head  string         // wildcard: the literal text before the first *
}

// result is a three-valued match. maybe means the command's words are not
// all known before it runs (a $VAR, a glob) and could match: enough to ask,
// never enough to allow or to deny.
type result int

const (
	no result = iota
	maybe
	yes
)

func compileBashPattern(spec string) (*bashPattern, error) {
	s := strings.TrimSpace(spec)
	if s == "*" {
		return &bashPattern{kind: bashAll}, nil
	}
	if body, ok := strings.CutSuffix(s, ":*"); ok {
		body = strings.TrimSpace(body)
		if body == "" {
			return nil, errors.New("empty command before :*")
		}
		ws, err := specWords(body)
		if err != nil {
			return nil, err
		}
		p := &bashPattern{kind: bashPrefix}
		for _, w := range ws {
			t, star := w.plain()
			if star {
				return nil, errors.New("write either a prefix rule ending in :* or a wildcard rule with *, not both")
			}
			p.words = append(p.words, t)
		}
		return p, nil
	}
	if strings.Contains(s, ":*") {
		return nil, errors.New(":* may only end the specifier, as in Bash(npm run test:*)")
	}
	ws, err := specWords(s)
	if err != nil {
		return nil, err
	}
	wild := false
	for _, w := range ws {
		if _, star := w.plain(); star {
			wild = true
		}
	}
	if !wild {
		p := &bashPattern{kind: bashExact}
		for _, w := range ws {
			t, _ := w.plain()
			p.words = append(p.words, t)
		}
		return p, nil
	}
	return compileWildcard(ws)
}

// specWord is one word of a specifier: literal pieces and unquoted stars.
type specWord []specPiece

type specPiece struct {
	text string
	star bool
}

func (w specWord) plain() (string, bool) {
	var b strings.Builder
	star := false
	for _, p := range w {
		if p.star {
			star = true
			b.WriteByte('*')
			continue
		}
		b.WriteString(p.text)
	}
	return b.String(), star
}

// specWords parses a specifier as one simple command of static words. It
// refuses operators, expansions and redirections: a rule describes a
// single command, and a compound command is checked part by part.
func specWords(s string) ([]specWord, error) {
	// A leading placeholder word makes the parser read every word of the
	// specifier as an argument, so that Bash(time:*) or Bash(if:*) name the
	// command and are not taken for shell keywords.
	const placeholder = "_ "
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true)).Parse(strings.NewReader(placeholder+s), "")
	if err != nil {
		return nil, fmt.Errorf("not a shell command: %w", err)
	}
	if len(f.Stmts) != 1 || len(f.Last) > 0 {
		return nil, errors.New("a rule names one command; write one rule per command instead of joining them with ; or newlines")
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || len(st.Redirs) > 0 || len(st.Comments) > 0 || len(call.Args) < 2 {
		return nil, errors.New("a rule names one simple command: no &&, ||, |, redirections or comments")
	}
	if first, _, isAssign := strings.Cut(call.Args[1].Lit(), "="); isAssign && identRE.MatchString(first) {
		return nil, errors.New("a rule cannot set variables; variables are checked separately")
	}
	call.Args = call.Args[1:]
	var out []specWord
	for _, w := range call.Args {
		var sw specWord
		for _, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				sw = append(sw, splitStars(p.Value)...)
			case *syntax.SglQuoted:
				if p.Dollar {
					return nil, fmt.Errorf("word %s: $'…' quoting is not supported in rules", printWord(w))
				}
				sw = append(sw, specPiece{text: p.Value})
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					l, ok := q.(*syntax.Lit)
					if !ok || p.Dollar {
						return nil, fmt.Errorf("word %s: expansions are not allowed in rules", printWord(w))
					}
					sw = append(sw, specPiece{text: unquoteDouble(l.Value)})
				}
			default:
				return nil, fmt.Errorf("word %s: expansions are not allowed in rules", printWord(w))
			}
		}
		out = append(out, sw)
	}
	return out, nil
}

// splitStars unescapes an unquoted literal and marks its unescaped stars.
func splitStars(s string) []specPiece {
	var out []specPiece
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, specPiece{text: b.String()})
			b.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '*':
			flush()
			out = append(out, specPiece{star: true})
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return out
}

// compileWildcard follows Claude Code's wildcard rules: * matches any text,
// spaces included, and a lone trailing " *" is optional, so "Bash(ls *)"
// matches `ls` and `ls -la` but not `lsof`.
func compileWildcard(ws []specWord) (*bashPattern, error) {
	var re, head strings.Builder
	headDone := false
	re.WriteString(`(?s)^`)
	for i, w := range ws {
		if i == len(ws)-1 && i > 0 && len(w) == 1 && w[0].star {
			re.WriteString(`(?: .*)?`)
			headDone = true
			break
		}
		if i > 0 {
			re.WriteString(" ")
			if !headDone {
				head.WriteString(" ")
			}
		}
		for _, p := range w {
			if p.star {
				re.WriteString(`.*`)
				headDone = true
				continue
			}
			re.WriteString(regexp.QuoteMeta(p.text))
			if !headDone {
				head.WriteString(p.text)
			}
		}
	}
	re.WriteString(`$`)
	rx, err := regexp.Compile(re.String())
	if err != nil {
		return nil, err
	}
	return &bashPattern{kind: bashWildcard, re: rx, head: head.String()}, nil
}

// match checks a command's words. For allow rules (deny false) only static
// words can match; for deny and ask rules an unknown word yields maybe, and
// the command name is compared without regard to case (case-insensitive
// filesystems run RM as rm).
func (p *bashPattern) match(ws []word, deny bool) result {
	if len(ws) == 0 {
		return no
	}
	switch p.kind {
	case bashAll:
		return yes
	case bashWildcard:
		return p.matchWildcard(ws, deny)
	}
	for i, rw := range p.words {
		if i >= len(ws) {
			return no
		}
		w := ws[i]
		if !w.lit() {
			if deny {
				return maybe
			}
			return no
		}
		eq := w.text == rw
		if i == 0 && deny {
			eq = strings.EqualFold(w.text, rw)
		}
		if !eq {
			return no
		}
	}
	if p.kind == bashExact && len(ws) != len(p.words) {
		if !deny {
			return no
		}
		// Extra words that may expand to nothing ($EMPTY) could leave
		// exactly the denied command.
		for _, w := range ws[len(p.words):] {
			if w.lit() {
				return no
			}
		}
		return maybe
	}
	return yes
}

func (p *bashPattern) matchWildcard(ws []word, deny bool) result {
	texts := make([]string, len(ws))
	allLit := true
	for i, w := range ws {
		texts[i] = w.text
		if !w.lit() {
			allLit = false
		}
	}
	if !deny && !allLit {
		return no
	}
	line := strings.Join(texts, " ")
	if p.re.MatchString(line) {
		return yes
	}
	if deny && !allLit {
		// The static words before the first unknown one: could the rule's
		// literal head still fit?
		var known []string
		for _, w := range ws {
			if !w.lit() {
				break
			}
			known = append(known, w.text)
		}
		k := strings.Join(known, " ")
		if strings.HasPrefix(p.head, k) || strings.HasPrefix(k, p.head) {
			return maybe
		}
	}
	return no
}

// namesMoreThanCommand reports whether the rule pins down more than the
// first word, which is what allowing a wrapper (sudo, env X=…) takes:
// Bash(sudo apt-get update) may allow `sudo apt-get update`, Bash(sudo:*)
// and Bash(sudo *) allow nothing wrapped.
func (p *bashPattern) namesMoreThanCommand() bool {
	switch p.kind {
	case bashExact, bashPrefix:
		return len(p.words) > 1
	case bashWildcard:
		return strings.Contains(strings.TrimSpace(p.head), " ")
	}
	return false
}
