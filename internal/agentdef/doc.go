// Package agentdef owns the definitions of subagents: the built-in types
// (general-purpose, Explore), the custom agents of Markdown files
// (.claude/agents/*.md, .basalt/agents/*.md, ~/.claude/agents/*.md,
// ~/.config/basalt/agents/*.md) and of --agents JSON, and the set they make
// once their precedence is applied.
//
// It reads files and parses text; it runs nothing. The runner of a
// subagent lives in internal/subagent, which needs an agent loop.
package agentdef
