package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/tool"
)

// maxPreviewBytes bounds the file a permission prompt reads to show a
// change in place; a larger one is shown from the call's input alone.
const maxPreviewBytes = 4 << 20

// previewDiff is the change an Edit, MultiEdit or Write call would make,
// computed against the file as it is now: the file's own line numbers and
// a few unchanged lines around each change, as the result will show. It
// reads the file, so it runs where the question is put (the agent's
// goroutine), never in Update. nil when the call is not a file change or
// the change cannot be placed (the file is missing, old_string is not
// found): the prompt then shows the call's input.
func previewDiff(call *agent.ToolCall, workDir string) *tool.FileDiff {
	var in struct {
		FilePath   string `json:"file_path"`
		OldString  string `json:"old_string"`
		NewString  string `json:"new_string"`
		ReplaceAll bool   `json:"replace_all"`
		Content    string `json:"content"`
		Edits      []struct {
			OldString  string `json:"old_string"`
			NewString  string `json:"new_string"`
			ReplaceAll bool   `json:"replace_all"`
		} `json:"edits"`
	}
	if json.Unmarshal(call.Input, &in) != nil || in.FilePath == "" {
		return nil
	}
	path := in.FilePath
	if !filepath.IsAbs(path) && workDir != "" {
		path = filepath.Join(workDir, path)
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxPreviewBytes {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	old := string(data)
	replace := func(s, o, n string, all bool) (string, bool) {
		if o == "" || !strings.Contains(s, o) {
			return s, false
		}
		if all {
			return strings.ReplaceAll(s, o, n), true
		}
		return strings.Replace(s, o, n, 1), true
	}
	updated := old
	switch call.Name {
	case "Edit":
		var ok bool
		if updated, ok = replace(old, in.OldString, in.NewString, in.ReplaceAll); !ok {
			return nil
		}
	case "MultiEdit":
		for _, e := range in.Edits {
			var ok bool
			if updated, ok = replace(updated, e.OldString, e.NewString, e.ReplaceAll); !ok {
				return nil
			}
		}
	case "Write":
		updated = in.Content
	default:
		return nil
	}
	return tool.DiffText(in.FilePath, old, updated)
}
