package emulator

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// block is one content block of the assistant's reply.
type block struct {
	Type      string // "text", "thinking" or "tool_use"
	Text      string // text, or thinking
	Signature string // thinking
	ID, Name  string // tool_use
	Input     json.RawMessage
	// Partial is the prefix of Input that fitted in max_tokens; a streamed
	// reply sends only it, so the client sees a cut tool call as a real
	// model produces one.
	Partial   string
	truncated bool
}

func (b block) MarshalJSON() ([]byte, error) {
	switch b.Type {
	case "thinking":
		return json.Marshal(struct {
			Type      string `json:"type"`
			Thinking  string `json:"thinking"`
			Signature string `json:"signature"`
		}{b.Type, b.Text, b.Signature})
	case "tool_use":
		input := b.Input
		if b.truncated {
			// A message can only carry a complete input.
			input = json.RawMessage("{}")
		}
		return json.Marshal(struct {
			Type  string          `json:"type"`
			ID    string          `json:"id"`
			Name  string          `json:"name"`
			Input json.RawMessage `json:"input"`
		}{b.Type, b.ID, b.Name, input})
	default:
		return json.Marshal(struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}{b.Type, b.Text})
	}
}

// tokens is the block's output-token estimate: ⌈bytes/4⌉ of its JSON,
// the same rule as input (DESIGN.md §7).
func (b block) tokens() int {
	j, _ := json.Marshal(b)
	return estimateTokens(j)
}

// reply is the scripted model's answer to one request.
type reply struct {
	Blocks       []block
	StopReason   string
	StopSequence string // set when StopReason is stop_sequence
	OutputTokens int
	// GuardrailAction is INTERVENED or NONE when a guardrail was applied.
	GuardrailAction string
	Trace           json.RawMessage // amazon-bedrock-trace, when asked for
}

// buildReply renders turn as the model's output for req: thinking only
// when the request enables it, stop sequences applied, then max_tokens.
func buildReply(turn Turn, req *invokeRequest, ids idSource) reply {
	var blocks []block
	if turn.Thinking != "" && req.Thinking.enabled() {
		blocks = append(blocks, block{Type: "thinking", Text: turn.Thinking, Signature: ids.signature()})
	}
	if turn.Text != "" {
		blocks = append(blocks, block{Type: "text", Text: turn.Text})
	}
	for _, u := range turn.ToolUse {
		blocks = append(blocks, block{Type: "tool_use", ID: ids.toolUseID(), Name: u.Name, Input: u.Input})
	}
	r := reply{Blocks: blocks}
	applyStopSequences(&r, req.StopSequences)
	applyMaxTokens(&r, req.MaxTokens)
	return r
}

// applyStopSequences ends the reply at the first stop sequence in a text
// block, as a model stops generating there.
func applyStopSequences(r *reply, seqs []string) {
	for i, b := range r.Blocks {
		if b.Type != "text" {
			continue
		}
		at, seq := -1, ""
		for _, s := range seqs {
			if s == "" {
				continue
			}
			if j := strings.Index(b.Text, s); j >= 0 && (at < 0 || j < at) {
				at, seq = j, s
			}
		}
		if at < 0 {
			continue
		}
		r.Blocks[i].Text = b.Text[:at]
		r.Blocks = r.Blocks[:i+1]
		if at == 0 {
			r.Blocks = r.Blocks[:i]
		}
		r.StopReason, r.StopSequence = "stop_sequence", seq
		return
	}
}

