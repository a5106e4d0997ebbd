package model

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidModel matches, through errors.Is, every error [Resolve] and
// [ProfileID] return. Each is a usage or configuration mistake (exit code
// 2, DESIGN.md §3), never a runtime failure, and carries a Hint.
var ErrInvalidModel = errors.New("invalid model")

// UnknownModelError is a model name basalt cannot make sense of: a
// misspelt alias or ID ("sonet", "claude-sonet-4-6") or a word that is no
// model at all. Suggestions are the closest catalog aliases and IDs, in
// the form the user wrote (alias, API ID, foundation ID or profile ID).
type UnknownModelError struct {
	Value       string
	Source      string // where Value came from, e.g. "flag --model"
	Suggestions []string
}

func (e *UnknownModelError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown model %q", clip(e.Value))
	if e.Source != "" {
		fmt.Fprintf(&b, " (%s)", e.Source)
	}
	if len(e.Suggestions) > 0 {
		quoted := make([]string, len(e.Suggestions))
		for i, s := range e.Suggestions {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		fmt.Fprintf(&b, "; did you mean %s?", strings.Join(quoted, " or "))
	}
	return b.String()
}

// Hint says what a valid value looks like.
func (e *UnknownModelError) Hint() string {
	return "name a model as an alias (opus, sonnet, haiku, fable, best or opusplan, optionally with [1m]), an inference-profile ID such as " +
		DefaultBedrockPrimary + ", an Anthropic API ID such as " + DefaultAnthropicPrimary +
		", or an inference-profile ARN; `basalt models` lists them"
}

// Is makes errors.Is(err, ErrInvalidModel) true.
func (e *UnknownModelError) Is(target error) bool { return target == ErrInvalidModel }

// ModelError is a model that basalt recognises but cannot use as asked:
// no inference profile usable from
// the region, an invalid ANTHROPIC_BEDROCK_REGION_PREFIX, an application
// profile ARN given to the Anthropic API.
type ModelError struct {
	Value  string
	Source string
	Reason string
	Fix    string
}

func (e *ModelError) Error() string {
	switch {
	case e.Value == "":
		return "model: " + e.Reason
	case e.Source == "":
		return fmt.Sprintf("model %q: %s", clip(e.Value), e.Reason)
	}
	return fmt.Sprintf("model %q (%s): %s", clip(e.Value), e.Source, e.Reason)
}

// clip shortens a value for a message: a pasted file is no model name.
func clip(s string) string {
	if len(s) <= maxNameLen {
		return s
	}
	return s[:maxNameLen] + "…"
}

// Hint is the fix.
func (e *ModelError) Hint() string { return e.Fix }

// Is makes errors.Is(err, ErrInvalidModel) true.
func (e *ModelError) Is(target error) bool { return target == ErrInvalidModel }
