package tui

import (
	"strings"
)

// markdown renders Markdown in one style (mdrender.go). The styles are
// built on first use, so a command that shows no answer never builds
// them.
type markdown struct {
	style string // "dark", "light" or "notty"
	built string // the style st was built for
	st    mdStyles
}

func (m *markdown) render(src string, width int) []string {
	if m.built != m.style || m.built == "" {
		m.st, m.built = newMDStyles(m.style), m.style
	}
	// A tab reaches the terminal as a cursor movement the screen's cell
	// buffer does not see, so indentation made of tabs (Go code) would be
	// lost: tabs become spaces to the next stop of 4, which is also what
	// CommonMark makes of a tab that indents.
	src = expandTabs(src, 4)
	return trimBlank(renderMarkdown(src, width, m.st))
}

// expandTabs replaces each tab with the spaces up to the next multiple of
// stop, counting columns from the start of its line.
func expandTabs(s string, stop int) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := stop - col%stop
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// trimBlank drops blank lines around a document.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func isBlank(s string) bool { return strings.TrimSpace(stripANSI(s)) == "" }

// mdStream is an answer that arrives in pieces. It is cut into blocks at
// blank lines outside code fences; a finished block is rendered once and
// kept, and only the unfinished tail is rendered again as text arrives. So
// the cost of a new piece depends on the size of the current block, not
// on the length of the answer or of the conversation.
type mdStream struct {
	src     strings.Builder
	scanned int  // src[:scanned] has been scanned for block ends
	cut     int  // src[:cut] is made of finished blocks
	inFence bool // the scan is inside a code fence
	fence   string

	blocks []string // sources of the finished blocks

	// Cached renders, valid for width.
	width     int
	style     string
	rendered  []string // lines of blocks[:nRendered], blank line between blocks
	nRendered int
	tailSrc   string
	tailLines []string
	tailOK    bool
}

func (s *mdStream) append(text string) {
	s.src.WriteString(text)
	s.scan()
}

// scan finds the blocks finished by the complete lines added since the
// last scan.
func (s *mdStream) scan() {
	all := s.src.String()
	for {
		nl := strings.IndexByte(all[s.scanned:], '\n')
		if nl < 0 {
			return
		}
		line := all[s.scanned : s.scanned+nl]
		end := s.scanned + nl + 1
		s.scanned = end
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case s.inFence:
			if strings.HasPrefix(trimmed, s.fence) && strings.TrimSpace(strings.TrimLeft(trimmed, s.fence[:1])) == "" {
				s.inFence = false
				s.finish(end)
			}
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			// A fence opens a block of its own: what came before is done.
			s.finish(end - len(line) - 1)
			s.inFence = true
			s.fence = trimmed[:3]
		case strings.TrimSpace(line) == "":
			s.finish(end)
		}
	}
}

// finish ends a block at offset end, if there is anything in it.
func (s *mdStream) finish(end int) {
	if end <= s.cut {
		return
	}
	block := s.src.String()[s.cut:end]
	s.cut = end
	if strings.TrimSpace(block) != "" {
		s.blocks = append(s.blocks, block)
	}
}

// lines returns the rendered answer as two segments: the finished blocks
// (cached) and the tail.
func (s *mdStream) lines(md *markdown, width int) (done, tail []string) {
	if s.width != width || s.style != md.style {
		s.width, s.style, s.rendered, s.nRendered, s.tailOK = width, md.style, nil, 0, false
	}
	for ; s.nRendered < len(s.blocks); s.nRendered++ {
		if len(s.rendered) > 0 {
			s.rendered = append(s.rendered, "")
		}
		s.rendered = append(s.rendered, md.render(s.blocks[s.nRendered], width)...)
	}
	tailSrc := s.src.String()[s.cut:]
	if !s.tailOK || tailSrc != s.tailSrc {
		s.tailSrc, s.tailOK, s.tailLines = tailSrc, true, nil
		if strings.TrimSpace(tailSrc) != "" {
			s.tailLines = md.render(tailSrc, width)
			if len(s.rendered) > 0 {
				s.tailLines = append([]string{""}, s.tailLines...)
			}
		}
	}
	return s.rendered, s.tailLines
}
