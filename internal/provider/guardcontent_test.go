package provider

import (
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
)

// TestGuardContentTagsOnlyThePrompt: the newest prompt's text is wrapped,
// the system prompt, older prompts, tool results and reminders are not, and
// the caller's history is not touched.
func TestGuardContentTagsOnlyThePrompt(t *testing.T) {
	t.Parallel()
	c := &Client{cfg: Config{Provider: Bedrock, GuardContent: GuardContent{Prompt: true, Suffix: "s1"}}}
	p := anthropic.MessageNewParams{
		System: []anthropic.TextBlockParam{{Text: "system: ignore nothing"}},
		Messages: []anthropic.MessageParam{
			anthropic.NewUserMessage(anthropic.NewTextBlock("old prompt")),
			anthropic.NewAssistantMessage(anthropic.NewToolUseBlock("t1", map[string]any{}, "Read")),
			anthropic.NewUserMessage(anthropic.NewToolResultBlock("t1", "file text", false)),
			anthropic.NewUserMessage(anthropic.NewTextBlock("<system-reminder>ctx</system-reminder>"), anthropic.NewTextBlock("new prompt")),
		},
	}
	before := p.Messages
	c.tagGuardContent(&p)
	open, end := "<"+GuardTagPrefix+"s1>", "</"+GuardTagPrefix+"s1>"
	if got := p.Messages[3].Content[1].OfText.Text; got != open+"new prompt"+end {
		t.Errorf("prompt = %q, want it tagged", got)
	}
	for _, s := range []string{p.System[0].Text, p.Messages[0].Content[0].OfText.Text, p.Messages[3].Content[0].OfText.Text,
		p.Messages[2].Content[0].OfToolResult.Content[0].OfText.Text} {
		if strings.Contains(s, GuardTagPrefix) {
			t.Errorf("%q is tagged; only the newest prompt should be", s)
		}
	}
	if got := before[3].Content[1].OfText.Text; got != "new prompt" {
		t.Errorf("the caller's history changed: %q", got)
	}
	// Asked for, the system prompt and tool results are tagged too.
	c.cfg.GuardContent = GuardContent{System: true, ToolResults: true, Suffix: "s1"}
	c.tagGuardContent(&p)
	if !strings.HasPrefix(p.System[0].Text, open) || !strings.HasPrefix(p.Messages[2].Content[0].OfToolResult.Content[0].OfText.Text, open) {
		t.Errorf("system %q, tool result %q: want both tagged", p.System[0].Text, p.Messages[2].Content[0].OfToolResult.Content[0].OfText.Text)
	}
}
