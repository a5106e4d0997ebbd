package agentdef

import (
	"fmt"
	"slices"
	"strings"
)

// Source is where a definition came from, in increasing precedence.
type Source int

// The sources, lowest precedence first: a later one wins a name clash.
const (
	SourceBuiltin Source = iota
	SourceUser           // ~/.claude/agents, ~/.config/basalt/agents
	SourceProject        // .claude/agents, .basalt/agents
	SourceFlag           // --agents
)

func (s Source) String() string {
	switch s {
	case SourceUser:
		return "user"
	case SourceProject:
		return "project"
	case SourceFlag:
		return "--agents"
	}
	return "built-in"
}

// ModelInherit is the model value that runs the agent on the session's
// primary model, as Claude Code's `model: inherit`.
const ModelInherit = "inherit"

// ModelSmallFast is the model of a built-in agent that runs on the
// session's small/fast model (Explore); custom agents name an alias or ID.
const ModelSmallFast = "small-fast"

// Definition is one agent type the model can start with the Agent tool.
type Definition struct {
	// Name is the subagent_type the model passes.
	Name string
	// Description tells the model when to pick this agent.
	Description string
	// Tools restricts the agent to these tool names; nil inherits every
	// tool of the session (except Agent itself). A list only ever
	// restricts: it never grants a permission.
	Tools []string
	// Exclude removes tools from what the agent inherits (the built-in
	// read-only types); applied after Tools.
	Exclude []string
	// Model is "" or "inherit" (the session's model), an alias (sonnet,
	// opus, haiku), a model ID, or ModelSmallFast.
	Model string
	// Prompt is the agent's system prompt.
	Prompt string
	Source Source
	// Path is the file it came from; "" for built-ins and --agents.
	Path string
}

// Location names where a definition came from, for /agents and notices.
func (d Definition) Location() string {
	if d.Path != "" {
		return d.Path
	}
	return d.Source.String()
}

// ToolsLabel is the tools as the listing shows them: "*" for all, or
// the list, or "All tools except …".
func (d Definition) ToolsLabel() string {
	switch {
	case d.Tools != nil:
		return strings.Join(d.Tools, ", ")
	case len(d.Exclude) > 0:
		return "All tools except " + strings.Join(d.Exclude, ", ")
	}
	return "*"
}

// Allows reports whether the agent may use the tool called name. The
// Agent tool is never among a subagent's tools: subagents do not start
// subagents, as in Claude Code.
func (d Definition) Allows(name string) bool {
	if name == ToolName || name == LegacyToolName {
		return false
	}
	if slices.Contains(d.Exclude, name) {
		return false
	}
	if d.Tools == nil {
		return true
	}
	for _, t := range d.Tools {
		if t == name || t == "*" {
			return true
		}
	}
	return false
}

// ToolName is the tool that starts subagents; LegacyToolName is the name
// Claude Code used before (Task), still accepted in permission rules,
// hook matchers and resumed transcripts.
const (
	ToolName       = "Agent"
	LegacyToolName = "Task"
)

// normalizeTools cleans a tools list: blanks dropped, Task read as Agent,
// and a rule pattern (`Bash(git diff:*)`, which Claude Code users write
// there) cut to its tool name, since the list restricts tools and never
// grants a command. It returns a note for each pattern cut.
func normalizeTools(in []string) (out []string, notes []string) {
	out = []string{}
	for _, t := range in {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if i := strings.IndexByte(t, '('); i > 0 && strings.HasSuffix(t, ")") {
			notes = append(notes, fmt.Sprintf("tools: %q restricts the agent to the %s tool; the pattern grants nothing (write permission rules in settings)", t, t[:i]))
			t = t[:i]
		}
		if t == LegacyToolName {
			t = ToolName
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, notes
}
