package model

import "strings"

// Claude Code knows three model names beyond the family aliases (its
// model-config page; the AWS reference installer for Claude Code on
// Bedrock writes ANTHROPIC_MODEL=opusplan and fable):
//
//   - opusplan plans with Opus and executes with Sonnet. basalt has no
//     plan mode that switches models yet, so it runs Opus throughout and
//     says so once: the user pays Opus prices for every turn, and should
//     know it.
//   - fable is Claude Fable, the line above Opus: Claude Fable 5 from the
//     catalog (docs/models.md says why not 5.2). ANTHROPIC_DEFAULT_FABLE_MODEL
//     pins it, like the other aliases.
//   - best is Claude Code's name for the most capable model: fable.

// Fable is the alias of the Fable line, the one above Opus.
const Fable Family = "fable"

// FableAPIID is what fable means when ANTHROPIC_DEFAULT_FABLE_MODEL is not
// set: Claude Fable 5, pinned like every alias (DESIGN.md §4: a newer
// Fable arrives with a release, or as an explicit ID).
const FableAPIID = "claude-fable-5"

// The names resolve handles before it looks at an ID's shape.
const (
	nameOpusPlan = "opusplan"
	nameBest     = "best"
)

// named resolves opusplan, best and fable for either provider; next is
// r.bedrock or r.anthropic. It reports false for any other value.
func (r *resolver) named(value, source string, viaAlias bool, next func(value, source string, viaAlias bool) error) (bool, error) {
	switch strings.ToLower(value) {
	case nameOpusPlan:
		r.notice("opusplan: basalt has no plan mode that switches models yet, so Opus runs every turn (Claude Code plans with Opus and executes with Sonnet); set the model to sonnet to pay Sonnet prices")
		return true, next(string(Opus), source, viaAlias)
	case nameBest:
		r.notice("best means fable, the most capable model line (%s unless ANTHROPIC_DEFAULT_FABLE_MODEL says otherwise)", FableAPIID)
		return true, next(string(Fable), source, viaAlias)
	case string(Fable):
		if v := strings.TrimSpace(r.req.Aliases[Fable]); v != "" && !viaAlias {
			return true, next(v, step(source, aliasVars[Fable]), true)
		}
		r.out.Source = source
		m, _ := Current(Fable)
		if r.req.Provider == ProviderAnthropic {
			r.setModel(m)
			r.out.ID = m.APIID
			return true, nil
		}
		err := r.bedrockProfile(m, r.prefix())
		r.notice("fable means Claude Fable 5; on Bedrock basalt uses the inference profile %s (Bedrock serves Fable only to accounts that opted in to its data-retention terms)", r.out.ID)
		return true, err
	}
	return false, nil
}
