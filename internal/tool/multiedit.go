package tool

import (
	"context"
	_ "embed"
	"encoding/json"
)

//go:embed multiedit.md
var multiEditDescription string

// MultiEdit applies several Edit replacements to one file, all or nothing.
type MultiEdit struct{}

type multiEditInput struct {
	FilePath string     `json:"file_path"`
	Edits    []editSpec `json:"edits"`
}

func (MultiEdit) Name() string        { return "MultiEdit" }
func (MultiEdit) Description() string { return multiEditDescription }
func (MultiEdit) ReadOnly() bool      { return false }
func (MultiEdit) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "file_path": {"type": "string", "description": "Absolute path of the file to change"},
    "edits": {
      "type": "array",
      "minItems": 1,
      "description": "Replacements applied in order, each to the result of the previous ones",
      "items": {
        "type": "object",
        "properties": {
          "old_string": {"type": "string", "description": "The exact text to replace"},
          "new_string": {"type": "string", "description": "The text to put in its place"},
          "replace_all": {"type": "boolean", "default": false, "description": "Replace every occurrence instead of exactly one"}
        },
        "required": ["old_string", "new_string"],
        "additionalProperties": false
      }
    }
  },
  "required": ["file_path", "edits"],
  "additionalProperties": false
}`)
}

func (MultiEdit) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in multiEditInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if in.FilePath == "" {
		return errorf("file_path is required"), nil
	}
	if len(in.Edits) == 0 {
		return errorf("edits is empty: give at least one {old_string, new_string}"), nil
	}
	return runEdits(ctx, s, in.FilePath, in.Edits)
}
