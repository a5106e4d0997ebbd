package headless

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
)

// Input formats of --input-format.
const (
	InputText       = "text"
	InputStreamJSON = "stream-json"
)

// InputFormats are the values of --input-format.
var InputFormats = []string{InputText, InputStreamJSON}

// maxInputLine bounds one stream-json line: a message with a few images
// fits; a runaway producer does not exhaust memory.
const maxInputLine = 32 << 20

// InputError is a stream-json line basalt cannot take as a user message.
// Line counts from 1, as an editor shows it.
type InputError struct {
	Line int
	Err  error
}

func (e *InputError) Error() string { return fmt.Sprintf("stdin line %d: %v", e.Line, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// InputReader reads the user messages Claude Code's SDK sends with
// --input-format stream-json: one JSON object a line,
// {"type":"user","message":{"role":"user","content":...}} where content
// is a string or an array of text, image and document blocks. Blank lines
// are skipped, so that a producer may end each message with an extra
// newline.
type InputReader struct {
	sc   *bufio.Scanner
	line int
}

// NewInputReader reads messages from r.
func NewInputReader(r io.Reader) *InputReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxInputLine)
	return &InputReader{sc: sc}
}

// Message is one input line: a user message's content blocks, or a
// control request of the SDK protocol (Control non-nil).
type Message struct {
	Blocks  []anthropic.ContentBlockParamUnion
	Control *ControlRequest
}

// Next returns the next message, or io.EOF when the input has ended.
// keep_alive lines are skipped. Other errors are *InputError.
func (r *InputReader) Next() (Message, error) {
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimSpace(r.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		m, skip, err := parseLine(b)
		if err != nil {
			return Message{}, &InputError{Line: r.line, Err: err}
		}
		if skip {
			continue
		}
		return m, nil
	}
	if err := r.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return Message{}, &InputError{Line: r.line + 1, Err: fmt.Errorf("longer than %d MiB", maxInputLine>>20)}
		}
		return Message{}, fmt.Errorf("read stdin: %w", err)
	}
	return Message{}, io.EOF
}

// userLine is the part of a stream-json input line basalt reads. Other
// fields Claude Code's SDK sends (session_id, parent_tool_use_id, uuid)
// are accepted and ignored: basalt's session is the process's.
type userLine struct {
	Type      string `json:"type"`
	RequestID string `json:"request_id"`
	Request   *struct {
		Subtype string `json:"subtype"`
	} `json:"request"`
	Message *struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"message"`
}

// acceptedBlocks are the content block types a user may send; tool
// results and the like belong to the agent's own bookkeeping.
var acceptedBlocks = []string{"text", "image", "document"}

// parseLine reads one line: a user message, a control request, or a
// keep_alive to skip.
func parseLine(b []byte) (m Message, skip bool, err error) {
	var l userLine
	if err := json.Unmarshal(b, &l); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return m, false, fmt.Errorf("column %d: not a JSON object: %s", se.Offset, se.Error())
		}
		return m, false, fmt.Errorf("not a user message: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	switch l.Type {
	case "keep_alive":
		return m, true, nil
	case "control_request":
		if l.RequestID == "" || l.Request == nil || l.Request.Subtype == "" {
			return m, false, errors.New(`control_request: want "request_id" and "request":{"subtype":...}`)
		}
		return Message{Control: &ControlRequest{RequestID: l.RequestID, Subtype: l.Request.Subtype}}, false, nil
	}
	m.Blocks, err = parseUser(l)
	return m, false, err
}

func parseUser(l userLine) ([]anthropic.ContentBlockParamUnion, error) {
	if l.Type != "user" {
		return nil, fmt.Errorf(`type %q: want "user" (one user message a line) or "control_request"`, l.Type)
	}
	if l.Message == nil {
		return nil, errors.New(`no "message": want {"type":"user","message":{"role":"user","content":"..."}}`)
	}
	if l.Message.Role != "user" {
		return nil, fmt.Errorf(`message.role %q: want "user"`, l.Message.Role)
	}
	c := bytes.TrimSpace(l.Message.Content)
	if len(c) == 0 || string(c) == "null" {
		return nil, errors.New(`no message.content: want a string or an array of content blocks`)
	}
	if c[0] == '"' {
		var s string
		if err := json.Unmarshal(c, &s); err != nil {
			return nil, fmt.Errorf("message.content: %w", err)
		}
		if strings.TrimSpace(s) == "" {
			return nil, errors.New("message.content is empty")
		}
		return []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(s)}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(c, &raws); err != nil {
		return nil, errors.New("message.content: want a string or an array of content blocks")
	}
	if len(raws) == 0 {
		return nil, errors.New("message.content is an empty array")
	}
	out := make([]anthropic.ContentBlockParamUnion, 0, len(raws))
	for i, raw := range raws {
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return nil, fmt.Errorf("message.content[%d]: not a content block object", i)
		}
		if !slices.Contains(acceptedBlocks, head.Type) {
			return nil, fmt.Errorf("message.content[%d]: block type %q: a user message may carry %s", i, head.Type, strings.Join(acceptedBlocks, ", "))
		}
		var blk anthropic.ContentBlockParamUnion
		if err := json.Unmarshal(raw, &blk); err != nil {
			return nil, fmt.Errorf("message.content[%d]: %v", i, err)
		}
		if head.Type == "text" && (blk.OfText == nil || strings.TrimSpace(blk.OfText.Text) == "") {
			return nil, fmt.Errorf("message.content[%d]: empty text block", i)
		}
		out = append(out, blk)
	}
	return out, nil
}
