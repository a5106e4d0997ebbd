package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// Effort is the effort level the session sends ("" when none is set),
// for /effort and the status line.
func (s *Session) Effort() string {
	if s.client == nil {
		return ""
	}
	return s.client.Effort()
}

// SetEffort changes the effort level of the following requests (/effort
// LEVEL); "auto" sends none, so the model's default applies. It lasts for
// the session: the effortLevel setting is the lasting one. The notice says
// what the current model will actually get.
func (s *Session) SetEffort(level string) (string, error) {
	level = strings.ToLower(strings.TrimSpace(level))
	if !slices.Contains(config.EffortValues, level) {
		return "", &UsageError{Err: fmt.Errorf("effort %q: want one of %s", level, strings.Join(config.EffortValues, ", "))}
	}
	if s.client == nil {
		return "", fmt.Errorf("effort: no model client")
	}
	s.client.SetEffort(level)
	return s.effortNotice(level), nil
}

// effortNotice says what level the current model gets for level.
func (s *Session) effortNotice(level string) string {
	m := s.current().Model()
	if level == "auto" {
		return "effort auto: none is sent, the model's default applies"
	}
	if m.Model == nil {
		return fmt.Sprintf("effort %s (basalt does not know whether %s takes it; it is sent only to models in its catalog)", level, m.ID)
	}
	sent, lowered := m.Model.EffortFor(level)
	switch {
	case sent == "":
		return fmt.Sprintf("effort %s is kept for the session; %s takes no effort parameter, so none is sent to it", level, m.Model.Name)
	case lowered:
		return fmt.Sprintf("effort %s: %s takes at most %s, which is sent", level, m.Model.Name, sent)
	}
	return fmt.Sprintf("effort %s", level)
}

// ThinkingSummary is one line on thinking and effort for /status:
// "adaptive, effort high (the model's default)" or "off (…), effort
// high". Thinking is on by default for the models that support it, as in
// Claude Code (docs/models.md, Decisions).
func (s *Session) ThinkingSummary() string {
	cfg := s.cfg
	t := ThinkingConfig(cfg)
	t.Effort = s.Effort()
	m := s.current().Model()
	off := t.Disable || (t.Always != nil && !*t.Always)
	var parts []string
	switch {
	case m.Model == nil && !off && t.Budget > 0:
		parts = append(parts, fmt.Sprintf("budget %d tokens", t.Budget))
	case m.Model == nil:
		parts = append(parts, fmt.Sprintf("off: basalt does not know whether %s thinks (MAX_THINKING_TOKENS sends it a budget)", m.ID))
	case m.Model.AlwaysThinks && off:
		parts = append(parts, "adaptive (always on for "+m.Model.Name+"; turning thinking off only leaves the field out)")
	case m.Model.AlwaysThinks:
		parts = append(parts, "adaptive (always on for "+m.Model.Name+")")
	case off:
		parts = append(parts, "off ("+thinkingOffBy(cfg)+")")
	case !m.Model.Thinking:
		parts = append(parts, "none ("+m.Model.Name+" does not think)")
	case m.Model.Adaptive && (!t.DisableAdaptive || m.Model.AdaptiveThinkingOnly):
		parts = append(parts, "adaptive")
	case t.Budget > 0:
		parts = append(parts, fmt.Sprintf("budget %d tokens", t.Budget))
	default:
		parts = append(parts, "budget 31999 tokens (within max_tokens)")
	}
	switch sent, _ := m.Model.EffortFor(t.Effort); {
	case t.Effort == "auto":
		parts = append(parts, "effort auto (none sent)")
	case t.Effort != "" && sent == "":
		parts = append(parts, fmt.Sprintf("effort %s (sent: none)", t.Effort))
	case t.Effort != "":
		parts = append(parts, fmt.Sprintf("effort %s (sent: %s)", t.Effort, sent))
	case m.Model.EffortDefault() != "":
		parts = append(parts, fmt.Sprintf("effort %s (the model's default)", m.Model.EffortDefault()))
	}
	return strings.Join(parts, ", ")
}

// thinkingOffBy names the setting that turned thinking off.
func thinkingOffBy(cfg *config.Config) string {
	if d := cfg.Thinking.Disable; d.Value {
		return "CLAUDE_CODE_DISABLE_THINKING, " + d.Source.String()
	}
	return "alwaysThinkingEnabled false, " + cfg.Thinking.Always.Source.String()
}
