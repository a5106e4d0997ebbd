package tui

import (
	"fmt"
	"strings"
)

// helpWeb tells /help's reader what basalt can do on the web: fetch a
// page it is given, never search (Bedrock has no server-side search).
func (m *Model) helpWeb(b *strings.Builder) {
	b.WriteString(m.st.bold.Render("Web") + "\n")
	for _, l := range [][2]string{
		{"WebFetch", "the model reads a URL; asks per host: WebFetch(domain:HOST)"},
		{"WebSearch", "unavailable: Bedrock has no server-side web search"},
	} {
		fmt.Fprintf(b, "  %-14s %s\n", l[0], l[1])
	}
}