// applyMaxTokens cuts the reply where its output estimate passes maxTokens
// and sets the stop reason and the output count. A cut reply reports
// exactly maxTokens, as a model that ran out does.
func applyMaxTokens(r *reply, maxTokens int) {
	total := 0
	for i, b := range r.Blocks {
		t := b.tokens()
		if total+t <= maxTokens {
			total += t
			continue
		}
		if budget := maxTokens - total; budget > 0 {
			r.Blocks[i] = truncate(b, budget)
			r.Blocks = r.Blocks[:i+1]
		} else {
			r.Blocks = r.Blocks[:i]
		}
		r.StopReason, r.StopSequence = "max_tokens", ""
		r.OutputTokens = maxTokens
		return
	}
	r.OutputTokens = total
	if r.StopReason != "" {
		return
	}
	r.StopReason = "end_turn"
	for _, b := range r.Blocks {
		if b.Type == "tool_use" {
			r.StopReason = "tool_use"
		}
	}
}

// truncate keeps the longest prefix of b whose estimate fits in budget
// tokens, and at least one character so that a cut reply is never blank.
func truncate(b block, budget int) block {
	switch b.Type {
	case "tool_use":
		b.truncated = true
		empty := b
		empty.Input = json.RawMessage("{}")
		overhead := len(mustJSON(empty)) - 2
		n := max(budget*4-overhead, 0)
		b.Partial = prefixRunes(string(b.Input), n)
		return b
	default:
		fits := func(s string) bool {
			c := b
			c.Text = s
			return c.tokens() <= budget
		}
		// Binary search over rune boundaries.
		idx := runeStarts(b.Text)
		lo, hi := 0, len(idx)-1 // idx[lo] fits (the empty prefix is index 0)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if fits(b.Text[:idx[mid]]) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		if lo == 0 && len(idx) > 1 {
			lo = 1
		}
		b.Text = b.Text[:idx[lo]]
		return b
	}
}

// runeStarts lists the byte offsets of every rune boundary of s, 0 and
// len(s) included.
func runeStarts(s string) []int {
	idx := make([]int, 0, len(s)+1)
	for i := range s {
		idx = append(idx, i)
	}
	return append(idx, len(s))
}

// prefixRunes is the longest prefix of s of at most n bytes that ends on a
// rune boundary.
func prefixRunes(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called on values built here, which always marshal
	}
	return b
}

// messageJSON is an Anthropic Message as Bedrock returns it, with the
// guardrail fields Bedrock adds at the top level (reference §12).
type messageJSON struct {
	ID              string          `json:"id"`
	Type            string          `json:"type"`
	Role            string          `json:"role"`
	Model           string          `json:"model"`
	Content         []block         `json:"content"`
	StopReason      *string         `json:"stop_reason"`
	StopSequence    *string         `json:"stop_sequence"`
	Usage           usageJSON       `json:"usage"`
	GuardrailAction string          `json:"amazon-bedrock-guardrailAction,omitempty"`
	Trace           json.RawMessage `json:"amazon-bedrock-trace,omitempty"`
}

type usageJSON struct {
	InputTokens              int               `json:"input_tokens"`
	CacheCreationInputTokens int               `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int               `json:"cache_read_input_tokens"`
	CacheCreation            cacheCreationJSON `json:"cache_creation"`
	OutputTokens             int               `json:"output_tokens"`
}

type cacheCreationJSON struct {
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
}

func usageOf(u cacheUsage, output int) usageJSON {
	return usageJSON{
		InputTokens:              u.InputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens,
		CacheReadInputTokens:     u.CacheReadInputTokens,
		CacheCreation:            cacheCreationJSON{u.Ephemeral5mInputTokens, u.Ephemeral1hInputTokens},
		OutputTokens:             output,
	}
}

// message is the complete response message of a reply.
func (s *Server) message(p *profile, r reply, u cacheUsage) messageJSON {
	m := messageJSON{
		ID:              s.ids.messageID(),
		Type:            "message",
		Role:            "assistant",
		Model:           p.Model.APIName,
		Content:         r.Blocks,
		StopReason:      &r.StopReason,
		Usage:           usageOf(u, r.OutputTokens),
		GuardrailAction: r.GuardrailAction,
		Trace:           r.Trace,
	}
	if m.Content == nil {
		m.Content = []block{}
	}
	if r.StopSequence != "" {
		m.StopSequence = &r.StopSequence
	}
	return m
}
