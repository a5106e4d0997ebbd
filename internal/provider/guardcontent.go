package provider

import (
	"crypto/rand"
	"encoding/json"
	"slices"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
)

// GuardContent says which parts of a request a Bedrock guardrail's input
// filters evaluate. A guardrail's Prompt-Attack filter looks only at input
// wrapped in input tags (AWS, "Apply tags to user input to filter
// content"): <amazon-bedrock-guardrails-guardContent_SUFFIX>…</…> around
// the text, and {"amazon-bedrock-guardrailConfig":{"tagSuffix":"SUFFIX"}}
// in the InvokeModel body. Once any tag is present, only tagged text is
// evaluated, so basalt tags exactly what the user typed and nothing it
// wrote itself, unless the basaltGuardrailInputTags setting asks for more.
type GuardContent struct {
	Prompt      bool // the user's own prompt text (the newest user message's text)
	System      bool // basalt's system prompt
	ToolResults bool // what tools returned
	// Suffix is the tag suffix; empty: a random one is made. It is random
	// so that text inside a prompt cannot close the tag and smuggle
	// untagged text past the filter.
	Suffix string
}

func (g GuardContent) on() bool { return g.Prompt || g.System || g.ToolResults }

// GuardTagPrefix begins every input tag's name.
const GuardTagPrefix = "amazon-bedrock-guardrails-guardContent_"

// newGuardSuffix makes a tag suffix of 12 lowercase letters and digits.
func newGuardSuffix() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func (g GuardContent) wrap(text string) string {
	tag := GuardTagPrefix + g.Suffix
	return "<" + tag + ">" + text + "</" + tag + ">"
}

// tagGuardContent wraps the chosen text in input tags on a copy of the
// request: the session's history and transcript keep the text as typed,
// so tags never reach the screen or a resumed session. Only Bedrock
// understands the tags.
func (c *Client) tagGuardContent(p *anthropic.MessageNewParams) {
	g := c.cfg.GuardContent
	if c.cfg.Provider != Bedrock || !g.on() {
		return
	}
	if g.System && len(p.System) > 0 {
		sys := make([]anthropic.TextBlockParam, len(p.System))
		copy(sys, p.System)
		for i := range sys {
			sys[i].Text = g.wrap(sys[i].Text)
		}
		p.System = sys
	}
	last := -1
	for i := len(p.Messages) - 1; i >= 0; i-- {
		if p.Messages[i].Role == anthropic.MessageParamRoleUser && hasPromptText(p.Messages[i]) {
			last = i
			break
		}
	}
	msgs := make([]anthropic.MessageParam, len(p.Messages))
	copy(msgs, p.Messages)
	for i := range msgs {
		if msgs[i].Role != anthropic.MessageParamRoleUser {
			continue
		}
		prompt := g.Prompt && i == last
		if !prompt && !g.ToolResults {
			continue
		}
		content := make([]anthropic.ContentBlockParamUnion, len(msgs[i].Content))
		copy(content, msgs[i].Content)
		for j := range content {
			switch b := &content[j]; {
			case prompt && b.OfText != nil && !isReminder(b.OfText.Text):
				t := *b.OfText
				t.Text = g.wrap(t.Text)
				b.OfText = &t
			case g.ToolResults && b.OfToolResult != nil:
				r := *b.OfToolResult
				r.Content = slicesCloneResult(r.Content)
				for k := range r.Content {
					if tb := r.Content[k].OfText; tb != nil {
						t := *tb
						t.Text = g.wrap(t.Text)
						r.Content[k].OfText = &t
					}
				}
				b.OfToolResult = &r
			}
		}
		msgs[i].Content = content
	}
	p.Messages = msgs
}

func slicesCloneResult(in []anthropic.ToolResultBlockParamContentUnion) []anthropic.ToolResultBlockParamContentUnion {
	return append([]anthropic.ToolResultBlockParamContentUnion(nil), in...)
}

// hasPromptText reports whether a user message carries text the user
// typed (a message of tool results only does not).
func hasPromptText(m anthropic.MessageParam) bool {
	for _, b := range m.Content {
		if b.OfText != nil && !isReminder(b.OfText.Text) {
			return true
		}
	}
	return false
}

// isReminder spots the context basalt adds to a user message itself.
func isReminder(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "<system-reminder>") }

// bodyOptions are the body fields set beside the SDK's params: the
// guardrail's tag suffix and CLAUDE_CODE_EXTRA_BODY.
func (c *Client) bodyOptions() []option.RequestOption {
	var opts []option.RequestOption
	for _, k := range sortedKeys(c.cfg.ExtraBody) {
		opts = append(opts, option.WithJSONSet(sjsonKey(k), json.RawMessage(c.cfg.ExtraBody[k])))
	}
	if c.cfg.Provider == Bedrock && c.cfg.GuardContent.on() {
		opts = append(opts, option.WithJSONSet("amazon-bedrock-guardrailConfig", map[string]string{"tagSuffix": c.cfg.GuardContent.Suffix}))
	}
	return opts
}

// sortedKeys orders the extra body's fields so that requests are
// reproducible, with sjson's path characters escaped: a field name is
// one key, never a path.
func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sjsonKey(k string) string {
	r := strings.NewReplacer(".", `\.`, "*", `\*`, "?", `\?`, "|", `\|`, "#", `\#`, "@", `\@`)
	return r.Replace(k)
}
