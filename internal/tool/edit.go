package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

//go:embed edit.md
var editDescription string

// Edit replaces an exact string in a file the session has read.
type Edit struct{}

type editInput struct {
	FilePath   string  `json:"file_path"`
	OldString  *string `json:"old_string"`
	NewString  *string `json:"new_string"`
	ReplaceAll bool    `json:"replace_all,omitempty"`
}

func (Edit) Name() string        { return "Edit" }
func (Edit) Description() string { return editDescription }
func (Edit) ReadOnly() bool      { return false }
func (Edit) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "file_path": {"type": "string", "description": "Absolute path of the file to change"},
    "old_string": {"type": "string", "description": "The exact text to replace"},
    "new_string": {"type": "string", "description": "The text to put in its place (must differ from old_string)"},
    "replace_all": {"type": "boolean", "default": false, "description": "Replace every occurrence of old_string instead of exactly one"}
  },
  "required": ["file_path", "old_string", "new_string"],
  "additionalProperties": false
}`)
}

func (Edit) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in editInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if in.FilePath == "" || in.OldString == nil || in.NewString == nil {
		return errorf("file_path, old_string and new_string are required"), nil
	}
	return runEdits(ctx, s, in.FilePath, []editSpec{{*in.OldString, *in.NewString, in.ReplaceAll}})
}

// editSpec is one replacement of Edit or MultiEdit.
type editSpec struct {
	OldString  string `json:"old_string"`
	NewString  string `json:"new_string"`
	ReplaceAll bool   `json:"replace_all,omitempty"`
}

// runEdits applies edits in order to the file at path, all or nothing.
// An empty old_string in the first edit creates the file (or fills an
// empty one).
func runEdits(ctx context.Context, s *Session, filePath string, edits []editSpec) (Result, error) {
	if err := ctx.Err(); err != nil {
		return cancelled(""), err
	}
	path := s.abs(filePath)
	cur, exists, res, ok := s.loadForChange(path, "edit")
	if !ok {
		return res, nil
	}
	content := string(cur.data)
	isCRLF := crlf(cur.data)
	created := false
	replaced := 0
	for i, e := range edits {
		label := ""
		if len(edits) > 1 {
			label = fmt.Sprintf("edit %d of %d: ", i+1, len(edits))
		}
		if e.OldString == "" {
			if i > 0 || content != "" {
				return errorf("%sold_string is empty, which only creates a new file (or fills an empty one); %s has content. Give the text to replace, or use Write to replace the whole file.", label, path), nil
			}
			created = !exists
			content = e.NewString
			replaced++
			continue
		}
		if !exists && i == 0 {
			return notFound(path), nil
		}
		next, n, msg := applyEdit(content, e, isCRLF)
		if msg != "" {
			if len(edits) > 1 {
				msg += " No edit was applied."
			}
			return errorf("%s%s", label, strings.ReplaceAll(msg, "FILE", path)), nil
		}
		replaced += n
		content = next
	}
	if res, ok := s.commit(path, []byte(content)); !ok {
		return res, nil
	}
	verb := "Edited"
	if created {
		verb = "Created"
	}
	summary := fmt.Sprintf("%s %s", verb, path)
	if replaced > 1 {
		summary += fmt.Sprintf(" (%d replacements)", replaced)
	}
	d := diffFile(path, string(cur.data), content, created)
	return Result{
		Content: summary + ". The changed region now reads:\n" + snippet(content, d.Hunks),
		Display: d,
	}, nil
}

// applyEdit applies one replacement. In a CRLF file, the LFs of old_string
// and new_string count as CRLF. msg explains a refusal; FILE in it stands
// for the path.
func applyEdit(content string, e editSpec, isCRLF bool) (string, int, string) {
	if e.OldString == e.NewString {
		return "", 0, "old_string and new_string are identical, so there is nothing to change."
	}
	old, repl := e.OldString, e.NewString
	if isCRLF {
		old, repl = toCRLF(old), toCRLF(repl)
	}
	n := strings.Count(content, old)
	if n == 0 && isCRLF && strings.Count(content, e.OldString) > 0 {
		old, repl = e.OldString, e.NewString
		n = strings.Count(content, old)
	}
	switch {
	case n == 0:
		return "", 0, notFoundHint(content, e.OldString)
	case n > 1 && !e.ReplaceAll:
		return "", 0, fmt.Sprintf("old_string occurs %d times in FILE (at lines %s). Include more surrounding text to make it unique, or set replace_all to change every occurrence.",
			n, matchLines(content, old, 10))
	}
	return strings.Replace(content, old, repl, n), n, ""
}

// matchLines lists the line numbers where sub starts, at most max of them.
func matchLines(content, sub string, max int) string {
	var nums []string
	line, off := 1, 0
	for len(nums) < max {
		i := strings.Index(content[off:], sub)
		if i < 0 {
			break
		}
		line += strings.Count(content[off:off+i], "\n")
		nums = append(nums, fmt.Sprint(line))
		line += strings.Count(sub, "\n")
		off += i + len(sub)
	}
	if strings.Count(content[off:], sub) > 0 {
		nums = append(nums, "…")
	}
	return strings.Join(nums, ", ")
}

var lineNumberPrefix = lazyre.New(`(?m)^ *\d+\t`)

// notFoundHint explains why old_string is not in content, pointing at a
// line that matches except for whitespace when there is one.
func notFoundHint(content, old string) string {
	msg := "old_string was not found in FILE. It must match the file exactly, including whitespace and indentation."
	if lineNumberPrefix().MatchString(old) {
		return msg + " It seems to include line-number prefixes from Read's output: leave out the number and the tab."
	}
	first := ""
	for _, l := range strings.Split(old, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			first = t
			break
		}
	}
	if first != "" {
		for i, l := range strings.Split(content, "\n") {
			if strings.TrimSpace(l) == first || (len(first) > 20 && strings.Contains(squash(l), squash(first))) {
				return fmt.Sprintf("%s Line %d has similar text with different whitespace: %q. Read the file again if it may have changed.", msg, i+1, strings.TrimRight(l, "\r"))
			}
		}
	}
	return msg + " Read the file again if it may have changed."
}

// squash removes all whitespace from s.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// snippet shows the new side of the first few hunks in Read's numbered
// format, so the model sees the result without reading the file again.
func snippet(content string, hunks []Hunk) string {
	const maxShown = 3
	lines := splitLines(content)
	var b strings.Builder
	for i, h := range hunks {
		if i == maxShown {
			fmt.Fprintf(&b, "(and %d more changed regions)\n", len(hunks)-maxShown)
			break
		}
		if i > 0 {
			b.WriteString("…\n")
		}
		from := max(h.NewStart, 1)
		if h.NewLines == 0 {
			from = max(h.NewStart-1, 1) // a pure deletion: show where it was
		}
		for l := from; l < h.NewStart+max(h.NewLines, 1) && l <= len(lines); l++ {
			fmt.Fprintf(&b, "%6d\t%s\n", l, cutLine(lines[l-1], readMaxLineLen))
		}
	}
	if b.Len() == 0 {
		if len(lines) == 0 {
			return "(the file is now empty)\n"
		}
		return "(no line changed)\n"
	}
	return b.String()
}
