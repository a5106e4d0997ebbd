package config

// outputStyle names the output style of new conversations (Claude Code's
// key, usually in .claude/settings.local.json, which /output-style
// writes). config only carries the name as written: which styles exist
// (built-in and .claude/output-styles/*.md) is internal/outputstyle's
// business, and an unknown name is a notice when the session starts, not
// a settings error, since a style file may simply be missing here.
func (c *Config) resolveOutputStyle() {
	c.OutputStyle = c.fileString(func(s *Settings) *string { return s.OutputStyle }, "outputStyle")
}
