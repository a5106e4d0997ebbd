package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Scenario scripts the emulator's model (DESIGN.md §7).
//
// A request that carries tools (and does not set tool_choice to none) is a
// main-model request: it gets turn k,
// where k is the number of assistant messages already in the request. A
// request past the last turn gets the last turn's text alone, without
// thinking or tool calls: a reply without tool calls ends an agent's loop,
// so a script that runs out ends the session instead of repeating its last
// tool call forever. Requests without tools (titles, summaries, other
// side calls to a small model) get SideReply.
type Scenario struct {
	Turns     []Turn `json:"turns"`
	SideReply string `json:"side_reply"`
	// Subagents script the conversations of subagents (subscenario.go).
	Subagents []SubScenario `json:"subagents,omitempty"`
}

// Turn is one scripted assistant reply. Its blocks come in the order a
// model produces them: thinking, text, then tool calls. Thinking is sent
// only when the request enables thinking, as a real model would.
type Turn struct {
	Text     string    `json:"text"`
	Thinking string    `json:"thinking"`
	ToolUse  []ToolUse `json:"tool_use"`
}

// ToolUse is one scripted tool call.
type ToolUse struct {
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

// defaultReply is the model's answer when no scenario, or no side reply,
// says otherwise.
const defaultReply = "Hello from the basalt Bedrock emulator."

var varPattern = lazyre.New(`\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}`)

// LoadScenario reads a scenario file and substitutes vars for {{NAME}} in
// every string of it. A JSON error names FILE:LINE:COL; so does a {{NAME}}
// that vars does not define.
func LoadScenario(path string, vars map[string]string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	sc, err := parseScenario(data, vars)
	if err != nil {
		return nil, fmt.Errorf("scenario %s%w", path, err)
	}
	return sc, nil
}

// parseScenario returns errors that begin with ":LINE:COL: " or ": " so
// that the caller can put the file name in front.
func parseScenario(data []byte, vars map[string]string) (*Scenario, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var sc Scenario
	if err := dec.Decode(&sc); err != nil {
		return nil, scenarioJSONError(data, dec, err)
	}
	if dec.More() {
		line, col := lineCol(data, dec.InputOffset())
		return nil, fmt.Errorf(":%d:%d: unexpected data after the scenario object", line, col)
	}
	for _, m := range varPattern().FindAllSubmatchIndex(data, -1) {
		name := string(data[m[2]:m[3]])
		if _, ok := vars[name]; !ok {
			line, col := lineCol(data, int64(m[0])+1) // lineCol points at the byte before the offset
			return nil, fmt.Errorf(":%d:%d: unknown variable {{%s}} (set it with --var %s=VALUE)", line, col, name, name)
		}
	}
	sub := func(s string) string {
		return varPattern().ReplaceAllStringFunc(s, func(v string) string { return vars[v[2:len(v)-2]] })
	}
	sc.SideReply = sub(sc.SideReply)
	for i := range sc.Turns {
		t := &sc.Turns[i]
		t.Text, t.Thinking = sub(t.Text), sub(t.Thinking)
		for j := range t.ToolUse {
			u := &t.ToolUse[j]
			where := fmt.Sprintf("turns[%d].tool_use[%d]", i, j)
			u.Name = sub(u.Name)
			if u.Name == "" {
				return nil, fmt.Errorf(": %s: name is empty", where)
			}
			if len(u.Input) == 0 || string(u.Input) == "null" {
				u.Input = json.RawMessage("{}")
			}
			var input any
			if err := json.Unmarshal(u.Input, &input); err != nil {
				return nil, fmt.Errorf(": %s: input: %w", where, err)
			}
			if _, ok := input.(map[string]any); !ok {
				return nil, fmt.Errorf(": %s: input must be a JSON object", where)
			}
			compact, err := json.Marshal(substituteAll(input, sub))
			if err != nil {
				return nil, fmt.Errorf(": %s: input: %w", where, err)
			}
			u.Input = compact
		}
		if t.Text == "" && t.Thinking == "" && len(t.ToolUse) == 0 {
			return nil, fmt.Errorf(": turns[%d]: empty turn (give it text, thinking or tool_use)", i)
		}
	}
	if err := sc.prepareSubagents(vars); err != nil {
		return nil, err
	}
	return &sc, nil
}

// substituteAll applies sub to every string, key and value, in a decoded
// JSON value.
func substituteAll(v any, sub func(string) string) any {
	switch v := v.(type) {
	case string:
		return sub(v)
	case []any:
		for i := range v {
			v[i] = substituteAll(v[i], sub)
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[sub(k)] = substituteAll(x, sub)
		}
		return out
	}
	return v
}

// scenarioJSONError places a decoding error in the file.
func scenarioJSONError(data []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := dec.InputOffset()
	switch {
	case errors.Is(err, io.EOF):
		return errors.New(": empty file")
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data)) + 1
	default:
		if o, ok := unknownFieldOffset(data, err); ok {
			off = o
		}
	}
	line, col := lineCol(data, off)
	return fmt.Errorf(":%d:%d: %s", line, col, strings.TrimPrefix(err.Error(), "json: "))
}

// pick chooses the turn that answers req.
func (sc *Scenario) pick(req *invokeRequest) Turn {
	if sc == nil {
		return Turn{Text: defaultReply}
	}
	// A request that may not call tools (tool_choice none: a summary, a
	// title) is a side call, whatever tools it lists for the cache's sake.
	if len(req.Tools) == 0 || req.ToolChoice.Type == "none" {
		if sc.SideReply == "" {
			return Turn{Text: defaultReply}
		}
		return Turn{Text: sc.SideReply}
	}
	if t, ok := sc.pickSubagent(req); ok {
		return t
	}
	if len(sc.Turns) == 0 {
		return Turn{Text: defaultReply}
	}
	k, said := sc.scriptPosition(req)
	if k < len(sc.Turns) {
		t := sc.Turns[k]
		if said > 0 { // continuing an answer cut at max_tokens (continuation.go)
			t.Text, t.Thinking = t.Text[said:], ""
		}
		return t
	}
	last := sc.Turns[len(sc.Turns)-1].Text
	if last == "" {
		last = defaultReply
	}
	return Turn{Text: last}
}
