package headless

import (
	"encoding/json"
	"io"
	"os"

	"github.com/basalt-dev/basalt/internal/harness"
)

// AnswerControlWith is AnswerControl for a session: "initialize" lists
// the session's custom commands and skills and its output styles, in the
// shape Claude Code answers the Agent SDKs with ({name, description,
// argumentHint}). Other requests are AnswerControl's.
func AnswerControlWith(w io.Writer, req ControlRequest, in harness.Info) error {
	if req.Subtype != "initialize" {
		return AnswerControl(w, req)
	}
	type commandJSON struct {
		Name         string `json:"name"`
		Description  string `json:"description"`
		ArgumentHint string `json:"argumentHint"`
	}
	commands := []commandJSON{}
	for _, c := range in.Commands {
		commands = append(commands, commandJSON{Name: c.Name, Description: c.Description, ArgumentHint: c.ArgumentHint})
	}
	styles := []string{}
	for _, st := range in.OutputStyles {
		styles = append(styles, st.Name)
	}
	if len(styles) == 0 {
		styles = append(styles, "default")
	}
	style := in.OutputStyle
	if style == "" {
		style = "default"
	}
	var r controlResponse
	r.Type = "control_response"
	r.Response.RequestID = req.RequestID
	r.Response.Subtype = "success"
	r.Response.Response = map[string]any{
		"commands": commands, "agents": []any{}, "models": []any{},
		"output_style": style, "available_output_styles": styles,
		"pid": os.Getpid(),
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
