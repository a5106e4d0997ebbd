package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

//go:embed bashoutput.md
var bashOutputDescription string

// BashOutput reads the new output of a background command.
type BashOutput struct{}

type bashOutputInput struct {
	BashID string `json:"bash_id"`
	Filter string `json:"filter,omitempty"`
}

func (BashOutput) Name() string        { return "BashOutput" }
func (BashOutput) Description() string { return bashOutputDescription }
func (BashOutput) ReadOnly() bool      { return true }
func (BashOutput) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "bash_id": {"type": "string", "description": "ID of the background command, as returned by Bash"},
    "filter": {"type": "string", "description": "Regular expression: return only the output lines that match it (the others are discarded)"}
  },
  "required": ["bash_id"],
  "additionalProperties": false
}`)
}

func (BashOutput) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in bashOutputInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	sh, known := s.shell(in.BashID)
	if sh == nil {
		return unknownShell(in.BashID, known), nil
	}
	var filter *regexp.Regexp
	if in.Filter != "" {
		var err error
		if filter, err = regexp.Compile(in.Filter); err != nil {
			return errorf("invalid filter: %s", err), nil
		}
	}
	status := sh.status() // before taking output, so "exited" means all output is in
	final := !strings.HasPrefix(status, "running")
	out, dropped := sh.out.take(filter, final)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", sh.id, status)
	if dropped > 0 {
		fmt.Fprintf(&b, "[%d bytes of older output were dropped before they were read]\n", dropped)
	}
	switch {
	case out == "" && filter != nil:
		b.WriteString("(no new matching output)")
	case out == "":
		b.WriteString("(no new output)")
	default:
		b.WriteString(truncateMiddle(strings.TrimRight(out, "\n"), maxCommandOutput))
	}
	return Result{Content: b.String()}, nil
}

// unknownShell is the error result for an ID that names no background
// command.
func unknownShell(id string, known []string) Result {
	if len(known) == 0 {
		return errorf("no background command has ID %q: none has been started in this session", id)
	}
	return errorf("no background command has ID %q; the IDs are: %s", id, strings.Join(sortedCopy(known), ", "))
}
