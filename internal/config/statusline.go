package config

import (
	"encoding/json"
	"fmt"
)

// StatusLine is Claude Code's statusLine setting: a command whose first
// line of output is shown under the input, run with the session's state
// as JSON on stdin. It runs a command, so a project file's is risky
// (trust.go) and applies only in a trusted folder.
type StatusLine struct {
	Command string
	// Padding is Claude Code's horizontal padding, in columns.
	Padding int
}

// statusLine reads {"type": "command", "command": "...", "padding": N}.
// Another type, or no command, is a warning and the setting is left out.
func (p *settingsParser) statusLine(s *Settings, m member) error {
	var v struct {
		Type    string          `json:"type"`
		Command string          `json:"command"`
		Padding json.RawMessage `json:"padding"`
	}
	if err := json.Unmarshal(m.raw, &v); err != nil {
		return p.errAt(m.offset, m.path, `want {"type": "command", "command": "..."}, got `+describe(m.raw))
	}
	if v.Type != "command" || v.Command == "" {
		return p.errAt(m.offset, m.path, fmt.Sprintf(`want {"type": "command", "command": "..."}: type %q, command %q`, v.Type, v.Command))
	}
	sl := &StatusLine{Command: v.Command}
	if len(v.Padding) > 0 {
		if err := json.Unmarshal(v.Padding, &sl.Padding); err != nil || sl.Padding < 0 {
			return p.errAt(m.offset, m.path+".padding", "want a whole number of columns ≥ 0, got "+describe(v.Padding))
		}
	}
	s.StatusLine = sl
	return nil
}

func (c *Config) resolveStatusLine() {
	v, src, ok := c.fileValue(func(s *Settings) any {
		if s.StatusLine != nil {
			return *s.StatusLine
		}
		return nil
	}, "statusLine")
	if !ok {
		c.StatusLine = defaultValue[*StatusLine](nil)
		return
	}
	sl := v.(StatusLine)
	c.StatusLine = Value[*StatusLine]{Value: &sl, Source: src, Set: true}
}
