package webfetch

import (
	"golang.org/x/net/html"
	"strings"
	"testing"
)

// BenchmarkToText converts a 1 MB documentation-like page to Markdown:
// what a large WebFetch costs before the small model sees it.
func BenchmarkToText(b *testing.B) {
	section := `<h2>Section</h2><p>Some <b>bold</b> text with <a href="/x">a link</a> and <code>code</code>.</p><ul><li>one</li><li>two</li></ul><pre><code>func main() {}</code></pre>`
	page := []byte("<html><body>" + strings.Repeat(section, 1<<20/len(section)) + "</body></html>")
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, _, ok, err := toText(b.Context(), page, "text/html", "https://example.com/doc"); err != nil || !ok {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseOnly(b *testing.B) {
	section := `<h2>Section</h2><p>Some <b>bold</b> text with <a href="/x">a link</a> and <code>code</code>.</p><ul><li>one</li><li>two</li></ul><pre><code>func main() {}</code></pre>`
	page := "<html><body>" + strings.Repeat(section, 1<<20/len(section)) + "</body></html>"
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := html.Parse(strings.NewReader(page)); err != nil {
			b.Fatal(err)
		}
	}
}
