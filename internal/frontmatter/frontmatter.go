package frontmatter

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// Warning is a problem in one file that did not stop it from loading.
type Warning struct {
	Path string
	Line int // 1-based line in the file; 0 when unknown
	Col  int // 1-based column; 0 when unknown
	Msg  string
}

func (w Warning) Error() string {
	switch {
	case w.Line > 0 && w.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", w.Path, w.Line, w.Col, w.Msg)
	case w.Line > 0:
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Msg)
	}
	return fmt.Sprintf("%s: %s", w.Path, w.Msg)
}

// field is one key of the header.
type field struct {
	raw   string   // the value as written on its line(s), for display
	value string   // a scalar's value; a list's items joined by ", "
	items []string // a list's items; nil for a scalar
	list  bool
	line  int // 1-based line of the key in the file
	col   int
}

// Doc is a parsed header. The zero Doc has no fields.
type Doc struct {
	// Path names the file in warnings.
	Path   string
	fields map[string]field
	keys   []string // in file order
}

// Parse splits data into its header and body. A file without a header
// is all body. Problems are warnings: Parse always returns what it could
// read. BodyLine is the 1-based line of the file the body starts on.
func Parse(path string, data []byte) (doc Doc, body string, bodyLine int, warns []Warning) {
	doc = Doc{Path: path, fields: map[string]field{}}
	if !utf8.Valid(data) {
		warns = append(warns, Warning{Path: path, Msg: "not valid UTF-8; invalid bytes are replaced"})
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.SplitAfter(text, "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t\n") != "---" {
		return doc, text, 1, nil
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\n") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		warns = append(warns, Warning{Path: path, Line: 1, Col: 1, Msg: `front matter opened with "---" is never closed; the whole file is read as the body`})
		return doc, text, 1, warns
	}
	header := strings.Join(lines[1:end], "")
	// Claude Code drops the blank lines between the header and the body
	// (observed with 2.1.197: "---\n\nBODY" sends "BODY").
	start := end + 1
	for start < len(lines) && strings.TrimSpace(lines[start]) == "" && strings.HasSuffix(lines[start], "\n") {
		start++
	}
	body = strings.Join(lines[start:], "")
	bodyLine = start + 1
	if w, ok := doc.parseYAML(header); !ok {
		warns = append(warns, w)
		doc.parseLines(header)
	}
	return doc, body, bodyLine, warns
}

// parseYAML reads the header as a YAML mapping. On failure it returns the
// warning to report and leaves doc empty.
func (d *Doc) parseYAML(header string) (Warning, bool) {
	if strings.TrimSpace(header) == "" {
		return Warning{}, true
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(header), &root); err != nil {
		w := d.yamlWarning(err)
		if l := firstBadLine(header); l > 0 {
			w.Line, w.Col = l+1, 0
		}
		return w, false
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return Warning{Path: d.Path, Line: 2, Msg: "front matter is not a YAML mapping; read line by line"}, false
	}
	m := root.Content[0]
	if m.Kind == yaml.ScalarNode && m.Value == "" {
		return Warning{}, true
	}
	if m.Kind != yaml.MappingNode {
		return Warning{Path: d.Path, Line: m.Line + 1, Col: m.Column, Msg: "front matter is not a YAML mapping of key: value; read line by line"}, false
	}
	hlines := strings.Split(header, "\n")
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		f := field{line: k.Line + 1, col: k.Column}
		switch v.Kind {
		case yaml.ScalarNode:
			f.value, f.raw = v.Value, v.Value
		case yaml.SequenceNode:
			f.list = true
			for _, it := range v.Content {
				if it.Kind == yaml.ScalarNode {
					f.items = append(f.items, it.Value)
				}
			}
			f.value = strings.Join(f.items, ", ")
			f.raw = rawAfterKey(hlines, k.Line)
		default:
			// A nested mapping (hooks:, metadata:) is kept as written; the
			// keys basalt reads are scalars or lists.
			f.raw = rawAfterKey(hlines, k.Line)
			f.value = f.raw
		}
		d.set(k.Value, f)
	}
	return Warning{}, true
}

