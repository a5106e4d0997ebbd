// Package skills owns Agent Skills as Claude Code reads them: a directory
// <name>/SKILL.md under .claude/skills (project), ~/.claude/skills (user),
// .basalt/skills and $XDG_CONFIG_HOME/basalt/skills, with sibling files the
// model reads on demand. It loads them ([Load]) as slashcmd.Command values
// of kind slashcmd.KindSkill, so one slashcmd.Set holds skills and custom
// commands together; writes the bounded listing of names and descriptions
// the model sees ([Listing]); and provides the Skill tool ([Tool]) through
// which the model loads a skill's body.
//
// It must not run commands or read files itself: a skill's !`command`
// lines go through the slashcmd.Runner the harness gives [NewTool]. It
// does not import agent, tui, harness or cli (see slashcmd/WIRING.md).
package skills
