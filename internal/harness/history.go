package harness

import (
	"encoding/json"
	"strings"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

// HistoryItem is one thing a resumed conversation showed: a prompt the
// user typed, an answer, a tool call with its result, or a notice.
type HistoryItem struct {
	Kind   HistoryKind
	Text   string          // the prompt, the answer or the notice
	Tool   *agent.ToolCall // HistoryTool
	Result *tool.Result    // HistoryTool: nil when the result never came
}

// HistoryKind says what a [HistoryItem] is.
type HistoryKind string

// The kinds of [HistoryItem].
const (
	HistoryPrompt HistoryKind = "prompt"
	HistoryAnswer HistoryKind = "answer"
	HistoryTool   HistoryKind = "tool"
	HistoryNotice HistoryKind = "notice"
)

// History is the conversation the session resumed (basalt -c, -r ID,
// /resume), in order, for the frontend to show before the first new turn;
// empty for a new conversation.
func (s *Session) History() []HistoryItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.history
}

// historyOf reads what a transcript showed the user. It walks the entries,
// not the messages sent next, so what a compaction summarised is still
// shown; the messages a compaction wrote again after itself (an assistant
// entry without usage, a user entry of tool results only) are not shown
// twice.
func historyOf(t *session.Transcript) []HistoryItem {
	var out []HistoryItem
	calls := map[string]int{} // tool_use ID → index in out
	rewritten := false        // inside the messages a compaction wrote again
	continued := false        // the next answer goes on from the last one, cut at max_tokens
	// What a rewind took back is not shown.
	for _, e := range t.Live() {
		switch e.Type {
		case session.TypeCompaction:
			out = append(out, HistoryItem{Kind: HistoryNotice, Text: "The conversation was compacted here: a summary replaced the messages above."})
			rewritten = true
			continue
		case session.TypeInterrupted:
			out = append(out, HistoryItem{Kind: HistoryNotice, Text: "Interrupted."})
		case session.TypeUser, session.TypeAssistant:
		default:
			continue
		}
		m := parseMessage(e.Message)
		if rewritten {
			if e.Type == session.TypeAssistant && e.Usage == nil || e.Type == session.TypeUser && m.prompt() == "" {
				for _, b := range m.Content {
					if b.Type == "tool_result" {
						if i, ok := calls[b.ToolUseID]; ok {
							out[i].Result = b.result()
						}
					}
				}
				continue
			}
			rewritten = false
		}
		if e.Continuation {
			// basalt's own request to go on after a cut answer: not a
			// prompt; the answer it asked for is shown as one with the
			// part before it, as it was shown live.
			continued = true
			continue
		}
		for _, b := range m.Content {
			switch {
			case b.Type == "text" && e.Type == session.TypeAssistant && strings.TrimSpace(b.Text) != "":
				if last := len(out) - 1; continued && last >= 0 && out[last].Kind == HistoryAnswer {
					out[last].Text += b.Text
					continued = false
					continue
				}
				out = append(out, HistoryItem{Kind: HistoryAnswer, Text: b.Text})
			case b.Type == "tool_use":
				calls[b.ID] = len(out)
				out = append(out, HistoryItem{Kind: HistoryTool, Tool: &agent.ToolCall{ID: b.ID, Name: b.Name, Input: b.Input}})
			case b.Type == "tool_result":
				if i, ok := calls[b.ToolUseID]; ok {
					out[i].Result = b.result()
				}
			}
		}
		if e.Type == session.TypeAssistant {
			continued = false
		}
		if e.Type == session.TypeUser {
			if p := m.prompt(); p != "" {
				out = append(out, HistoryItem{Kind: HistoryPrompt, Text: p})
			}
		}
	}
	return out
}

// storedMessage is the part of a stored MessageParam the history reads.
type storedMessage struct {
	Content []storedBlock
}

type storedBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	IsError   bool            `json:"is_error"`
	Content   json.RawMessage `json:"content"`
}

// parseMessage reads a stored message whose content is a string or blocks.
func parseMessage(raw json.RawMessage) storedMessage {
	var m struct {
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return storedMessage{}
	}
	var text string
	if json.Unmarshal(m.Content, &text) == nil {
		return storedMessage{Content: []storedBlock{{Type: "text", Text: text}}}
	}
	var out storedMessage
	_ = json.Unmarshal(m.Content, &out.Content)
	return out
}

// prompt is the text the user typed in a user message: its text blocks
// (tool results and the memory the agent adds are not prompts).
func (m storedMessage) prompt() string {
	var parts []string
	for _, b := range m.Content {
		if b.Type == "tool_result" {
			// The blocks after tool results (a PDF, the note on a scaled
			// image) came from a tool, not from the user.
			return ""
		}
	}
	for _, b := range m.Content {
		if b.Type == "text" && strings.TrimSpace(b.Text) != "" && !strings.HasPrefix(b.Text, "<system-reminder>") {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// result is a tool_result block as a tool result: its text.
func (b storedBlock) result() *tool.Result {
	var text string
	if json.Unmarshal(b.Content, &text) != nil {
		var blocks []storedBlock
		_ = json.Unmarshal(b.Content, &blocks)
		var parts []string
		for _, c := range blocks {
			switch c.Type {
			case "text":
				parts = append(parts, c.Text)
			case "image":
				parts = append(parts, "[image]")
			}
		}
		text = strings.Join(parts, "\n")
	}
	return &tool.Result{Content: text, IsError: b.IsError}
}
