package tool

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Tool is one built-in tool. Implementations are stateless values: all
// per-conversation state lives in the [Session] passed to Run.
type Tool interface {
	// Name is the name the model calls the tool by (e.g. "Read").
	Name() string
	// Description is the text sent to the model, from the tool's embedded
	// Markdown file.
	Description() string
	// InputSchema is the JSON Schema of the input, as sent in the API's
	// tools[].input_schema.
	InputSchema() json.RawMessage
	// ReadOnly reports whether the tool only observes. Read-only tools may
	// run in parallel on the same Session; the others must run one at a time.
	ReadOnly() bool
	// Run executes one call. A problem the model can fix (bad input, file
	// not read yet, ambiguous edit, command failed) is a Result with
	// IsError set and a nil error. A non-nil error means the harness failed
	// and ends the turn. When ctx is cancelled, Run returns a Result that
	// says so (with any partial output) together with ctx.Err(), so the
	// caller can both record the tool result and stop.
	Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error)
}

// Result is the outcome of one tool call.
type Result struct {
	// Content is what the model sees.
	Content string
	// IsError marks a problem the model can fix; it becomes the API's
	// tool_result.is_error.
	IsError bool
	// Display is optional structured data for the UI: *FileDiff for Write,
	// Edit and MultiEdit, *BashDisplay for Bash, []Todo for TodoWrite.
	Display any
}

// All returns the built-in tools in a stable order.
func All() []Tool {
	return []Tool{
		Bash{}, BashOutput{}, KillBash{},
		Glob{}, Grep{}, LS{},
		ExitPlanMode{},
		Read{}, Edit{}, MultiEdit{}, Write{}, NotebookEdit{},
		TodoWrite{},
	}
}

// ByName returns the built-in tool called name.
func ByName(name string) (Tool, bool) {
	for _, t := range All() {
		if t.Name() == name {
			return t, true
		}
	}
	return nil, false
}

// errorf builds an error result for the model.
func errorf(format string, args ...any) Result {
	return Result{Content: fmt.Sprintf(format, args...), IsError: true}
}

// decodeInput unmarshals the model's input into v. Unknown fields are
// refused so a misspelt field name is reported instead of silently ignored.
// The returned Result is the error to hand back when ok is false.
func decodeInput(input json.RawMessage, v any) (Result, bool) {
	if len(bytes.TrimSpace(input)) == 0 {
		input = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errorf("invalid input: %s", describeJSONError(err)), false
	}
	return Result{}, true
}

func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("field %q must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return fmt.Sprintf("input must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "unknown field " + f
	}
	return strings.TrimPrefix(msg, "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "bool":
		return "a boolean"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return goKind
}

// cancelled builds the result returned with ctx.Err() when a call is
// interrupted.
func cancelled(partial string) Result {
	msg := "interrupted by the user"
	if partial != "" {
		msg = partial + "\n" + msg
	}
	return Result{Content: msg, IsError: true}
}
