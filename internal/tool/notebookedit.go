package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/media"
)

//go:embed notebookedit.md
var notebookEditDescription string

// NotebookEdit replaces, inserts or deletes one cell of a Jupyter
// notebook the session has read. Its input is Claude Code's (recorded in
// testdata/claude-code/notebookedit-schema.json).
type NotebookEdit struct{}

type notebookEditInput struct {
	NotebookPath string  `json:"notebook_path"`
	CellID       string  `json:"cell_id,omitempty"`
	NewSource    *string `json:"new_source"`
	CellType     string  `json:"cell_type,omitempty"`
	EditMode     string  `json:"edit_mode,omitempty"`
}

func (NotebookEdit) Name() string        { return "NotebookEdit" }
func (NotebookEdit) Description() string { return notebookEditDescription }
func (NotebookEdit) ReadOnly() bool      { return false }
func (NotebookEdit) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "notebook_path": {"type": "string", "description": "Absolute path of the .ipynb notebook to change"},
    "cell_id": {"type": "string", "description": "Id of the cell to replace or delete; for insert, the cell after which the new one goes (first when left out)"},
    "new_source": {"type": "string", "description": "The cell's new source (empty for delete)"},
    "cell_type": {"type": "string", "enum": ["code", "markdown"], "description": "Type of the cell; required for insert, optional for replace (keeps the current type)"},
    "edit_mode": {"type": "string", "enum": ["replace", "insert", "delete"], "description": "replace (default), insert or delete"}
  },
  "required": ["notebook_path", "new_source"],
  "additionalProperties": false
}`)
}

func (NotebookEdit) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in notebookEditInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return cancelled(""), err
	}
	if in.NotebookPath == "" {
		return errorf("notebook_path is required"), nil
	}
	if in.NewSource == nil {
		if in.EditMode != media.EditDelete {
			return errorf("new_source is required (an empty string for delete)"), nil
		}
		in.NewSource = new(string)
	}
	path := s.abs(in.NotebookPath)
	if !strings.EqualFold(filepath.Ext(path), ".ipynb") {
		return errorf("%s is not a Jupyter notebook (.ipynb). Use Edit for other files.", path), nil
	}
	cur, exists, res, ok := s.loadForChange(path, "edit")
	if !ok {
		return res, nil
	}
	if !exists {
		return errorf("%s does not exist. NotebookEdit changes existing notebooks; create one with Write.", path), nil
	}
	nb, err := media.ParseNotebook(cur.data)
	if err != nil {
		return errorf("%s is not a valid Jupyter notebook: %v", path, err), nil
	}
	var oldSource string
	for _, c := range nb.Cells() {
		if c.ID == in.CellID {
			oldSource = c.Source
		}
	}
	r, err := nb.Edit(in.EditMode, in.CellID, *in.NewSource, in.CellType)
	if err != nil {
		return errorf("%s: %v", path, err), nil
	}
	out, err := nb.Marshal()
	if err != nil {
		return Result{}, fmt.Errorf("notebook %s: %w", path, err)
	}
	// The same write as Edit and Write: atomic, mode kept, record updated.
	if res, ok := s.commit(path, out); !ok {
		return res, nil
	}
	var msg string
	var diff *FileDiff
	switch in.EditMode {
	case media.EditInsert:
		msg = fmt.Sprintf("Inserted cell %s with %s", r.CellID, *in.NewSource)
		diff = diffFile(path, "", *in.NewSource, false)
	case media.EditDelete:
		msg = fmt.Sprintf("Deleted cell %s", r.CellID)
		diff = diffFile(path, oldSource, "", false)
	default:
		msg = fmt.Sprintf("Updated cell %s with %s", r.CellID, *in.NewSource)
		diff = diffFile(path, oldSource, *in.NewSource, false)
	}
	return Result{Content: msg, Display: diff}, nil
}
