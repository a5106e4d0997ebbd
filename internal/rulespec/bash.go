package rulespec

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// BashKind is the shape of a Bash(…) specifier.
type BashKind int

// The shapes.
const (
	BashAll      BashKind = iota // Bash(*): the same as Bash
	BashExact                    // Bash(git status)
	BashPrefix                   // Bash(go test:*): these words, then anything
	BashWildcard                 // Bash(git * main): * spans any text
	// BashContains is the conservative reading of a deny or ask rule
	// basalt cannot compile: see [Lenient].
	BashContains
	// BashLine is the reading of an allow rule basalt cannot compile: the
	// exact command line it spells, nothing else.
	BashLine
)

// Bash is a compiled Bash(…) specifier. The permission checker matches it
// against one simple command at a time, word by word after quote removal.
type Bash struct {
	Kind BashKind
	// Words are the words of an exact or prefix rule.
	Words []string
	// WordRes, when set, has one entry per word: nil for a plain word, a
	// pattern for a word with * in a prefix allow rule
	// (Bash(.claude/scripts/*.sh:*)), where * stays inside one path
	// component of one word, which is narrower than Claude Code's *.
	WordRes []*regexp.Regexp
	// Assigns are the NAME=value words written before the command
	// (Bash(NODE_ENV=test npm test:*)). An allow rule matches only a
	// command with exactly these assignments; deny and ask rules ignore
	// them, which refuses more, never less.
	Assigns []string
	// Re and Head are a wildcard rule's pattern over the words joined by
	// single spaces, and its literal text before the first *.
	Re   *regexp.Regexp
	Head string
	// Line is a BashLine or BashContains rule's command line (the text
	// before a trailing :* or *).
	Line string
	// Parts are a BashContains rule's simple commands.
	Parts []Part
}

// CompileBash compiles a Bash specifier (already [Unescape]d). allow says
// whether the rule allows: a * inside a prefix rule's words compiles only
// for allow rules, read narrowly; a deny or ask rule needs the wider
// reading of [Lenient].
func CompileBash(spec string, allow bool) (*Bash, error) {
	s := strings.TrimSpace(spec)
	if s == "*" {
		return &Bash{Kind: BashAll}, nil
	}
	if body, ok := strings.CutSuffix(s, ":*"); ok {
		body = strings.TrimSpace(body)
		if body == "" {
			return nil, errors.New("empty command before :*")
		}
		assigns, ws, err := specWords(body)
		if err != nil {
			return nil, err
		}
		p := &Bash{Kind: BashPrefix, Assigns: assigns}
		globs := false
		for _, w := range ws {
			t, star := w.plain()
			p.Words = append(p.Words, t)
			var re *regexp.Regexp
			if star {
				if !allow {
					return nil, errors.New("a * inside a prefix rule (before :*) has no exact meaning; as a deny or ask rule it is read conservatively")
				}
				globs = true
				re = w.componentRE()
			}
			p.WordRes = append(p.WordRes, re)
		}
		if !globs {
			p.WordRes = nil
		}
		return p, nil
	}
	if strings.Contains(s, ":*") {
		return nil, errors.New(":* may only end the specifier, as in Bash(npm run test:*)")
	}
	assigns, ws, err := specWords(s)
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
		p := &Bash{Kind: BashExact, Assigns: assigns}
		for _, w := range ws {
			t, _ := w.plain()
			p.Words = append(p.Words, t)
		}
		return p, nil
	}
	if len(assigns) > 0 {
		return nil, errors.New("a wildcard rule cannot also set variables")
	}
	return compileWildcard(ws)
}

// NamesMoreThanCommand reports whether the rule pins down more than the
// first word, which is what allowing a wrapper (sudo, env X=…) takes:
// Bash(sudo apt-get update) may allow `sudo apt-get update`, Bash(sudo:*)
// and Bash(sudo *) allow nothing wrapped.
func (p *Bash) NamesMoreThanCommand() bool {
	switch p.Kind {
	case BashExact, BashPrefix:
		return len(p.Words) > 1
	case BashWildcard:
		return strings.Contains(strings.TrimSpace(p.Head), " ")
	}
	return false
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

// componentRE matches the word with each * standing for text inside one
// path component.
func (w specWord) componentRE() *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^`)
	for _, p := range w {
		if p.star {
			b.WriteString(`[^/]*`)
			continue
		}
		b.WriteString(regexp.QuoteMeta(p.text))
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

var identRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// specWords parses a specifier as one simple command of static words,
// with static NAME=value assignments before it. It refuses operators,
// expansions and redirections: a rule describes a single command, and a
// compound command is checked part by part.
func specWords(s string) (assigns []string, out []specWord, err error) {
	// A leading placeholder word makes the parser read every word of the
	// specifier as an argument, so that Bash(time:*) or Bash(if:*) name the
	// command and are not taken for shell keywords.
	const placeholder = "_ "
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true)).Parse(strings.NewReader(placeholder+s), "")
	if err != nil {
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			// Its position counts the placeholder; the text is what matters.
			return nil, nil, fmt.Errorf("not a shell command (%s)", pe.Text)
		}
		return nil, nil, fmt.Errorf("not a shell command: %w", err)
	}
	if len(f.Stmts) != 1 || len(f.Last) > 0 {
		return nil, nil, errors.New("a rule names one simple command: ;, &&, ||, |, redirections and comments have no exact meaning in a rule")
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || len(st.Redirs) > 0 || len(st.Comments) > 0 || len(call.Args) < 2 {
		return nil, nil, errors.New("a rule names one simple command: ;, &&, ||, |, redirections and comments have no exact meaning in a rule")
	}
	args := call.Args[1:]
	for _, w := range args {
		out = append(out, nil)
		sw := &out[len(out)-1]
		for _, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				*sw = append(*sw, splitStars(p.Value)...)
			case *syntax.SglQuoted:
				if p.Dollar {
					return nil, nil, fmt.Errorf("word %s: $'…' quoting is not supported in rules", printWord(w))
				}
				*sw = append(*sw, specPiece{text: p.Value})
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					l, ok := q.(*syntax.Lit)
					if !ok || p.Dollar {
						return nil, nil, fmt.Errorf("word %s: expansions ($…, `…`) have no fixed text to match", printWord(w))
					}
					*sw = append(*sw, specPiece{text: UnquoteDouble(l.Value)})
				}
			default:
				return nil, nil, fmt.Errorf("word %s: expansions ($…, `…`) have no fixed text to match", printWord(w))
			}
		}
	}
	// Leading NAME=value words are the command's environment.
	for len(out) > 0 {
		lit, ok := args[0].Parts[0].(*syntax.Lit)
		if !ok {
			break
		}
		name, _, isAssign := strings.Cut(lit.Value, "=")
		if !isAssign || !identRE().MatchString(name) {
			break
		}
		t, star := out[0].plain()
		if star {
			return nil, nil, errors.New("a variable's value in a rule must be fixed text")
		}
		assigns = append(assigns, t)
		out, args = out[1:], args[1:]
	}
	if len(out) == 0 {
		return nil, nil, errors.New("the rule sets variables but names no command")
	}
	return assigns, out, nil
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
func compileWildcard(ws []specWord) (*Bash, error) {
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
	return &Bash{Kind: BashWildcard, Re: rx, Head: head.String()}, nil
}

func printWord(w *syntax.Word) string {
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, w); err != nil {
		return "?"
	}
	return b.String()
}

// UnquoteDouble removes the escapes bash honours inside double quotes
// (permission reads words with it too).
func UnquoteDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
			i++
			if s[i] != '\n' {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
