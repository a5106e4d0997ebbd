package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// GFM pipe tables, found in the source before goldmark sees it (its
// table extension lives in a package whose start-up compiles large
// regexps for every command).

type mdSegment struct {
	text  string
	table *mdTable
}

type mdTable struct {
	head  []string
	align []byte // 'l', 'c' or 'r' per column
	rows  [][]string
}

// delimRow matches a table's second line, e.g. "| --- | :-: | --: |".
var delimRow = lazyre.New(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

// splitTables cuts src into runs of ordinary Markdown and pipe tables.
// Lines inside code fences are never a table.
func splitTables(src string) []mdSegment {
	if !strings.Contains(src, "|") {
		return []mdSegment{{text: src}}
	}
	lines := strings.SplitAfter(src, "\n")
	var segs []mdSegment
	var cur strings.Builder
	fence := ""
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
		case strings.Contains(trimmed, "|") && i+1 < len(lines) && strings.Contains(lines[i+1], "-") && delimRow().MatchString(strings.TrimRight(lines[i+1], "\n")):
			head := splitCells(trimmed)
			align := alignments(splitCells(strings.TrimSpace(lines[i+1])))
			if len(align) != len(head) {
				break
			}
			t := &mdTable{head: head, align: align}
			i += 2
			for ; i < len(lines); i++ {
				row := strings.TrimSpace(lines[i])
				if row == "" || !strings.Contains(row, "|") {
					break
				}
				cells := splitCells(row)
				cells = append(cells, make([]string, max(len(head)-len(cells), 0))...)
				t.rows = append(t.rows, cells[:len(head)])
			}
			if strings.TrimSpace(cur.String()) != "" {
				segs = append(segs, mdSegment{text: cur.String()})
			}
			cur.Reset()
			segs = append(segs, mdSegment{table: t})
			i-- // the line that ended the table is ordinary text
			continue
		}
		cur.WriteString(lines[i])
	}
	if strings.TrimSpace(cur.String()) != "" || len(segs) == 0 {
		segs = append(segs, mdSegment{text: cur.String()})
	}
	return segs
}

// splitCells splits a table row at its unescaped pipes.
func splitCells(row string) []string {
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var cell strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cell.WriteByte('|')
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(row[i])
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

func alignments(delims []string) []byte {
	a := make([]byte, len(delims))
	for i, d := range delims {
		switch left, right := strings.HasPrefix(d, ":"), strings.HasSuffix(d, ":"); {
		case left && right:
			a[i] = 'c'
		case right:
			a[i] = 'r'
		default:
			a[i] = 'l'
		}
	}
	return a
}

// table renders t with columns separated by "│", narrowing the widest
// columns (their cells wrap) until it fits the width.
func (r *mdRenderer) table(t *mdTable, indent string) {
	head := make([]string, len(t.head))
	for i, h := range t.head {
		head[i] = r.st.tableHead.Render(r.inlineText(h))
	}
	rows := make([][]string, len(t.rows))
	for i, row := range t.rows {
		rows[i] = make([]string, len(row))
		for j, c := range row {
			rows[i][j] = r.inlineText(c)
		}
	}
	widths := make([]int, len(head))
	for _, row := range append([][]string{head}, rows...) {
		for j, c := range row {
			widths[j] = max(widths[j], ansi.StringWidth(c))
		}
	}
	avail := r.width - 3*(len(widths)-1)
	for total := sum(widths); total > avail; total-- {
		widest := 0
		for j := range widths {
			if widths[j] > widths[widest] {
				widest = j
			}
		}
		if widths[widest] <= 3 {
			break
		}
		widths[widest]--
	}
	sep := r.st.rule.Render(" │ ")
	emit := func(row []string) {
		cells := make([][]string, len(row))
		height := 1
		for j, c := range row {
			cells[j] = strings.Split(ansi.Wrap(c, widths[j], ""), "\n")
			height = max(height, len(cells[j]))
		}
		for k := range height {
			parts := make([]string, len(row))
			for j := range row {
				s := ""
				if k < len(cells[j]) {
					s = cells[j][k]
				}
				parts[j] = pad(s, widths[j], t.align[j])
			}
			r.out = append(r.out, strings.TrimRight(indent+strings.Join(parts, sep), " "))
		}
	}
	emit(head)
	rule := make([]string, len(widths))
	for j, w := range widths {
		rule[j] = strings.Repeat("─", w)
	}
	r.out = append(r.out, indent+r.st.rule.Render(strings.Join(rule, "─┼─")))
	for _, row := range rows {
		emit(row)
	}
}

// inlineText renders one cell's Markdown as inline text.
func (r *mdRenderer) inlineText(s string) string {
	src := []byte(s)
	doc := parser.NewParser(parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...)).Parse(text.NewReader(src))
	saved := r.src
	r.src = src
	defer func() { r.src = saved }()
	var b strings.Builder
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		b.WriteString(r.inline(c))
	}
	return b.String()
}

func pad(s string, w int, align byte) string {
	gap := max(w-ansi.StringWidth(s), 0)
	switch align {
	case 'r':
		return strings.Repeat(" ", gap) + s
	case 'c':
		return strings.Repeat(" ", gap/2) + s + strings.Repeat(" ", gap-gap/2)
	}
	return s + strings.Repeat(" ", gap)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
