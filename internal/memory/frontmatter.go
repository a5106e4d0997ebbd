package memory

import (
	"fmt"
	"os"
	"strings"

	"github.com/basalt-dev/basalt/internal/tool"
)

// splitFrontMatter separates a leading `---` block from the text. The
// block's lines come back without the fences; body is what follows.
// A file that does not open with `---` has no front matter.
func splitFrontMatter(text string) (fm []string, body string, fmLines int, err error) {
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t\r") != "---" {
		return nil, text, 0, nil
	}
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\r") == "---" {
			return lines[1:i], strings.Join(lines[i+1:], "\n"), i + 1, nil
		}
	}
	return nil, text, 0, fmt.Errorf("1:1: the front matter opened with --- is never closed")
}

// rulePaths reads a rule file's `paths:` globs. Claude Code's forms are
// accepted: a block list (`- "src/**/*.ts"`), an inline list
// (`["a", "b"]`) or one string; `globs:` is an older spelling of the same.
// Other keys (description, ...) are ignored.
func rulePaths(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fm, _, _, err := splitFrontMatter(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	globs, err := parsePaths(fm)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return globs, nil
}

// parsePaths finds the paths key among front matter lines (numbered from
// 2, the line after the opening fence) and checks every glob compiles.
func parsePaths(fm []string) ([]string, error) {
	var out []string
	for i := 0; i < len(fm); i++ {
		line := strings.TrimRight(fm[i], " \t\r")
		key, value, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			continue
		}
		key = strings.TrimSpace(key)
		if key != "paths" && key != "globs" {
			continue
		}
		value = stripComment(strings.TrimSpace(value))
		lineNo := i + 2
		switch {
		case value == "":
			// A block list: the indented `- item` lines that follow.
			for i+1 < len(fm) {
				next := strings.TrimSpace(fm[i+1])
				if next == "" || strings.HasPrefix(next, "#") {
					i++
					continue
				}
				item, isItem := strings.CutPrefix(next, "-")
				if !isItem {
					break
				}
				i++
				g, err := unquote(stripComment(strings.TrimSpace(item)), i+2)
				if err != nil {
					return nil, err
				}
				out = append(out, g)
			}
		case strings.HasPrefix(value, "["):
			if !strings.HasSuffix(value, "]") {
				return nil, fmt.Errorf("%d:%d: the list of %s is not closed with ]", lineNo, len(key)+2+len(value), key)
			}
			for _, item := range strings.Split(value[1:len(value)-1], ",") {
				if strings.TrimSpace(item) == "" {
					continue
				}
				g, err := unquote(strings.TrimSpace(item), lineNo)
				if err != nil {
					return nil, err
				}
				out = append(out, g)
			}
		default:
			// One string; Claude Code also splits it at commas.
			g, err := unquote(value, lineNo)
			if err != nil {
				return nil, err
			}
			for _, part := range strings.Split(g, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
		for _, g := range out {
			if _, err := tool.MatchGlob(g); err != nil {
				return nil, fmt.Errorf("%d:1: %s: %v", lineNo, key, err)
			}
		}
		return out, nil
	}
	return nil, nil
}

// stripComment removes a YAML comment: a # after a space, outside quotes.
func stripComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

func unquote(s string, line int) (string, error) {
	if len(s) > 0 && (s[0] == '"' || s[0] == '\'') {
		if len(s) < 2 || s[len(s)-1] != s[0] {
			return "", fmt.Errorf("%d:1: %s: the quote is not closed", line, s)
		}
		return s[1 : len(s)-1], nil
	}
	return s, nil
}
