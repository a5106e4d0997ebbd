package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SubScenario scripts the requests of a subagent (a second agent loop of
// the same client, with its own conversation): a request whose first
// user message contains Match gets these turns, counted in its own
// conversation, instead of the scenario's. Several subagents running at
// once each get their own script by their prompts.
type SubScenario struct {
	Match string `json:"match"`
	Turns []Turn `json:"turns"`
}

// prepareSubagents validates and substitutes the subagents' turns as the
// scenario's own.
func (sc *Scenario) prepareSubagents(vars map[string]string) error {
	for i := range sc.Subagents {
		sub := &sc.Subagents[i]
		if strings.TrimSpace(sub.Match) == "" {
			return fmt.Errorf(": subagents[%d]: match is empty", i)
		}
		data, err := json.Marshal(Scenario{Turns: sub.Turns})
		if err != nil {
			return fmt.Errorf(": subagents[%d]: %w", i, err)
		}
		parsed, err := parseScenario(data, vars)
		if err != nil {
			return fmt.Errorf(": subagents[%d]%w", i, err)
		}
		sub.Turns = parsed.Turns
		sub.Match = varPattern().ReplaceAllStringFunc(sub.Match, func(v string) string { return vars[v[2:len(v)-2]] })
	}
	return nil
}

// pickSubagent is the turn of a subagent's request, when one matches.
func (sc *Scenario) pickSubagent(req *invokeRequest) (Turn, bool) {
	if len(sc.Subagents) == 0 {
		return Turn{}, false
	}
	first := firstUserText(req)
	for _, sub := range sc.Subagents {
		if !strings.Contains(first, sub.Match) {
			continue
		}
		inner := &Scenario{Turns: sub.Turns}
		return inner.pick(req), true
	}
	return Turn{}, false
}

// firstUserText is the text of the request's first user message.
func firstUserText(req *invokeRequest) string {
	for _, m := range req.Messages {
		if m.Role != "user" {
			continue
		}
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			return s
		}
		var blocks []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		_ = json.Unmarshal(m.Content, &blocks)
		var b strings.Builder
		for _, bl := range blocks {
			if bl.Type == "text" {
				b.WriteString(bl.Text)
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	return ""
}
