package rulespec

import (
	"strings"
)

// Part is one simple command of a rule basalt cannot compile, reduced to
// the literal text it must contain: the fragments of its command name
// (which the command's name must contain) and of its other words (which
// its arguments must contain, in any order). Text that is not fixed
// ($X, $(…), globs, quotes) splits fragments and is left out, so a part
// needs less than the rule says, never more.
type Part struct {
	Name []string
	Args []string
}

// Lenient reads a Bash specifier basalt cannot compile (already
// [Unescape]d). For an allow rule only Line counts: the command line the
// rule spells (without a trailing :* or " *"), matched exactly. For a
// deny or ask rule, a command is refused when it contains Line, or when
// any of its simple commands contains every fragment of one of Parts: a
// command the rule's text could match always does, so the rule never
// refuses less than it says.
func Lenient(spec string) *Bash {
	line := strings.TrimSpace(spec)
	line = strings.TrimSpace(strings.TrimSuffix(line, ":*"))
	if strings.HasSuffix(line, " *") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "*"))
	}
	if line == "*" {
		line = ""
	}
	return &Bash{Kind: BashContains, Line: line, Parts: lenientParts(line)}
}

// keywords start compound commands; the command is the word after them.
var keywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"while": true, "until": true, "for": true, "case": true, "esac": true, "select": true,
	"function": true, "{": true, "}": true, "!": true, "time": true, "[[": true, "]]": true, "coproc": true, "in": true,
}

// lenientParts splits text into simple commands at every shell operator,
// without needing it to parse: quotes may be unbalanced, here-document
// bodies become parts of their own (which only widens the rule).
func lenientParts(text string) []Part {
	var (
		parts            []Part
		words            [][]string // fragments of each word of the current part
		frags            []string   // fragments of the current word
		frag             strings.Builder
		inWord, skipNext bool
		quote            byte // ' or " while inside quotes
	)
	endFrag := func() {
		if t := strings.TrimSpace(frag.String()); t != "" {
			frags = append(frags, t)
		}
		frag.Reset()
	}
	endWord := func() {
		endFrag()
		if inWord {
			if skipNext {
				skipNext = false // a redirection's target is not a word of the command
			} else {
				words = append(words, frags)
			}
		}
		frags, inWord = nil, false
	}
	endPart := func() {
		endWord()
		skipNext = false
		// Keywords and leading assignments are not the command.
		for len(words) > 0 && len(words[0]) == 1 && (keywords[words[0][0]] || isAssignment(words[0][0])) {
			words = words[1:]
		}
		if len(words) > 0 {
			p := Part{Name: words[0]}
			for _, w := range words[1:] {
				p.Args = append(p.Args, w...)
			}
			if len(p.Name) > 0 || len(p.Args) > 0 {
				parts = append(parts, p)
			}
		}
		words = nil
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch quote {
		case '\'':
			if c == '\'' {
				quote = 0
				continue
			}
			frag.WriteByte(c)
			continue
		case '"':
			switch c {
			case '"':
				quote = 0
			case '\\':
				if i+1 < len(text) && strings.IndexByte("$`\"\\", text[i+1]) >= 0 {
					i++
					frag.WriteByte(text[i])
				} else {
					frag.WriteByte(c)
				}
			case '$', '`':
				endFrag()
				if c == '$' && i+1 < len(text) && text[i+1] == '(' {
					i = skipParens(text, i+1)
				} else {
					i = skipExpansion(text, i)
				}
			default:
				frag.WriteByte(c)
			}
			continue
		}
		switch c {
		case ' ', '\t':
			endWord()
		case '\n', ';', '&', '|', '(', ')', '`':
			endPart()
		case '<', '>':
			if len(frags) == 0 && isDigits(frag.String()) {
				frag.Reset() // 2>&1: a file descriptor, not a word
				inWord = false
			}
			endWord()
			for i+1 < len(text) && strings.IndexByte("<>&|-", text[i+1]) >= 0 {
				i++
			}
			skipNext = true
		case '\'', '"':
			quote, inWord = c, true
		case '\\':
			inWord = true
			if i+1 < len(text) {
				i++
				if text[i] != '\n' {
					frag.WriteByte(text[i])
				}
			}
		case '$':
			inWord = true
			endFrag()
			if i+1 < len(text) && text[i+1] == '(' {
				endPart() // $( starts a command of its own
				i++
				continue
			}
			i = skipExpansion(text, i)
		case '*', '?', '[', ']', '{', '}':
			inWord = true
			endFrag()
		default:
			inWord = true
			frag.WriteByte(c)
		}
	}
	endPart()
	return parts
}

// skipExpansion returns the index of the last byte of the expansion that
// starts at text[i] ($name, ${…}, $?, `…`), so that its text, which is
// not fixed, is left out.
func skipExpansion(text string, i int) int {
	if text[i] == '`' {
		if j := strings.IndexByte(text[i+1:], '`'); j >= 0 {
			return i + 1 + j
		}
		return len(text) - 1
	}
	if i+1 >= len(text) {
		return i
	}
	switch n := text[i+1]; {
	case n == '{':
		if j := strings.IndexByte(text[i+2:], '}'); j >= 0 {
			return i + 2 + j
		}
		return len(text) - 1
	case n == '_' || n >= 'A' && n <= 'Z' || n >= 'a' && n <= 'z':
		j := i + 1
		for j+1 < len(text) && (text[j+1] == '_' || text[j+1] >= 'A' && text[j+1] <= 'Z' || text[j+1] >= 'a' && text[j+1] <= 'z' || text[j+1] >= '0' && text[j+1] <= '9') {
			j++
		}
		return j
	case strings.IndexByte("?!#$*@-0123456789", n) >= 0:
		return i + 1
	}
	return i
}

// skipParens returns the index of the ) that closes the ( at text[i], or
// the end of text.
func skipParens(text string, i int) int {
	depth := 0
	for ; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(text) - 1
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	return ok && identRE().MatchString(name)
}
