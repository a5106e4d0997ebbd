package agentdef

// Builtins are the agent types every session has, as Claude Code's
// general-purpose and Explore (their descriptions are ours; the tool
// sets follow Claude Code 2.1.197's listing, testdata of
// internal/subagent).
func Builtins() []Definition {
	return []Definition{
		{
			Name:        "general-purpose",
			Description: "General-purpose agent for researching complex questions, searching for code, and carrying out multi-step tasks. Use it when a search may take several tries, or to hand off a self-contained piece of work.",
			Prompt:      generalPrompt,
			Source:      SourceBuiltin,
		},
		{
			Name:        "Explore",
			Description: `Fast read-only agent for exploring a codebase: finding files by pattern, searching for symbols or keywords, answering "where is X defined / which files use Y". Say how thorough it should be: "quick", "medium" or "very thorough".`,
			Exclude:     []string{"ExitPlanMode", "Edit", "MultiEdit", "Write", "NotebookEdit"},
			Model:       ModelSmallFast,
			Prompt:      explorePrompt,
			Source:      SourceBuiltin,
		},
	}
}

const generalPrompt = `You are an agent working for basalt, a coding assistant. Another agent gave you the task below; it cannot see your work, only your final message.

Do the task completely with the tools you have. Search broadly when you do not know where something is, then narrow down. Do not create files unless the task needs them. When you are done, answer with one message that reports what you found or did, with absolute file paths and the details the other agent needs to act on it.`

const explorePrompt = `You are a read-only search agent working for basalt, a coding assistant. Another agent asked you to find something in this codebase; it cannot see your work, only your final message.

You must not change anything: do not create, edit or delete files, and run only commands that read (ls, git log, git grep, find, cat). Use Glob to find files by name, Grep to search contents and Read to read what you found. Work quickly and run independent searches together.

Answer with one message: the files and lines that matter, as absolute paths, and a short explanation.`
