package headless

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/model"
)

// apiModelID is the Anthropic API ID of the model sent as id (a Bedrock
// inference profile or foundation-model ID): Claude Code reports that as
// message.model. An unknown model keeps id.
func apiModelID(id string) string {
	for _, m := range model.Catalog() {
		if m.FoundationID != "" && (id == m.FoundationID || strings.HasSuffix(id, "."+m.FoundationID)) {
			return m.APIID
		}
	}
	return id
}

// assistantLines prints a model reply as Claude Code does: one assistant
// line per content block, each carrying the whole message (same id) with
// that block alone, so a consumer sees each block as it is complete.
func (p *Printer) assistantLines(raw json.RawMessage) {
	var msg map[string]json.RawMessage
	var blocks []json.RawMessage
	if json.Unmarshal(raw, &msg) != nil || json.Unmarshal(msg["content"], &blocks) != nil {
		// Not an object with content: print it as it came rather than lose it.
		p.line(p.envelope("assistant", raw))
		return
	}
	if _, ok := msg["model"]; ok && p.apiModel != "" {
		msg["model"], _ = json.Marshal(p.apiModel)
	}
	for _, b := range blocks {
		one := make(map[string]json.RawMessage, len(msg))
		for k, v := range msg {
			one[k] = v
		}
		one["content"] = json.RawMessage("[" + string(b) + "]")
		p.line(p.envelope("assistant", orderedMessage(one)))
	}
	if len(blocks) == 0 {
		p.line(p.envelope("assistant", orderedMessage(msg)))
	}
}

// userLine prints tool results. A result made of text blocks alone has
// its content as one string, as Claude Code prints it (and CI steps read
// it, e.g. jq '.message.content[0].content'); images keep the array.
func (p *Printer) userLine(raw json.RawMessage) {
	var msg struct {
		Role    string            `json:"role"`
		Content []json.RawMessage `json:"content"`
	}
	if json.Unmarshal(raw, &msg) != nil {
		p.line(p.envelope("user", raw))
		return
	}
	for i, c := range msg.Content {
		var block map[string]json.RawMessage
		if json.Unmarshal(c, &block) != nil {
			continue
		}
		if text, ok := textOnly(block["content"]); ok {
			block["content"], _ = marshal(text)
			msg.Content[i], _ = marshal(block)
		}
	}
	b, _ := marshal(msg)
	line := p.envelope("user", b)
	line.Timestamp = timestamp()
	p.line(line)
}

// textOnly joins content made of text blocks; ok is false for anything
// else (an image, a string already, nothing).
func textOnly(content json.RawMessage) (string, bool) {
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(content, &blocks) != nil || len(blocks) == 0 {
		return "", false
	}
	var sb strings.Builder
	for _, b := range blocks {
		if b.Type != "text" {
			return "", false
		}
		sb.WriteString(b.Text)
	}
	return sb.String(), true
}

// streamEventLine is one raw event of the model's stream, as Claude Code
// prints it with --include-partial-messages.
type streamEventLine struct {
	Type            string          `json:"type"`
	Event           json.RawMessage `json:"event"`
	SessionID       string          `json:"session_id"`
	ParentToolUseID *string         `json:"parent_tool_use_id"`
	UUID            string          `json:"uuid"`
	TTFTMS          *int64          `json:"ttft_ms,omitempty"`
}

// streamEvent prints one raw stream event; message_start carries the
// time to first token as Claude Code's does.
func (p *Printer) streamEvent(raw json.RawMessage) {
	line := streamEventLine{Type: "stream_event", Event: raw, SessionID: p.sessionID, UUID: newUUID()}
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &head) == nil && head.Type == "message_start" && !p.asked.IsZero() {
		ms := now().Sub(p.asked).Milliseconds()
		line.TTFTMS = &ms
	}
	p.line(line)
}

// messageLine is an assistant or user line of stream-json.
type messageLine struct {
	Type            string          `json:"type"`
	Message         json.RawMessage `json:"message"`
	ParentToolUseID *string         `json:"parent_tool_use_id"` // null: basalt has no subagents yet
	SessionID       string          `json:"session_id"`
	UUID            string          `json:"uuid"`
	Timestamp       string          `json:"timestamp,omitempty"`
}

func (p *Printer) envelope(kind string, msg json.RawMessage) messageLine {
	return messageLine{Type: kind, Message: msg, SessionID: p.sessionID, UUID: newUUID()}
}

// messageKeys is the order of an Anthropic message's fields; others
// follow in alphabetical order.
var messageKeys = []string{"id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"}

// orderedMessage encodes msg with the API's field order, which people
// reading the stream expect.
func orderedMessage(msg map[string]json.RawMessage) json.RawMessage {
	var sb strings.Builder
	sb.WriteByte('{')
	n := 0
	write := func(k string, v json.RawMessage) {
		if n > 0 {
			sb.WriteByte(',')
		}
		kb, _ := marshal(k)
		sb.Write(kb)
		sb.WriteByte(':')
		sb.Write(v)
		n++
	}
	seen := map[string]bool{}
	for _, k := range messageKeys {
		if v, ok := msg[k]; ok {
			write(k, v)
			seen[k] = true
		}
	}
	rest := make([]string, 0, len(msg))
	for k := range msg {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		write(k, msg[k])
	}
	sb.WriteByte('}')
	return json.RawMessage(sb.String())
}
