package tui

import (
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// The renderer below turns Markdown into terminal lines. It replaced
// Glamour, whose chroma lexers and styles cost ~25 ms and 4 MB at every
// start of every command, and whose text/template use kept the linker
// from dropping unused methods (a third of the binary). It parses with
// goldmark's CommonMark core (no extensions: their package compiles
// large regexps at start-up) and handles GFM pipe tables itself.

// mdMargin is the left margin of an answer, as Glamour had it.
const mdMargin = "  "

// mdStyles are the looks of one Markdown style ("dark", "light" or
// "notty"); notty is plain text.
type mdStyles struct {
	heading, strong, emph, code, link, quote, rule, tableHead lipgloss.Style
	syntax                                                    syntaxStyles
	// codeMark surrounds inline code where no colour can set it apart
	// (NO_COLOR): the backticks the Markdown had.
	codeMark string
}

func newMDStyles(style string) mdStyles {
	plain := lipgloss.NewStyle()
	if style == "notty" {
		// NO_COLOR forbids colour, not bold or italics: headings and
		// emphasis keep their weight and slant, and inline code keeps
		// its backticks, so each stays distinguishable.
		return mdStyles{heading: plain.Bold(true), strong: plain.Bold(true), emph: plain.Italic(true), code: plain,
			link: plain, quote: plain, rule: plain, tableHead: plain.Bold(true), codeMark: "`",
			syntax: syntaxStyles{keyword: plain, str: plain, comment: plain, number: plain}}
	}
	ld := lipgloss.LightDark(style != "light")
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	return mdStyles{
		heading:   plain.Foreground(c("4", "12")).Bold(true),
		strong:    plain.Bold(true),
		emph:      plain.Italic(true),
		code:      plain.Foreground(c("5", "13")),
		link:      plain.Foreground(c("6", "14")).Underline(true),
		quote:     plain.Foreground(c("8", "8")),
		rule:      plain.Foreground(c("8", "8")),
		tableHead: plain.Bold(true),
		syntax: syntaxStyles{
			keyword: plain.Foreground(c("5", "13")),
			str:     plain.Foreground(c("2", "10")),
			comment: plain.Foreground(c("8", "8")),
			number:  plain.Foreground(c("3", "11")),
		},
	}
}

// renderMarkdown renders src for a terminal width columns wide.
func renderMarkdown(src string, width int, st mdStyles) []string {
	r := mdRenderer{st: st, width: max(width-4, 20) - 2*len(mdMargin)} // a margin each side
	for _, seg := range splitTables(src) {
		if len(r.out) > 0 {
			r.out = append(r.out, "")
		}
		if seg.table != nil {
			r.table(seg.table, mdMargin)
			continue
		}
		r.src = []byte(seg.text)
		doc := parser.NewParser(parser.WithBlockParsers(parser.DefaultBlockParsers()...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...)).Parse(text.NewReader(r.src))
		r.blocks(doc, mdMargin)
	}
	return r.out
}

type mdRenderer struct {
	src   []byte
	width int // columns for text, margin excluded
	st    mdStyles
	out   []string
}

// blocks renders the block children of n, each line prefixed by indent,
// with a blank line between blocks (none between the items of a tight
// list).
func (r *mdRenderer) blocks(n ast.Node, indent string) {
	first := true
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if !first && !isTightItem(c) {
			r.out = append(r.out, "")
		}
		first = false
		r.block(c, indent)
	}
}

// isTightItem reports whether n is an item of a tight list or a block
// inside one, which are not separated by blank lines.
func isTightItem(n ast.Node) bool {
	p := n.Parent()
	if _, ok := p.(*ast.ListItem); ok {
		p = p.Parent()
	}
	l, ok := p.(*ast.List)
	return ok && l.IsTight
}

