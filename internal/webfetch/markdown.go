package webfetch

import (
	"context"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTextBytes bounds the text of a page converted to Markdown: the
// model reads only the first 100,000 characters, and converting is the
// slow step (about 1 s per MB of dense HTML on a loaded 2-core machine,
// against a fifth of that for parsing), so the rest of a long page is
// cut from the parsed document first. It is bytes, not characters, so
// four times the characters read covers any script.
const maxTextBytes = 400_000

// dropped are elements that carry no text for the reader; they go before
// the text is counted.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Iframe: true, atom.Object: true, atom.Canvas: true,
}

// toText turns a body into what the model reads: Markdown for HTML, the
// text itself for other text types. ok is false for a body that is not
// text (an image, an archive), which the caller refuses by its type.
func toText(ctx context.Context, body []byte, contentType, pageURL string) (text, mediaType string, ok bool, err error) {
	mediaType, _, perr := mime.ParseMediaType(contentType)
	if perr != nil || mediaType == "" {
		mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	switch {
	case mediaType == "text/html" || mediaType == "application/xhtml+xml":
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			return "", mediaType, true, err
		}
		cut := prune(doc, maxTextBytes)
		md, err := htmltomarkdown.ConvertNode(doc, converter.WithContext(ctx), converter.WithDomain(pageURL))
		if err != nil {
			return "", mediaType, true, err
		}
		text := string(md)
		if cut {
			text += "\n\n[the rest of the page was cut]"
		}
		return text, mediaType, true, nil
	case isText(mediaType):
		return s, mediaType, true, nil
	}
	// A server that says nothing useful about a body that is text.
	if mediaType == "application/octet-stream" && utf8.Valid(body) && !strings.ContainsRune(s, 0) {
		return s, mediaType, true, nil
	}
	return "", mediaType, false, nil
}

func isText(mediaType string) bool {
	if strings.HasPrefix(mediaType, "text/") {
		return true
	}
	for _, suffix := range []string{"+json", "+xml", "/json", "/xml", "/javascript", "/ecmascript", "/x-yaml", "/yaml", "/toml", "/x-sh"} {
		if strings.HasSuffix(mediaType, suffix) {
			return true
		}
	}
	return false
}

// prune removes the elements that carry no text and everything after
// the first budget bytes of text, and reports whether it cut text.
func prune(doc *html.Node, budget int) bool {
	total := 0
	var walk func(n *html.Node) *html.Node
	walk = func(n *html.Node) *html.Node {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode && dropped[c.DataAtom] {
				n.RemoveChild(c)
				c = next
				continue
			}
			if c.Type == html.TextNode {
				total += len(strings.TrimSpace(c.Data))
				if total > budget {
					return c
				}
			}
			if last := walk(c); last != nil {
				return last
			}
			c = next
		}
		return nil
	}
	last := walk(doc)
	if last == nil {
		return false
	}
	for n := last; n.Parent != nil; n = n.Parent {
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			n.Parent.RemoveChild(s)
			s = next
		}
	}
	return true
}
