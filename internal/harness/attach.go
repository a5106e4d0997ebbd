package harness

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/slashcmd"
	"github.com/basalt-dev/basalt/internal/tool"
)

// mentionBlocks are the blocks a typed prompt's @files add before it in
// the user message: each file an
// @mention names (`@shot.png`, `@"my file.pdf"`), read by the Read tool
// behind the Read permission check, then the prompt as typed. As Claude
// Code 2.1.197 sends it (tool/testdata/claude-code/media-facts.json), a
// reminder names the Read call; an image follows as an image block, a
// PDF as its document block, anything else as the Read result's text.
// The prompt's own text block follows them (the caller's). A
// mention that does not name a readable file, or that the rules do not
// allow to read without asking, stays plain text.
func (s *Session) mentionBlocks(ctx context.Context, prompt string) []anthropic.ContentBlockParamUnion {
	var out []anthropic.ContentBlockParamUnion
	if e := s.extensions(); e != nil && e.ts != nil && strings.Contains(prompt, "@") {
		seen := map[string]bool{}
		for _, forms := range slashcmd.MentionForms(prompt) {
			for _, p := range forms {
				abs := e.abs(p)
				if seen[abs] {
					break
				}
				blocks, ok := e.readMention(ctx, abs)
				if !ok {
					continue
				}
				seen[abs] = true
				out = append(out, blocks...)
				break
			}
		}
	}
	return out
}

// readMention reads one @file for a prompt.
func (e *extensions) readMention(ctx context.Context, abs string) ([]anthropic.ContentBlockParamUnion, bool) {
	in, _ := json.Marshal(map[string]string{"file_path": abs})
	if d := e.checker.Decide(permission.Request{Tool: "Read", Input: in, WorkDir: e.workDir}); d.Behavior != permission.Allow {
		return nil, false
	}
	res, err := tool.Read{}.Run(ctx, e.ts, in)
	if err != nil || res.IsError {
		return nil, false
	}
	out := []anthropic.ContentBlockParamUnion{
		anthropic.NewTextBlock("<system-reminder>\nCalled the Read tool with the following input: " + string(in) + "\n</system-reminder>"),
	}
	m, ok := res.Display.(*tool.Media)
	if !ok {
		return append(out, anthropic.NewTextBlock("<system-reminder>\nResult of calling the Read tool:\n"+scrubText(res.Content, e.secrets)+"\n</system-reminder>")), true
	}
	for _, c := range m.Content {
		switch {
		case c.OfImage != nil:
			out = append(out, anthropic.ContentBlockParamUnion{OfImage: c.OfImage})
		case c.OfText != nil:
			out = append(out, anthropic.NewTextBlock("<system-reminder>\nResult of calling the Read tool:\n"+scrubText(c.OfText.Text, e.secrets)+"\n</system-reminder>"))
		}
	}
	return append(out, m.After...), true
}
