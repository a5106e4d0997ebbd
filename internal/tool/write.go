package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed write.md
var writeDescription string

// Write creates a file or replaces one the session has read.
type Write struct{}

type writeInput struct {
	FilePath string  `json:"file_path"`
	Content  *string `json:"content"`
}

func (Write) Name() string        { return "Write" }
func (Write) Description() string { return writeDescription }
func (Write) ReadOnly() bool      { return false }
func (Write) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "file_path": {"type": "string", "description": "Absolute path of the file to write"},
    "content": {"type": "string", "description": "The complete new content of the file"}
  },
  "required": ["file_path", "content"],
  "additionalProperties": false
}`)
}

func (Write) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in writeInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if in.FilePath == "" {
		return errorf("file_path is required"), nil
	}
	if in.Content == nil {
		return errorf("content is required (an empty string writes an empty file)"), nil
	}
	if err := ctx.Err(); err != nil {
		return cancelled(""), err
	}
	path := s.abs(in.FilePath)
	cur, exists, res, ok := s.loadForChange(path, "write")
	if !ok {
		return res, nil
	}
	content := *in.Content
	old := string(cur.data)
	if exists && crlf(cur.data) && !strings.Contains(content, "\r\n") {
		// The model writes LF; the file keeps the line endings it had.
		content = toCRLF(content)
	}
	if exists && content == old {
		return Result{Content: fmt.Sprintf("%s already has this content; nothing was written.", path)}, nil
	}
	if res, ok := s.commit(path, []byte(content)); !ok {
		return res, nil
	}
	lines := strings.Count(content, "\n")
	if content != "" && !strings.HasSuffix(content, "\n") {
		lines++
	}
	verb := "Created"
	if exists {
		verb = "Wrote"
	}
	return Result{
		Content: fmt.Sprintf("%s %s (%d lines, %d bytes).", verb, path, lines, len(content)),
		Display: diffFile(path, old, content, !exists),
	}, nil
}
