package tool

import (
	"strings"
)

// FileDiff is the Display of Write, Edit and MultiEdit: the change as
// unified-diff hunks, for the UI to render.
type FileDiff struct {
	Path    string
	Created bool
	Hunks   []Hunk
}

// Hunk is one region of a change. Lines start with ' ' (context), '-'
// (removed) or '+' (added), followed by the line without its newline.
type Hunk struct {
	OldStart, OldLines int // 1-based first line and line count in the old file
	NewStart, NewLines int
	Lines              []string
}

// diffContext is the number of unchanged lines around each hunk.
const diffContext = 3

// maxDiffEdits bounds the Myers search; past it the change is shown as one
// block replacing everything between the common prefix and suffix.
const maxDiffEdits = 500

// diffFile computes the hunks that turn old into new.
func diffFile(path string, old, new string, created bool) *FileDiff {
	return &FileDiff{Path: path, Created: created, Hunks: diffLines(splitLines(old), splitLines(new))}
}

// splitLines splits s into lines without their terminators.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.TrimSuffix(s, "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

type diffOp struct {
	kind byte // ' ', '-', '+'
	a, b int  // line index in old / new (of the line itself for ' ' and '-'/'+')
}

// diffLines returns the hunks of a line diff of a and b.
func diffLines(a, b []string) []Hunk {
	// Common prefix and suffix first: they are most of any edit.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', i, i})
	}
	mid := myers(a[pre:len(a)-suf], b[pre:len(b)-suf])
	for _, op := range mid {
		ops = append(ops, diffOp{op.kind, op.a + pre, op.b + pre})
	}
	for i := 0; i < suf; i++ {
		ops = append(ops, diffOp{' ', len(a) - suf + i, len(b) - suf + i})
	}
	return hunks(ops, a, b)
}

// myers computes a shortest edit script of a into b (Myers 1986), or a
// plain delete-all/insert-all script when the difference is large.
func myers(a, b []string) []diffOp {
	n, m := len(a), len(b)
	maxD := min(n+m, maxDiffEdits)
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	found := -1
	for d := 0; d <= maxD && found < 0; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		var ops []diffOp
		for i := range a {
			ops = append(ops, diffOp{'-', i, 0})
		}
		for j := range b {
			ops = append(ops, diffOp{'+', n, j})
		}
		return ops
	}
	// Walk back through the saved frontiers.
	var rev []diffOp
	x, y := n, m
	for d := found; d > 0; d-- {
		vp := trace[d]
		k := x - y
		var pk int
		if k == -d || (k != d && vp[off+k-1] < vp[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := vp[off+pk]
		py := px - pk
		for x > px && y > py {
			x--
			y--
			rev = append(rev, diffOp{' ', x, y})
		}
		if x == px {
			y--
			rev = append(rev, diffOp{'+', x, y})
		} else {
			x--
			rev = append(rev, diffOp{'-', x, y})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, diffOp{' ', x, y})
	}
	ops := make([]diffOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

// hunks groups an edit script into hunks with diffContext lines around
// each change.
func hunks(ops []diffOp, a, b []string) []Hunk {
	var out []Hunk
	i := 0
	for i < len(ops) {
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i == len(ops) {
			break
		}
		// Changes closer than 2*diffContext were merged into the previous
		// hunk, so this start never overlaps it.
		start := max(i-diffContext, 0)
		end := i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			// Look ahead: merge the next change if its context touches ours.
			next := end
			for next < len(ops) && ops[next].kind == ' ' {
				next++
			}
			if next < len(ops) && next-end <= 2*diffContext {
				end = next
				continue
			}
			end = min(end+diffContext, len(ops))
			break
		}
		h := Hunk{}
		first := true
		for _, op := range ops[start:end] {
			if first {
				h.OldStart, h.NewStart = op.a+1, op.b+1
				first = false
			}
			switch op.kind {
			case ' ':
				h.Lines = append(h.Lines, " "+a[op.a])
				h.OldLines++
				h.NewLines++
			case '-':
				h.Lines = append(h.Lines, "-"+a[op.a])
				h.OldLines++
			case '+':
				h.Lines = append(h.Lines, "+"+b[op.b])
				h.NewLines++
			}
		}
		if h.OldLines == 0 {
			h.OldStart-- // unified-diff convention: an insertion follows line OldStart
		}
		if h.NewLines == 0 {
			h.NewStart--
		}
		out = append(out, h)
		i = end
	}
	return out
}
