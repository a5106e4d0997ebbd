package session

import (
	"bytes"
	"encoding/json"
)

// UnfinishedToolResult is the result [Transcript.Messages] gives a tool
// call whose result never reached the transcript (basalt was killed while
// the tool ran). The model reads it on the next turn.
const UnfinishedToolResult = "This tool call did not complete: basalt stopped before its result was recorded. Its effects, if any, are unknown; check before relying on them."

// Messages returns the conversation to send on the next request, each
// message the bytes stored (do not modify them). The rules, in order:
//
//  1. Compaction. The last compaction entry replaces everything before
//     it by one user message: its Message if set, else
//     [SummaryMessage](Summary). The agent writes the messages it keeps
//     verbatim again after the compaction entry, as ordinary entries
//     without Usage; so the conversation is that message followed by
//     every message entry after it.
//  2. Message entries are user, assistant and interrupted entries with a
//     Message; notices and unknown types never are.
//  3. Guardrails. An assistant message marked Guardrail is left out with
//     the exchange that provoked it: the user message before it, and,
//     when that message carried tool results, the whole turn back to and
//     including the user's prompt, so no tool call is left without its
//     result. The compaction message is never removed.
//  4. A crash mid-turn. A trailing user message the model never answered
//     (killed while the reply streamed) is kept: the user asked it, and
//     the next request answers it along with whatever comes next
//     (consecutive user messages are one turn to the API). Tool calls
//     whose results were never written (killed while a tool ran) get a
//     user message of error results ([UnfinishedToolResult]) right after
//     their assistant message, so the conversation stays valid. That
//     message is not in the file; it is rebuilt with the same bytes on
//     every load, so the prompt cache still matches. An interrupted turn
//     needs none of this: the agent writes the results that close it.
//
// Use [Transcript.Unfinished] to tell the user that the last turn did not
// complete.
func (t *Transcript) Messages() []json.RawMessage {
	out, _ := t.conversation()
	return out
}

// Unfinished reports whether the last turn did not complete: the
// conversation ends with a user message the model has not answered, or
// with tool calls that have no results.
func (t *Transcript) Unfinished() bool {
	_, unfinished := t.conversation()
	return unfinished
}

// SummaryMessage is the user message a compaction entry without Message
// stands for: one text block carrying the summary. The agent sends these
// bytes (or stores the message it sent in the entry's Message).
func SummaryMessage(summary string) json.RawMessage {
	b, _ := json.Marshal(struct {
		Role    string      `json:"role"`
		Content []textBlock `json:"content"`
	}{"user", []textBlock{{"text", summary}}})
	return b
}

type textBlock struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// message is a stored message with what the rules need to know about it.
type message struct {
	raw       json.RawMessage
	role      string
	toolUses  []string // IDs of its tool_use blocks
	results   bool     // it carries tool_result blocks
	guardrail bool
	anchor    bool // the compaction message: never removed
}

func inspect(raw json.RawMessage) message {
	m := message{raw: raw}
	var shape struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(raw, &shape) != nil {
		return m
	}
	m.role = shape.Role
	content := bytes.TrimSpace(shape.Content)
	if len(content) == 0 || content[0] != '[' {
		return m // a string: text only
	}
	var blocks []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	}
	if json.Unmarshal(content, &blocks) != nil {
		return m
	}
	for _, b := range blocks {
		switch b.Type {
		case "tool_use":
			m.toolUses = append(m.toolUses, b.ID)
		case "tool_result":
			m.results = true
		}
	}
	return m
}

// Live returns the entries of the conversation as it stands: every entry
// in file order, except those a later rewind entry took back (the entries
// before the rewind whose Turn is the rewind's or later) and the rewind
// entries themselves. Meta entries always stay. Usage and cost still
// count every entry: a rewound exchange was paid for.
func (t *Transcript) Live() []Entry {
	out := make([]Entry, 0, len(t.Entries))
	for _, e := range t.Entries {
		if e.Type != TypeRewind {
			out = append(out, e)
			continue
		}
		if e.Turn < 1 {
			continue
		}
		kept := out[:0]
		for _, k := range out {
			if k.Type == TypeMeta || k.Turn < e.Turn {
				kept = append(kept, k)
			}
		}
		out = kept
	}
	return out
}

func (t *Transcript) conversation() ([]json.RawMessage, bool) {
	entries := t.Live()
	start := -1
	for i, e := range entries {
		if e.Type == TypeCompaction {
			start = i
		}
	}
	var msgs []message
	if start >= 0 {
		c := entries[start]
		raw := c.Message
		if len(raw) == 0 {
			raw = SummaryMessage(c.Summary)
		}
		m := inspect(raw)
		m.anchor = true
		msgs = append(msgs, m)
	}
	for _, e := range entries[start+1:] {
		switch e.Type {
		case TypeUser, TypeAssistant, TypeInterrupted:
		default:
			continue
		}
		if len(e.Message) == 0 {
			continue
		}
		m := inspect(e.Message)
		m.guardrail = e.Type == TypeAssistant && e.Guardrail
		if m.guardrail {
			msgs = dropExchange(msgs)
			continue
		}
		msgs = append(msgs, m)
	}

	var out []json.RawMessage
	unfinished := false
	for i, m := range msgs {
		out = append(out, m.raw)
		if m.role != "assistant" || len(m.toolUses) == 0 {
			continue
		}
		if i+1 < len(msgs) && msgs[i+1].role == "user" && msgs[i+1].results {
			continue
		}
		out = append(out, unfinishedResults(m.toolUses))
		if i == len(msgs)-1 {
			unfinished = true
		}
	}
	if n := len(msgs); n > 0 && msgs[n-1].role == "user" && !msgs[n-1].anchor {
		unfinished = true
	}
	return out, unfinished
}

// dropExchange removes the exchange a guardrail intervention answered
// from the end of msgs (rule 3 of [Transcript.Messages]): the user
// message before it and, when that carried tool results, everything back
// to and including the prompt of the turn.
func dropExchange(msgs []message) []message {
	n := len(msgs)
	if n == 0 || msgs[n-1].anchor || msgs[n-1].role != "user" {
		return msgs
	}
	for len(msgs) > 0 {
		last := msgs[len(msgs)-1]
		if last.anchor {
			break
		}
		msgs = msgs[:len(msgs)-1]
		if last.role == "user" && !last.results {
			break
		}
	}
	return msgs
}

// unfinishedResults closes tool calls whose results were never recorded.
// Marshalled from fixed data, so every load yields the same bytes.
func unfinishedResults(ids []string) json.RawMessage {
	type result struct {
		Type      string `json:"type"`
		ToolUseID string `json:"tool_use_id"`
		Content   string `json:"content"`
		IsError   bool   `json:"is_error"`
	}
	rs := make([]result, len(ids))
	for i, id := range ids {
		rs[i] = result{"tool_result", id, UnfinishedToolResult, true}
	}
	b, _ := json.Marshal(struct {
		Role    string   `json:"role"`
		Content []result `json:"content"`
	}{"user", rs})
	return b
}
