package skills

import "github.com/basalt-dev/basalt/internal/frontmatter"

// headerOf re-reads a SKILL.md header for the checks that need more than
// slashcmd.Command keeps (the name as written, line numbers). Its own
// warnings were already reported by slashcmd.ParseFile.
func headerOf(path string, data []byte) frontmatter.Doc {
	doc, _, _, _ := frontmatter.Parse(path, data)
	return doc
}