// firstBadLine returns the 1-based header line at which the header stops
// being valid YAML: the first line whose prefix fails to parse. The YAML
// parser's own line names where the enclosing block began, which is not
// where the author has to look. 0 when not found (or the header is long).
func firstBadLine(header string) int {
	lines := strings.SplitAfter(header, "\n")
	if len(lines) > 200 {
		return 0
	}
	var n yaml.Node
	for i := 1; i <= len(lines); i++ {
		if yaml.Unmarshal([]byte(strings.Join(lines[:i], "")), &n) != nil {
			return i
		}
	}
	return 0
}

// rawAfterKey is the text after "key:" on the key's line (1-based within
// the header): the value as its author typed it, e.g. "[file] [line]".
func rawAfterKey(hlines []string, line int) string {
	if line < 1 || line > len(hlines) {
		return ""
	}
	_, after, _ := strings.Cut(hlines[line-1], ":")
	return strings.TrimSpace(after)
}

// parseLines is the fallback for front matter that is not valid YAML:
// each unindented `key: value` line is one field, its value taken as
// written, with one pair of matching quotes removed.
func (d *Doc) parseLines(header string) {
	d.fields = map[string]field{}
	d.keys = nil
	for i, line := range strings.Split(header, "\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		val = unquote(strings.TrimSpace(val))
		d.set(key, field{raw: val, value: val, line: i + 2, col: 1})
	}
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"') {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

func (d *Doc) set(key string, f field) {
	if _, dup := d.fields[key]; !dup {
		d.keys = append(d.keys, key)
	}
	d.fields[key] = f
}

func (d *Doc) yamlWarning(err error) Warning {
	w := Warning{Path: d.Path, Msg: "front matter is not valid YAML (" + strings.TrimPrefix(err.Error(), "yaml: ") + "); read line by line"}
	var pe *yaml.ParserError
	var te *yaml.TypeError
	switch {
	case errors.As(err, &pe) && pe.Line > 0:
		w.Line = pe.Line + 1
		w.Msg = "front matter is not valid YAML (" + pe.Message + "); read line by line"
	case errors.As(err, &te) && len(te.Errors) > 0:
		w.Line, w.Col = te.Errors[0].Line+1, te.Errors[0].Column
	}
	return w
}

// Keys returns the header's keys in file order.
func (d Doc) Keys() []string { return append([]string(nil), d.keys...) }

// Has reports whether the header sets key.
func (d Doc) Has(key string) bool { _, ok := d.fields[key]; return ok }

// Line returns the 1-based line of key in the file, 0 when absent.
func (d Doc) Line(key string) int { return d.fields[key].line }

// String returns key's value as its author wrote it: a scalar's value, or
// for a YAML list the text after the colon (so `argument-hint: [file]`
// reads "[file]", not "file").
func (d Doc) String(key string) string { return d.fields[key].raw }

// List returns key's items: a YAML list's items, or a scalar split on
// commas outside parentheses, or on blanks outside parentheses when it has
// no such comma ("Read, Grep", "Read Grep" and "Bash(git add:*), Read" all
// work). Empty items are dropped.
func (d Doc) List(key string) []string {
	f, ok := d.fields[key]
	if !ok {
		return nil
	}
	if f.list {
		var out []string
		for _, it := range f.items {
			if it = strings.TrimSpace(it); it != "" {
				out = append(out, it)
			}
		}
		return out
	}
	return SplitList(f.value)
}

// SplitList splits a one-line list the way [Doc.List] does.
func SplitList(s string) []string {
	sep := func(r rune) bool { return r == ',' }
	if !hasTopLevel(s, ',') {
		sep = func(r rune) bool { return r == ' ' || r == '\t' }
	}
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0 && sep(r):
			if it := strings.TrimSpace(s[start:i]); it != "" {
				out = append(out, it)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if it := strings.TrimSpace(s[start:]); it != "" {
		out = append(out, it)
	}
	return out
}

func hasTopLevel(s string, c rune) bool {
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0 && r == c:
			return true
		}
	}
	return false
}

// Bool returns key's value as a boolean: YAML's true/false, or the
// strings "true"/"false" in any case. A value that is neither gives a
// warning and def.
func (d Doc) Bool(key string, def bool) (bool, *Warning) {
	f, ok := d.fields[key]
	if !ok {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(f.value)) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off", "":
		return false, nil
	}
	return def, &Warning{Path: d.Path, Line: f.line, Col: f.col, Msg: fmt.Sprintf("%s: %q is not true or false; using %t", key, f.value, def)}
}
