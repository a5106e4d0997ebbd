package permission

import (
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/rulespec"
)

// bashPattern is a compiled Bash(…) specifier (see [rulespec.Bash]). It
// is matched against one simple command at a time, word by word after
// quote removal, so "Bash(go test:*)" matches `go test` and `go test
// ./...` but not `go testify`, and never a whole `go test && rm -rf x`.
// A rule basalt cannot compile is a BashLine pattern when it allows (the
// exact command line, see [eval.lineAllow]) and a BashContains pattern
// when it denies or asks (every command containing its words).
type bashPattern struct {
	*rulespec.Bash
	// canon is a BashLine rule's command line as printed from its syntax
	// tree ("" when it does not parse), computed once.
	canon string
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

// compileBashPattern compiles a specifier as a deny rule would (strictly:
// the narrow allow-only reading of * inside a prefix rule is left out).
func compileBashPattern(spec string) (*bashPattern, error) {
	b, err := rulespec.CompileBash(spec, false)
	if err != nil {
		return nil, err
	}
	return &bashPattern{Bash: b}, nil
}

// canonicalLine prints a command line from its syntax tree, so that two
// spellings that differ only in blanks or comments compare equal; "" when
// it does not parse (or bash may read it otherwise).
func canonicalLine(s string) string {
	f, err := parseChecked(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return printNode(f)
}

// match checks a command's words. For allow rules (deny false) only static
// words can match; for deny and ask rules an unknown word yields maybe, and
// the command name is compared without regard to case (case-insensitive
// filesystems run RM as rm).
func (p *bashPattern) match(ws []word, deny bool) result {
	if len(ws) == 0 {
		return no
	}
	switch p.Kind {
	case rulespec.BashAll:
		return yes
	case rulespec.BashWildcard:
		return p.matchWildcard(ws, deny)
	case rulespec.BashLine:
		return no // matched against the whole command line only
	case rulespec.BashContains:
		if !deny {
			return no
		}
		return p.matchContains(ws)
	}
	for i, rw := range p.Words {
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
		if !deny && p.WordRes != nil && p.WordRes[i] != nil {
			eq = p.WordRes[i].MatchString(w.text)
		}
		if i == 0 && deny {
			eq = strings.EqualFold(w.text, rw)
		}
		if !eq {
			return no
		}
	}
	if p.Kind == rulespec.BashExact && len(ws) != len(p.Words) {
		if !deny {
			return no
		}
		// Extra words that may expand to nothing ($EMPTY) could leave
		// exactly the denied command.
		for _, w := range ws[len(p.Words):] {
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
	if p.Re.MatchString(line) {
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
		if strings.HasPrefix(p.Head, k) || strings.HasPrefix(k, p.Head) {
			return maybe
		}
	}
	return no
}

// namesMoreThanCommand: see [rulespec.Bash.NamesMoreThanCommand].
func (p *bashPattern) namesMoreThanCommand() bool { return p.NamesMoreThanCommand() }

// assignsMatch reports whether an allow rule's NAME=value words are
// exactly the command's: Bash(NODE_ENV=test npm test:*) allows
// `NODE_ENV=test npm test`, not `npm test` nor `CI=1 NODE_ENV=test npm
// test`. A rule that names none leaves assignments to the checker (safe
// ones pass, others need a bare Bash rule).
func (p *bashPattern) assignsMatch(assigns []string) bool {
	if len(p.Assigns) == 0 {
		return true
	}
	a, b := slices.Clone(p.Assigns), slices.Clone(assigns)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// matchContains is a lenient deny or ask rule's test of one simple
// command: some part of the rule has its name fragments in the command's
// name (any case) and its other fragments in the command's arguments.
// Words known only at run time could hold a missing fragment: maybe.
func (p *bashPattern) matchContains(ws []word) result {
	best := no
	for _, part := range p.Parts {
		if r := matchPart(part, ws); r > best {
			best = r
		}
	}
	return best
}

func matchPart(part rulespec.Part, ws []word) result {
	got := yes
	name := ws[0]
	// A leading ~ expands to the home directory and keeps the rest of the
	// text, so the fragments it holds are known.
	if !name.lit() && !(name.tilde && !name.dynamic && !name.glob) {
		got = maybe
	} else {
		lower := strings.ToLower(name.text)
		for _, f := range part.Name {
			if !strings.Contains(lower, strings.ToLower(f)) {
				return no
			}
		}
	}
	texts := make([]string, 0, len(ws)-1)
	unknown := false
	for _, w := range ws[1:] {
		texts = append(texts, w.text)
		unknown = unknown || !w.lit()
	}
	args := strings.Join(texts, " ")
	for _, f := range part.Args {
		if !strings.Contains(args, f) {
			if unknown {
				return maybe
			}
			return no
		}
	}
	return got
}

// lineText is a command line with its ends trimmed and every run of
// blanks made one space, for a lenient deny or ask rule's text search.
func lineText(s string) string { return strings.Join(strings.Fields(s), " ") }
