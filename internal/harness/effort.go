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
// "adaptive, effort high" or "off".
func (s *Session) ThinkingSummary() string {
	cfg := s.cfg
	t := ThinkingConfig(cfg)
	t.Effort = s.Effort()
	m := s.current().Model()
	var parts []string
	switch {
	case m.Model != nil && m.Model.AlwaysThinks:
		parts = append(parts, "adaptive (always on for "+m.Model.Name+")")
	case t.Disable || (t.Always != nil && !*t.Always):
		parts = append(parts, "off")
	case m.Model != nil && m.Model.Adaptive && (t.Budget > 0 || t.Effort != "" || t.Always != nil) && (!t.DisableAdaptive || m.Model.AdaptiveThinkingOnly):
		parts = append(parts, "adaptive")
	case t.Budget > 0:
		parts = append(parts, fmt.Sprintf("budget %d tokens", t.Budget))
	default:
		parts = append(parts, "off (set effortLevel, alwaysThinkingEnabled or MAX_THINKING_TOKENS to turn it on)")
	}
	if t.Effort != "" {
		sent, _ := m.Model.EffortFor(t.Effort)
		if sent == "" {
			sent = "none sent"
		}
		parts = append(parts, fmt.Sprintf("effort %s (sent: %s)", t.Effort, sent))
	}
	return strings.Join(parts, ", ")
}
