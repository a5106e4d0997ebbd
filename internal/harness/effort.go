package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
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
// LEVEL); "auto" goes back to the model's default level. Like Claude
// Code's /effort, it also keeps the level for new sessions as effortLevel
// in the user settings file (UserSettings, through config.SettingsFile),
// except max, which Claude Code keeps for the session only, and auto,
// which removes the key. The file is written first: when that fails,
// neither the file nor the session changed. The notice says what the
// current model gets and where the level was saved.
func (s *Session) SetEffort(level string) (string, error) {
	level = strings.ToLower(strings.TrimSpace(level))
	if !slices.Contains(config.EffortValues, level) {
		return "", &UsageError{Err: fmt.Errorf("effort %q: want one of %s", level, strings.Join(config.EffortValues, ", "))}
	}
	if s.client == nil {
		return "", fmt.Errorf("effort: no model client")
	}
	saved, err := s.saveEffort(level)
	if err != nil {
		return "", fmt.Errorf("effort %s not set: %w", level, err)
	}
	s.client.SetEffort(level)
	return s.effortNotice(level) + "; " + saved, nil
}

// saveEffort writes level as effortLevel to the user settings file and
// says what it did, or why nothing was written (max).
func (s *Session) saveEffort(level string) (string, error) {
	if level == "max" {
		return "max lasts for this session only (effortLevel does not keep max, as in Claude Code), so nothing was saved", nil
	}
	path, err := s.UserSettings()
	if err != nil {
		return "", err
	}
	f, err := config.OpenSettings(path)
	if err != nil {
		return "", err
	}
	var msg string
	if level == "auto" {
		var old string
		if had, _ := f.Get("effortLevel", &old); !had {
			return "no effortLevel was saved in " + path + ", so new sessions use the model's default too", nil
		}
		f.Delete("effortLevel")
		msg = "effortLevel removed from " + path + ", so new sessions use the model's default"
	} else {
		if err := f.Set("effortLevel", level); err != nil {
			return "", err
		}
		msg = "saved as effortLevel in " + path + " for new sessions"
	}
	if err := f.Save(); err != nil {
		return "", err
	}
	s.mu.Lock()
	c := *s.cfg
	src := config.Source{Kind: config.SourceUser, Name: path}
	prev := c.Thinking.Effort
	if level == "auto" {
		c.Thinking.Effort = config.Value[string]{Source: config.Source{Kind: config.SourceDefault}}
	} else {
		c.Thinking.Effort = config.Value[string]{Value: level, Set: true, Source: src}
	}
	s.cfg = &c
	s.mu.Unlock()
	// A variable or a file of higher precedence still decides new
	// sessions; say so rather than let the saved level look in force.
	if prev.Set && prev.Source.Kind != config.SourceUser && prev.Source.Kind != config.SourceDefault {
		msg += fmt.Sprintf(" (but %s sets %q and wins there)", prev.Source, prev.Value)
	}
	return msg, nil
}

// UserSettings is the user settings file /effort writes: the user-level
// file in effect (basalt's, or Claude Code's ~/.claude/settings.json when
// only that one exists, since creating basalt's would hide it), else
// basalt's, $XDG_CONFIG_HOME/basalt/settings.json, to be created (the
// file `basalt setup` writes for the user scope).
func (s *Session) UserSettings() (string, error) {
	if p := s.fileInEffect(config.LevelUser); p != "" {
		return p, nil
	}
	if p := config.UserSettingsFile(s.cfg.Getenv); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("no user settings file: set HOME or XDG_CONFIG_HOME")
}

// effortSent is the effort level a turn to m (the current model) sends,
// for the status line: the level set (lowered to what m takes), else m's
// default, which is sent too; "" where m takes none.
func (s *Session) effortSent(m *model.Model) string {
	if s.client == nil {
		return ""
	}
	level := s.client.Effort()
	if level == "" || level == "auto" {
		level = m.EffortDefault()
	}
	sent, _ := m.EffortFor(level)
	return sent
}

// effortNotice says what level the current model gets for level.
func (s *Session) effortNotice(level string) string {
	m := s.current().Model()
	if level == "auto" {
		if d := m.Model.EffortDefault(); d != "" {
			return fmt.Sprintf("effort auto: %s's default, %s, is sent", m.Model.Name, d)
		}
		return "effort auto: the model's default applies"
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
// high". The thinking part is config's description of what a turn to the
// current model sends (config.OutputLimits.ThinkingMode), the one config
// show and doctor print. Thinking is on by default for the models that
// support it, as in Claude Code (docs/models.md, Decisions).
func (s *Session) ThinkingSummary() string {
	effort := s.Effort()
	m := s.current().Model()
	parts := []string{s.cfg.OutputLimitsFor(m.Model).ThinkingMode}
	switch sent, _ := m.Model.EffortFor(effort); {
	case effort == "auto" && m.Model.EffortDefault() != "":
		parts = append(parts, fmt.Sprintf("effort auto (sent: the model's default, %s)", m.Model.EffortDefault()))
	case effort == "auto":
		parts = append(parts, "effort auto (none sent)")
	case effort != "" && sent == "":
		parts = append(parts, fmt.Sprintf("effort %s (sent: none)", effort))
	case effort != "":
		parts = append(parts, fmt.Sprintf("effort %s (sent: %s)", effort, sent))
	case m.Model.EffortDefault() != "":
		parts = append(parts, fmt.Sprintf("effort %s (the model's default)", m.Model.EffortDefault()))
	}
	return strings.Join(parts, ", ")
}
