package model

import "slices"

// EffortLevels are the output_config.effort values Anthropic documents,
// lowest first. "auto" (Claude Code's /effort auto) is not one: it means
// the model's default level (EffortDefault).
var EffortLevels = []string{"low", "medium", "high", "xhigh", "max"}

// EffortFor is the effort level sent to m for the level the user asked
// for: the level itself where m accepts it, else the highest level m
// accepts below it (Anthropic: an unsupported level falls back to the
// highest supported one), "" where m takes no effort at all or level is ""
// or "auto". lowered reports a level that had to come down, so that the
// caller can say so.
func (m *Model) EffortFor(level string) (sent string, lowered bool) {
	if m == nil || len(m.Efforts) == 0 || level == "" || level == "auto" {
		return "", false
	}
	if slices.Contains(m.Efforts, level) {
		return level, false
	}
	want := slices.Index(EffortLevels, level)
	for i := want - 1; i >= 0; i-- {
		if slices.Contains(m.Efforts, EffortLevels[i]) {
			return EffortLevels[i], true
		}
	}
	return "", true
}

// defaultEffort is the level Claude Code sends a model that takes effort
// when none was set and the catalog names no other (CC-BIN; recorded on
// Opus 4.6, Sonnet 4.6, Sonnet 5, Fable 5 and Opus 4.8).
const defaultEffort = "high"

// EffortDefault is the level sent to m when the user set none: its
// DefaultEffort, else "high"; "" where m takes no effort (or m is nil, a
// model basalt does not know).
func (m *Model) EffortDefault() string {
	switch {
	case m == nil || len(m.Efforts) == 0:
		return ""
	case m.DefaultEffort != "":
		return m.DefaultEffort
	}
	return defaultEffort
}

// ThinksByDefault reports whether requests to m carry thinking when the
// user said nothing against it: Claude Code's alwaysThinkingEnabled
// ("when absent or true, thinking is enabled automatically for supported
// models"). off is alwaysThinkingEnabled false or
// CLAUDE_CODE_DISABLE_THINKING, which a model that always thinks ignores.
// A model basalt does not know (nil) gets no thinking by default: nothing
// says it takes any.
func (m *Model) ThinksByDefault(off bool) bool {
	if m == nil {
		return false
	}
	return m.AlwaysThinks || (m.Thinking && !off)
}
