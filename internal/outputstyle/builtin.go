package outputstyle

import (
	_ "embed"
)

//go:embed explanatory.md
var explanatoryText string

//go:embed learning.md
var learningText string

// DefaultName is the style that leaves the system prompt as it is; the
// stream-json init line's output_style says "default" for it.
const DefaultName = "default"

// builtins are the styles basalt ships. Like Claude Code's, they keep the
// coding instructions (they change how the model explains, not whether it
// engineers) and drop only the push for terse answers.
func builtins() []Style {
	return []Style{
		{Name: DefaultName, Description: "basalt's usual answers: short, focused on getting the task done", Builtin: true, KeepCodingInstructions: true},
		{Name: "Explanatory", Description: "explains the choices it makes and the patterns it finds while it works", Builtin: true, KeepCodingInstructions: true, Text: explanatoryText},
		{Name: "Learning", Description: "works with you: explains, then leaves small well-chosen pieces for you to write (marked TODO(human))", Builtin: true, KeepCodingInstructions: true, Text: learningText},
	}
}
