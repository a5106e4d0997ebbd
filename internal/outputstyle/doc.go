// Package outputstyle owns output styles, Claude Code's way of changing how
// the model talks without changing what it knows: the built-in "default",
// "Explanatory" and "Learning" styles (in basalt's own words) and custom
// ones from .claude/output-styles/*.md, ~/.claude/output-styles/*.md and
// basalt's .basalt/output-styles and $XDG_CONFIG_HOME/basalt/output-styles.
//
// [Resolve] turns the `outputStyle` settings value into a [Style];
// [Style.Adjustment] says how the system prompt changes. It does not build
// the system prompt (agent does) nor edit settings (config.SettingsFile
// does, for /output-style); see slashcmd/WIRING.md.
package outputstyle
