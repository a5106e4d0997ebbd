package headless

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ControlRequest is a control message of Claude Code's SDK protocol on
// stdin: {"type":"control_request","request_id":...,"request":{"subtype":...}}.
// The Agent SDKs send "initialize" before the first user message and
// wait for its response, so a drop-in must answer it.
type ControlRequest struct {
	RequestID string
	Subtype   string
}

// controlResponse is the reply on stdout, in the shape Claude Code gives
// (measured with claude 2.1.197): the request_id inside "response".
type controlResponse struct {
	Type     string `json:"type"`
	Response struct {
		Subtype   string `json:"subtype"`
		RequestID string `json:"request_id"`
		Response  any    `json:"response,omitempty"`
		Error     string `json:"error,omitempty"`
	} `json:"response"`
}

// AnswerControl writes the response to req on w. "initialize" gets
// basalt's (empty) lists of slash commands, agents and models;
// "interrupt" succeeds, since between turns there is nothing to
// interrupt; any other subtype is refused as Claude Code refuses it, so
// that the SDK's caller sees what basalt does not do.
func AnswerControl(w io.Writer, req ControlRequest) error {
	var r controlResponse
	r.Type = "control_response"
	r.Response.RequestID = req.RequestID
	switch req.Subtype {
	case "initialize":
		r.Response.Subtype = "success"
		r.Response.Response = map[string]any{
			"commands": []any{}, "agents": []any{}, "models": []any{},
			"output_style": "default", "available_output_styles": []string{"default"},
			"pid": os.Getpid(),
		}
	case "interrupt":
		r.Response.Subtype = "success"
	default:
		r.Response.Subtype = "error"
		r.Response.Error = fmt.Sprintf("Unsupported control request subtype: %s", req.Subtype)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
