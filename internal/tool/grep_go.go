package tool

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync/atomic"
)

// grepGo is the pure-Go search: a parallel walk that honours the ignore
// files, reading each file whole into a per-worker buffer, skipping any
// with a NUL byte (rg's binary rule) and matching with matcher.
func grepGo(ctx context.Context, q grepQuery) ([]grepFile, error) {
	m, err := newMatcher(q.pattern, q.ignoreCase, q.multiline)
	if err != nil {
		return nil, &problem{err.Error()}
	}
	if q.isFile {
		var w goWorker
		if f, ok := w.searchFile(q, m, q.root, filepath.Base(q.root)); ok {
			return []grepFile{f}, nil
		}
		return nil, nil
	}
	globs, err := newGlobSet(q.globs)
	if err != nil {
		return nil, &problem{err.Error()}
	}
	if len(q.globs) == 0 {
		globs = nil
	}
	workers := runtime.GOMAXPROCS(0)
	state := make([]goWorker, workers)
	var collected atomic.Int64
	err = walkTree(ctx, walkOptions{root: q.root, globs: globs, types: q.typ, workers: workers, hidden: q.hidden}, func(worker int, e walkEntry) bool {
		w := &state[worker]
		if f, ok := w.searchFile(q, m, e.abs, e.rel); ok {
			w.found = append(w.found, f)
			size := int64(len(f.rel))
			for _, l := range f.lines {
				size += int64(len(l.text)) + 16
			}
			if collected.Add(size) > q.maxCollect {
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if collected.Load() > q.maxCollect {
		return nil, errTooMuch
	}
	var out []grepFile
	for _, w := range state {
		out = append(out, w.found...)
	}
	return out, nil
}

// goWorker is one search goroutine's state.
type goWorker struct {
	buf   []byte
	sc    scanner
	found []grepFile
}

// searchFile searches one file. ok is false when it has no match, is
// binary or cannot be read.
func (w *goWorker) searchFile(q grepQuery, m *matcher, abs, rel string) (grepFile, bool) {
	data, err := w.read(abs)
	if err != nil || len(data) == 0 || bytes.IndexByte(data, 0) >= 0 {
		return grepFile{}, false
	}
	f := grepFile{rel: rel}
	switch q.mode {
	case modeFiles:
		m.scan(&w.sc, data, func(int, int) bool {
			f.count++
			return false
		})
	case modeCount:
		m.scan(&w.sc, data, func(int, int) bool {
			f.count++
			return true
		})
	case modeContent:
		var ranges [][2]int
		m.scan(&w.sc, data, func(start, end int) bool {
			ranges = append(ranges, [2]int{start, end})
			return true
		})
		f.count = len(ranges)
		if len(ranges) > 0 {
			f.lines = contentLines(data, ranges, q.before, q.after)
		}
	}
	return f, f.count > 0
}

// read reads the whole file at path into the worker's buffer. The result
// is valid until the next call.
func (w *goWorker) read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if fi, err := f.Stat(); err == nil {
		size = int(fi.Size())
	}
	if cap(w.buf) < size+1 {
		w.buf = make([]byte, 0, size+1+size/8)
	}
	buf := w.buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	w.buf = buf[:0]
	return buf, nil
}

// contentLines turns matched byte ranges into numbered lines with before
// and after lines of context, each line once.
func contentLines(data []byte, ranges [][2]int, before, after int) []grepLine {
	// Line starts of the file; only files with matches get here.
	starts := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 || i+j+1 >= len(data) {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	lineOf := func(off int) int { return sort.SearchInts(starts, off+1) - 1 } // 0-based
	nlines := len(starts)
	match := make(map[int]bool)
	type span struct{ from, to int }
	var spans []span
	for _, r := range ranges {
		first, last := lineOf(r[0]), lineOf(r[1]) // r[1] is on the last line's newline
		for l := first; l <= last; l++ {
			match[l] = true
		}
		spans = append(spans, span{max(first-before, 0), min(last+after, nlines-1)})
	}
	var out []grepLine
	next := 0 // first line not yet emitted
	for _, sp := range spans {
		for l := max(sp.from, next); l <= sp.to; l++ {
			text := data[starts[l]:lineEnd(data, starts[l])]
			out = append(out, grepLine{num: l + 1, text: string(text), match: match[l]})
		}
		next = max(next, sp.to+1)
	}
	return out
}
