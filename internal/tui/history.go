package tui

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
)

// maxHistory is how many prompts the history file keeps.
const maxHistory = 1000

// history is the prompts typed, for Up and Down. pos == len(items) is the
// line being written, kept in draft while browsing.
type history struct {
	items []string
	pos   int
	draft string
}

func (h *history) prev(current string) (string, bool) {
	if h.pos == 0 || len(h.items) == 0 {
		return "", false
	}
	if h.pos == len(h.items) {
		h.draft = current
	}
	h.pos--
	return h.items[h.pos], true
}

func (h *history) next() (string, bool) {
	if h.pos >= len(h.items) {
		return "", false
	}
	h.pos++
	if h.pos == len(h.items) {
		return h.draft, true
	}
	return h.items[h.pos], true
}

// add records a prompt and returns the command that appends it to file.
func (h *history) add(text, file string) tea.Cmd {
	if n := len(h.items); n == 0 || h.items[n-1] != text {
		h.items = append(h.items, text)
	}
	h.pos, h.draft = len(h.items), ""
	if file == "" {
		return nil
	}
	return func() tea.Msg {
		_ = appendHistory(file, text) // losing a history line is not worth interrupting the user
		return nil
	}
}

// LoadHistory reads the history file: one JSON string per line, so that
// prompts of several lines fit. A missing file is an empty history.
func LoadHistory(path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var s string
		if json.Unmarshal(sc.Bytes(), &s) == nil && s != "" {
			out = append(out, s)
		}
	}
	if len(out) > maxHistory {
		out = out[len(out)-maxHistory:]
	}
	return out, sc.Err()
}

func appendHistory(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(text)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(append(b, '\n'))
	return errors.Join(werr, f.Close())
}
