// Package slashcmd owns custom slash commands as Claude Code defines them:
// Markdown prompts in .claude/commands/**/*.md (project) and
// ~/.claude/commands/**/*.md (user), plus basalt's own .basalt/commands
// and $XDG_CONFIG_HOME/basalt/commands. It loads them ([LoadCommands]),
// merges them with skills into one name space ([NewSet]: a skill beats a
// command, a user entry beats a project one, basalt's directory beats
// Claude Code's at the same level), and expands an invocation into the
// prompt the model receives ([Expand]): $ARGUMENTS, $ARGUMENTS[N], $N
// (0-based, shell-quoted), named arguments, !`command` output and @file
// attachments.
//
// It must not run anything itself or read files outside the command
// directories: `!` commands go through the caller's [Runner] (so the
// permission check stays in the harness) and @file references through the
// caller's [Reader]. It does not import agent, tui, harness or cli;
// WIRING.md says where those call it.
//
// The behaviour follows what Claude Code 2.1.197 was observed to send
// (testdata/claude-code/facts.json, recorded by testdata/claude-code/record.sh).
package slashcmd
