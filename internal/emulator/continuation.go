package emulator

import (
	"encoding/json"
	"strings"
)

// A real model asked to go on after its answer was cut at max_tokens
// continues that answer; it does not start its next one. The scripted
// model does the same: an assistant message whose text is a strict prefix
// of what its turn had still to say, and that calls no tool, was cut, and
// the next request continues the same turn with the rest of the text
// (and the turn's tool calls) instead of moving on to the next turn.

// scriptPosition is the turn that answers req and how many bytes of that
// turn's text earlier (cut) assistant messages already said.
func (sc *Scenario) scriptPosition(req *invokeRequest) (turn, said int) {
	for _, m := range req.Messages {
		if m.Role != "assistant" {
			continue
		}
		text, calls := assistantText(m.Content)
		if turn < len(sc.Turns) && !calls && text != "" {
			rest := sc.Turns[turn].Text[said:]
			if len(text) < len(rest) && strings.HasPrefix(rest, text) {
				said += len(text)
				continue
			}
		}
		turn, said = turn+1, 0
	}
	return turn, said
}

// assistantText joins the text blocks of an assistant message's content
// and says whether it calls a tool.
func assistantText(content json.RawMessage) (text string, calls bool) {
	var s string
	if json.Unmarshal(content, &s) == nil {
		return s, false
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(content, &blocks) != nil {
		return "", false
	}
	var sb strings.Builder
	for _, b := range blocks {
		switch b.Type {
		case "text":
			sb.WriteString(b.Text)
		case "tool_use":
			calls = true
		}
	}
	return sb.String(), calls
}
