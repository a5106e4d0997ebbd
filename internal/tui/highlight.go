package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// A small syntax highlighter for code blocks: keywords, strings, numbers
// and comments of the languages an agent writes most. It is a lexer of a
// few lines per language instead of chroma's hundreds of grammars, which
// were compiled at every start of basalt whether a code block was shown
// or not; what it does not know it leaves plain.

type syntaxStyles struct {
	keyword, str, comment, number lipgloss.Style
}

// language is what the highlighter knows of one language.
type language struct {
	keywords     string // space-separated
	lineComment  []string
	blockComment [2]string
	quotes       string // characters that open a string
}

func languageOf(name string) (language, bool) {
	c := language{lineComment: []string{"//"}, blockComment: [2]string{"/*", "*/"}, quotes: `"'`}
	switch name {
	case "go", "golang":
		c.keywords = "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false iota"
		c.quotes = "\"'`"
	case "js", "javascript", "jsx", "ts", "typescript", "tsx", "mjs":
		c.keywords = "async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof interface let new null of return static super switch this throw true try type typeof undefined var void while yield"
		c.quotes = "\"'`"
	case "rust", "rs":
		c.keywords = "as async await break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while"
		c.quotes = `"`
	case "java", "kotlin", "kt", "c", "h", "cpp", "c++", "cc", "hpp", "cs", "csharp", "swift", "scala":
		c.keywords = "abstract auto bool break case catch char class const continue default do double else enum extends false final float for fun func if implements import int interface let long namespace new null nullptr package private protected public return short static struct switch this throw true try typedef unsigned using val var void while"
	case "python", "py":
		c.keywords = "and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield"
		c.lineComment, c.blockComment = []string{"#"}, [2]string{}
	case "ruby", "rb":
		c.keywords = "begin class def do else elsif end ensure false for if in module nil not or rescue return self then true unless until when while yield"
		c.lineComment, c.blockComment = []string{"#"}, [2]string{}
	case "sh", "bash", "zsh", "shell", "console":
		c.keywords = "case do done elif else esac export fi for function if in local return then until while"
		c.lineComment, c.blockComment = []string{"#"}, [2]string{}
	case "yaml", "yml", "toml", "ini", "dockerfile":
		c.keywords = "true false null yes no"
		c.lineComment, c.blockComment = []string{"#"}, [2]string{}
	case "json", "jsonc":
		c.keywords = "true false null"
	case "sql":
		c.keywords = "select from where and or not insert into values update set delete create table index join left right inner outer on group by order having limit as null is in primary key"
		c.lineComment = []string{"--"}
	default:
		return language{}, false
	}
	return c, true
}

// highlighter colours a code block line by line; it carries a block
// comment over from one line to the next.
type highlighter struct {
	lang      string
	st        syntaxStyles
	def       *language
	known     bool
	loaded    bool
	inComment bool
	keywords  map[string]bool
}

func (h *highlighter) line(s string) string {
	if !h.loaded {
		h.loaded = true
		if l, ok := languageOf(h.lang); ok {
			h.def, h.known = &l, true
			h.keywords = map[string]bool{}
			for _, k := range strings.Fields(l.keywords) {
				h.keywords[k] = true
				if h.lang == "sql" {
					h.keywords[strings.ToUpper(k)] = true
				}
			}
		}
	}
	if !h.known || s == "" {
		return s
	}
	l := h.def
	var b strings.Builder
	i := 0
	for i < len(s) {
		if h.inComment {
			end := strings.Index(s[i:], l.blockComment[1])
			if end < 0 {
				b.WriteString(h.st.comment.Render(s[i:]))
				return b.String()
			}
			end += i + len(l.blockComment[1])
			b.WriteString(h.st.comment.Render(s[i:end]))
			h.inComment, i = false, end
			continue
		}
		rest := s[i:]
		if l.blockComment[0] != "" && strings.HasPrefix(rest, l.blockComment[0]) {
			h.inComment = true
			b.WriteString(h.st.comment.Render(l.blockComment[0]))
			i += len(l.blockComment[0])
			continue
		}
		if lineComment(rest, l.lineComment) {
			b.WriteString(h.st.comment.Render(rest))
			return b.String()
		}
		c := s[i]
		switch {
		case strings.IndexByte(l.quotes, c) >= 0:
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			j = min(j+1, len(s))
			b.WriteString(h.st.str.Render(s[i:j]))
			i = j
		case isDigit(c) && (i == 0 || !isWord(s[i-1])):
			j := i
			for j < len(s) && (isWord(s[j]) || s[j] == '.') {
				j++
			}
			b.WriteString(h.st.number.Render(s[i:j]))
			i = j
		case isWord(c):
			j := i
			for j < len(s) && isWord(s[j]) {
				j++
			}
			if w := s[i:j]; h.keywords[w] {
				b.WriteString(h.st.keyword.Render(w))
			} else {
				b.WriteString(w)
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func lineComment(s string, markers []string) bool {
	for _, m := range markers {
		if strings.HasPrefix(s, m) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWord(c byte) bool {
	return c == '_' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}
