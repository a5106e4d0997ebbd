package model

import "slices"

// EffortLevels are the output_config.effort values Anthropic documents,
// lowest first. "auto" (Claude Code's /effort auto) means none is sent and
// the model's default applies.
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
