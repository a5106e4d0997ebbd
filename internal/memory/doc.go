// Package memory finds and reads the instruction files a session follows,
// as Claude Code does: BASALT.md, CLAUDE.md, .claude/CLAUDE.md, AGENTS.md
// and CLAUDE.local.md from the project root down to the working
// directory, the user's own files, .claude/rules/*.md, and the files they
// pull in with @path imports.
//
// Some memory is loaded only when the model first touches a file it
// applies to (a rule scoped by `paths:`, a CLAUDE.md in a subdirectory):
// [Memory.Touch] returns it then, and the agent appends it to that tool
// result, so the system prompt (the cached prefix) never changes.
package memory
