package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

//go:embed killbash.md
var killBashDescription string

// KillBash stops a background command and its children.
type KillBash struct{}

type killBashInput struct {
	ShellID string `json:"shell_id"`
}

func (KillBash) Name() string        { return "KillBash" }
func (KillBash) Description() string { return killBashDescription }
func (KillBash) ReadOnly() bool      { return false }
func (KillBash) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "shell_id": {"type": "string", "description": "ID of the background command to stop, as returned by Bash"}
  },
  "required": ["shell_id"],
  "additionalProperties": false
}`)
}

func (KillBash) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in killBashInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	sh, known := s.shell(in.ShellID)
	if sh == nil {
		return unknownShell(in.ShellID, known), nil
	}
	if st := sh.status(); !strings.HasPrefix(st, "running") {
		return Result{Content: fmt.Sprintf("%s had already ended (%s); nothing to stop.", sh.id, st)}, nil
	}
	sh.kill()
	return Result{Content: fmt.Sprintf("Stopped %s (%s).", sh.id, firstLine(sh.command))}, nil
}

func firstLine(s string) string {
	line, _, cut := strings.Cut(s, "\n")
	if cut {
		line += " …"
	}
	return cutLine(line, 80)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.SortFunc(c, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b) // bash_2 before bash_10
		}
		return strings.Compare(a, b)
	})
	return c
}
