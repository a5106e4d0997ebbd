package agent

import (
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/outputstyle"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// Extensions are a session's custom commands, skills and output style as
// the agent sees them (internal/slashcmd/WIRING.md §2). The harness loads
// them; the agent only places them in the conversation.
type Extensions struct {
	// SkillListing is skills.Listing's text: sent once, as a
	// <system-reminder> before the first prompt of a new conversation
	// (where Claude Code puts it), so adding a skill leaves the system
	// prompt's cache alone. "" sends nothing.
	SkillListing string
	// Style changes the system prompt of a new conversation; nil is the
	// default style.
	Style *outputstyle.Adjustment
	// ResolveModel turns a command's or skill's `model` into a model, as
	// --model is resolved; nil ignores such overrides.
	ResolveModel func(name string) (model.Resolved, error)
}

// turnGrants are what a command or skill granted for the current turn:
// allow rules and a model, undone when the turn ends.
type turnGrants struct {
	rules []config.Rule
	model *model.Resolved // the session's model before the override
}

// styledIdentity is basalt's identity changed by an output style: a
// style that drops the coding instructions keeps only the introduction,
// and one that sets its own voice loses the push for short answers.
func styledIdentity(id string, adj *outputstyle.Adjustment) string {
	if adj == nil {
		return id
	}
	if !adj.KeepCodingInstructions {
		if intro, _, ok := strings.Cut(id, "\n\nHow to work:"); ok {
			id = intro
		}
	}
	if !adj.KeepConcisenessInstructions {
		id = strings.Replace(id, " Be concise: the user reads your answer in a terminal.", "", 1)
	}
	return id
}

// withSkillListing puts the skill listing before the first prompt of a
// conversation; later prompts and resumed conversations already have it.
func (s *Session) withSkillListing(prompt []anthropic.ContentBlockParamUnion) []anthropic.ContentBlockParamUnion {
	if s.o.Extensions.SkillListing == "" || len(s.messages) > 0 {
		return prompt
	}
	reminder := anthropic.NewTextBlock("<system-reminder>\n" + strings.TrimRight(s.o.Extensions.SkillListing, "\n") + "\n</system-reminder>")
	// After the reminders a command brings (its @file attachments), before
	// what the user typed: the order Claude Code 2.1.197 sends.
	at := 0
	for at < len(prompt) && prompt[at].OfText != nil && strings.HasPrefix(prompt[at].OfText.Text, "<system-reminder>") {
		at++
	}
	out := append([]anthropic.ContentBlockParamUnion(nil), prompt[:at]...)
	out = append(out, reminder)
	return append(out, prompt[at:]...)
}

// Grant applies a command's allowed-tools and model for the next Run
// only (a user's /command; the Skill tool does the same for the rest
// of its turn). It returns notices for what could not be applied.
func (s *Session) Grant(source string, allowed []string, modelName string) []string {
	var notices []string
	for _, text := range allowed {
		r, err := config.ParseRule(text)
		if err != nil {
			notices = append(notices, fmt.Sprintf("%s: allowed-tools: %v", source, err))
			continue
		}
		r.Source = config.Source{Kind: config.SourceFlag, Name: "allowed-tools of " + source}
		if s.o.Permissions == nil {
			continue
		}
		if err := s.o.Permissions.AddRule(permission.Allow, r); err != nil {
			notices = append(notices, fmt.Sprintf("%s: allowed-tools: %v", source, err))
			continue
		}
		s.grants.rules = append(s.grants.rules, r)
	}
	if modelName != "" && s.o.Extensions.ResolveModel != nil {
		m, err := s.o.Extensions.ResolveModel(modelName)
		switch {
		case err != nil:
			notices = append(notices, fmt.Sprintf("%s: model %q: %v; the session's model answers", source, modelName, err))
		case m.ID != s.model.ID:
			if s.grants.model == nil {
				prev := s.model
				s.grants.model = &prev
			}
			s.SetModel(m)
		}
	}
	return notices
}

// endGrants undoes what Grant applied, when a Run ends.
func (s *Session) endGrants() {
	for _, r := range s.grants.rules {
		_ = s.o.Permissions.RemoveRule(permission.Allow, r)
	}
	s.grants.rules = nil
	if s.grants.model != nil {
		s.SetModel(*s.grants.model)
		s.grants.model = nil
	}
}

// skillBlocks follows the tool results with the body of every skill the
// model loaded in this batch, in the same user message (where Claude Code
// puts it), and grants each skill's allowed-tools and model for the rest
// of the turn.
func (r *callRun) skillBlocks(blocks []anthropic.ContentBlockParamUnion) []anthropic.ContentBlockParamUnion {
	for i, res := range r.results {
		exp, ok := res.display.(*slashcmd.Expansion)
		if !ok || exp == nil || res.isError || !r.done[i] {
			continue
		}
		blocks = append(blocks, anthropic.NewTextBlock(exp.Prompt))
		if r.s == nil {
			continue
		}
		source := exp.Command.Name
		if exp.Command.Path != "" {
			source = exp.Command.Path
		}
		for _, n := range r.s.Grant(source, exp.AllowedTools, exp.Model) {
			r.on(Event{Kind: EventNotice, Text: n})
		}
	}
	return blocks
}

// afterCompaction is what a compaction must not lose: the skill listing,
// which was in the summarised first message, and a reminder of a
// non-default output style (Claude Code reminds the model of the style
// as a conversation grows; a compaction is where the model's view of the
// conversation starts over).
func (s *Session) afterCompaction() []anthropic.ContentBlockParamUnion {
	var out []anthropic.ContentBlockParamUnion
	if l := s.o.Extensions.SkillListing; l != "" {
		out = append(out, anthropic.NewTextBlock("<system-reminder>\n"+strings.TrimRight(l, "\n")+"\n</system-reminder>"))
	}
	if st := s.o.Extensions.Style; st != nil && st.Reminder != "" {
		out = append(out, anthropic.NewTextBlock("<system-reminder>\n"+st.Reminder+"\n</system-reminder>"))
	}
	return out
}
