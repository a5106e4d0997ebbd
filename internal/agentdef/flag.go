package agentdef

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// flagAgent is one entry of --agents, Claude Code's shape:
// {"name": {"description": …, "prompt": …, "tools": […], "model": …}}.
// Other keys Claude Code knows (mcpServers, skills, maxTurns, …) are
// accepted and not used.
type flagAgent struct {
	Description     *string  `json:"description"`
	Prompt          *string  `json:"prompt"`
	Tools           []string `json:"tools"`
	DisallowedTools []string `json:"disallowedTools"`
	Model           string   `json:"model"`
}

// ParseFlag reads the JSON of --agents. Any problem is an error naming
// where in the text it is and what to write instead; nothing is half
// loaded.
func ParseFlag(text string) ([]Definition, error) {
	data := []byte(text)
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, jsonError(data, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := lineCol(data, dec.InputOffset())
		return nil, fmt.Errorf("--agents:%d:%d: unexpected data after the object", line, col)
	}
	if raw == nil {
		return nil, errors.New(`--agents: want an object of agents, e.g. {"reviewer":{"description":"Reviews code","prompt":"You review code."}}`)
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Definition
	for _, name := range names {
		var fa flagAgent
		if err := json.Unmarshal(raw[name], &fa); err != nil {
			return nil, fmt.Errorf("--agents: agent %q: %s", name, describe(err))
		}
		switch {
		case strings.TrimSpace(name) == "":
			return nil, errors.New("--agents: an agent has an empty name")
		case fa.Description == nil || strings.TrimSpace(*fa.Description) == "":
			return nil, fmt.Errorf("--agents: agent %q has no description (the model picks agents by it)", name)
		case fa.Prompt == nil || strings.TrimSpace(*fa.Prompt) == "":
			return nil, fmt.Errorf("--agents: agent %q has no prompt (its system prompt)", name)
		}
		d := Definition{Name: name, Description: strings.TrimSpace(*fa.Description), Prompt: strings.TrimSpace(*fa.Prompt), Model: strings.TrimSpace(fa.Model), Source: SourceFlag}
		if fa.Tools != nil {
			d.Tools, _ = normalizeTools(fa.Tools)
		}
		if fa.DisallowedTools != nil {
			d.Exclude, _ = normalizeTools(fa.DisallowedTools)
		}
		out = append(out, d)
	}
	return out, nil
}

func jsonError(data []byte, off int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.EOF):
		return errors.New("--agents: empty; want a JSON object of agents")
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data)) + 1
	}
	line, col := lineCol(data, off)
	return fmt.Errorf("--agents:%d:%d: %s", line, col, describe(err))
}

func describe(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s must be %s, not %s", te.Field, kind(te.Type.String()), te.Value)
		}
		return fmt.Sprintf("want %s, not %s", kind(te.Type.String()), te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func kind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list of strings"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "agentdef."):
		return "an object"
	}
	return "a string"
}

// lineCol is the 1-based line and column of the byte before off.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 1), int64(len(data))+1)
	line, col := 1, 1
	for _, b := range data[:off-1] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
