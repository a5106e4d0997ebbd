package cli

import (
	"io"
	"os"
)

// IOStreams are the standard streams of a command, with what basalt needs
// to know about them to adapt its output when piped.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	StdinIsTTY  bool
	StdoutIsTTY bool
	StderrIsTTY bool
}

// System returns the process's streams.
func System() *IOStreams {
	return &IOStreams{
		In:          os.Stdin,
		Out:         os.Stdout,
		ErrOut:      os.Stderr,
		StdinIsTTY:  isTerminal(os.Stdin),
		StdoutIsTTY: isTerminal(os.Stdout),
		StderrIsTTY: isTerminal(os.Stderr),
	}
}

// isTerminal reports whether f is a character device. It is enough to tell
// a terminal from a pipe or file without a terminal library.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
