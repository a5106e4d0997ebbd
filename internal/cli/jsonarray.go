package cli

import (
	"bytes"
	"io"
)

// jsonArrayWriter turns JSON lines into one JSON array: Claude Code's
// `-p --output-format json --verbose` prints every message of the run
// (the system init, each assistant and user message, the result) as an
// array rather than the result alone. basalt prints the stream-json lines
// through it, so both formats always carry the same objects.
type jsonArrayWriter struct {
	out     io.Writer
	pending []byte // a line not yet ended by '\n'
	started bool
	err     error
}

func newJSONArrayWriter(out io.Writer) *jsonArrayWriter { return &jsonArrayWriter{out: out} }

func (w *jsonArrayWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := bytes.TrimSpace(w.pending[:i])
		w.pending = w.pending[i+1:]
		if len(line) == 0 {
			continue
		}
		sep := []byte(",")
		if !w.started {
			sep, w.started = []byte("["), true
		}
		if _, w.err = w.out.Write(append(sep, line...)); w.err != nil {
			return 0, w.err
		}
	}
}

// Close ends the array. A run that printed nothing (it failed before its
// first message) leaves stdout empty, as the json format does.
func (w *jsonArrayWriter) Close() error {
	if w.err != nil || !w.started {
		return w.err
	}
	_, w.err = w.out.Write([]byte("]\n"))
	return w.err
}