func (r *mdRenderer) block(n ast.Node, indent string) {
	w := max(r.width-ansi.StringWidth(indent)+len(mdMargin), 10)
	switch n := n.(type) {
	case *ast.Heading:
		// The style marks a heading, not the Markdown's hashes; a
		// first-level one is also underlined.
		st := r.st.heading
		if n.Level == 1 {
			st = st.Underline(true)
		}
		r.wrap(st.Render(r.inline(n)), indent, w)
	case *ast.Paragraph, *ast.TextBlock:
		r.wrap(r.inline(n), indent, w)
	case *ast.FencedCodeBlock:
		r.code(n, string(n.Language(r.src)), indent)
	case *ast.CodeBlock:
		r.code(n, "", indent)
	case *ast.Blockquote:
		r.blocks(n, indent+r.st.quote.Render("│ "))
	case *ast.List:
		num := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "• "
			if n.IsOrdered() {
				marker = strconv.Itoa(num) + ". "
				num++
			}
			if item != n.FirstChild() && !n.IsTight {
				r.out = append(r.out, "")
			}
			start, hang := len(r.out), indent+strings.Repeat(" ", ansi.StringWidth(marker))
			r.blocks(item, hang)
			if start < len(r.out) {
				r.out[start] = indent + marker + strings.TrimPrefix(r.out[start], hang)
			} else {
				r.out = append(r.out, indent+marker)
			}
		}
	case *ast.ThematicBreak:
		r.out = append(r.out, indent+r.st.rule.Render(strings.Repeat("─", min(w, 40))))
	case *ast.HTMLBlock:
		r.rawLines(n, indent)
		if n.HasClosure() {
			r.out = append(r.out, indent+string(n.ClosureLine.Value(r.src)))
		}
	default:
		r.blocks(n, indent)
	}
}

// wrap adds s word-wrapped to w columns, each line prefixed by indent.
// Hard line breaks in s are newlines.
func (r *mdRenderer) wrap(s, indent string, w int) {
	for _, line := range strings.Split(ansi.Wrap(s, w, ""), "\n") {
		r.out = append(r.out, indent+line)
	}
}

func (r *mdRenderer) code(n ast.Node, lang, indent string) {
	var hl highlighter
	hl.lang, hl.st = strings.ToLower(lang), r.st.syntax
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(string(seg.Value(r.src)), "\n")
		r.out = append(r.out, indent+mdMargin+hl.line(line))
	}
}

func (r *mdRenderer) rawLines(n ast.Node, indent string) {
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		r.out = append(r.out, indent+strings.TrimRight(string(seg.Value(r.src)), "\n"))
	}
}

// inline renders the inline children of n as one styled string.
func (r *mdRenderer) inline(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inlineNode(&b, c)
	}
	return b.String()
}

func (r *mdRenderer) inlineNode(b *strings.Builder, n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		b.Write(n.Segment.Value(r.src))
		switch {
		case n.HardLineBreak():
			b.WriteByte('\n')
		case n.SoftLineBreak():
			b.WriteByte(' ')
		}
	case *ast.String:
		b.Write(n.Value)
	case *ast.CodeSpan:
		var code strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				code.Write(t.Segment.Value(r.src))
			}
		}
		b.WriteString(r.st.code.Render(r.st.codeMark + code.String() + r.st.codeMark))
	case *ast.Emphasis:
		st := r.st.emph
		if n.Level >= 2 {
			st = r.st.strong
		}
		b.WriteString(st.Render(r.inline(n)))
	case *ast.Link:
		label, dest := r.inline(n), string(n.Destination)
		b.WriteString(label)
		if ansi.Strip(label) != dest {
			b.WriteString(" " + r.st.link.Render(dest))
		}
	case *ast.AutoLink:
		b.WriteString(r.st.link.Render(string(n.URL(r.src))))
	case *ast.Image:
		b.WriteString("Image: " + r.inline(n) + " → " + r.st.link.Render(string(n.Destination)))
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(r.src))
		}
	default:
		b.WriteString(r.inline(n))
	}
}
