package emulator

import (
	"encoding/json"
	"sync"
)

// Thinking blocks must come back exactly as they were given while a tool
// loop is open: with thinking on, the last assistant message, when the
// request goes on from its tool calls, must start with its thinking (or
// redacted_thinking) block, and a thinking block's signature must be one
// the model issued (Anthropic, extended thinking with tool use; Bedrock
// answers 400 otherwise). The emulator checks both, so that a client that
// drops or edits thinking fails here as it would on Bedrock.

// signatures remembers the signatures the emulator issued, and the tool
// calls it made without thinking first: those need no thinking block in
// front when they come back, since a reply without thinking (adaptive
// thinking may skip it, and the scripted model thinks only where the
// scenario says) leaves nothing for a client to keep. Any other call
// (issued after thinking, or never issued here) must have one.
type signatures struct {
	mu        sync.Mutex
	seen      map[string]bool
	unthought map[string]bool // tool_use IDs of replies without thinking
}

// issued records a reply's thinking signatures and, where it thought,
// its tool calls.
func (s *signatures) issued(blocks []block) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen, s.unthought = map[string]bool{}, map[string]bool{}
	}
	thinking := false
	for _, b := range blocks {
		switch b.Type {
		case "thinking":
			s.seen[b.Signature], thinking = true, true
		case "tool_use":
			if !thinking {
				s.unthought[b.ID] = true
			}
		}
	}
}

// needsThinking reports whether a tool call coming back must follow its
// thinking block.
func (s *signatures) needsThinking(toolUseID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.unthought[toolUseID]
}

func (s *signatures) known(sig string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[sig]
}

// checkThinkingHistory is the validation above; nil when the history is
// fine or thinking is off.
func (s *Server) checkThinkingHistory(req *invokeRequest) *apiError {
	if !req.Thinking.enabled() {
		return nil
	}
	type blk struct {
		Type      string `json:"type"`
		Signature string `json:"signature"`
		ID        string `json:"id"`
	}
	last := -1
	for i, m := range req.Messages {
		if m.Role == "assistant" {
			last = i
		}
		var blocks []blk
		if json.Unmarshal(m.Content, &blocks) != nil {
			continue
		}
		for j, b := range blocks {
			if b.Type == "thinking" && !s.sigs.known(b.Signature) {
				return errValidation("messages.%d.content.%d: Invalid `signature` in `thinking` block", i, j)
			}
		}
	}
	if last < 0 || last != len(req.Messages)-2 {
		return nil
	}
	var blocks []blk
	if json.Unmarshal(req.Messages[last].Content, &blocks) != nil || len(blocks) == 0 {
		return nil
	}
	calls := false
	for _, b := range blocks {
		calls = calls || (b.Type == "tool_use" && s.sigs.needsThinking(b.ID))
	}
	if calls && blocks[0].Type != "thinking" && blocks[0].Type != "redacted_thinking" {
		return errValidation("messages.%d.content.0.type: Expected `thinking` or `redacted_thinking`, but found `%s`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). To avoid this requirement, disable `thinking`.", last, blocks[0].Type)
	}
	return nil
}
