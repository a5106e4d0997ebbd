// Package frontmatter reads the YAML header of the Markdown files that
// Claude Code's custom slash commands, skills and output styles are written
// in: a block between two "---" lines at the top of the file, then the body.
//
// It is lenient the way Claude Code is: front matter that is not valid
// YAML (`argument-hint: [a] [b]` is a common case) is reported as a
// [Warning] naming file, line and column, and then read line by line as
// `key: value`, so the file still loads with the values its author meant.
// It owns parsing only; what each key means belongs to the package that
// reads the file (slashcmd, skills, outputstyle).
package frontmatter
