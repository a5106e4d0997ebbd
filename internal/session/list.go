package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/basalt-dev/basalt/internal/cost"
)

// Summary describes one stored session, for `--resume` pickers and
// `basalt usage`.
type Summary struct {
	ID   string
	Path string
	// ProjectRoot is the project's absolute root as its meta entry
	// records it ("" if the file has none); ProjectKey is its directory
	// name, which always exists.
	ProjectRoot string
	ProjectKey  string
	Created     time.Time // the meta entry's, else the first entry's time
	Updated     time.Time // the file's modification time: the order of List
	// FirstPrompt is the text of the first user prompt on one line, cut
	// to 80 characters.
	FirstPrompt string
	// Turns is how many prompts the user sent: the user entries that
	// carry text (not only tool results), or the highest turn number
	// recorded when that is more.
	Turns int
	Model string // the session's model, from its meta entries
	// User and Labels are the meta entry's (see [Meta]).
	User   string
	Labels map[string]string
	Usage  cost.Usage
	Cost   cost.Cost
	// Calls are the session's API calls one by one, for totals by day
	// and by model.
	Calls []Call
	// Err is set when the transcript could not be read in full; the other
	// fields then describe the part before the problem. A torn last line
	// is not an error.
	Err error
}

// Call is one API call recorded in a transcript: an entry with usage.
type Call struct {
	Time  time.Time
	Model string // the entry's model, else the session's
	Usage cost.Usage
	Cost  cost.Cost // as computed when the call was made
}

const firstPromptLen = 80

// List summarises the project's sessions, most recently updated first.
func (s *Store) List() ([]Summary, error) {
	files, err := s.files()
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	out := make([]Summary, 0, len(files))
	for _, f := range files {
		out = append(out, summarize(f, filepath.Base(s.dir)))
	}
	return out, nil
}

// ListAll summarises the sessions of every project under stateDir, most
// recently updated first. `basalt usage` groups their Calls by day
// (Call.Time), model (Call.Model) and project (Summary.ProjectRoot, or
// ProjectKey when that is empty).
func ListAll(stateDir string) ([]Summary, error) {
	projects := filepath.Join(stateDir, "projects")
	des, err := os.ReadDir(projects)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list all sessions: %w", err)
	}
	var out []Summary
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		files, err := listDir(filepath.Join(projects, de.Name()))
		if err != nil {
			return nil, fmt.Errorf("list all sessions: %w", err)
		}
		for _, f := range files {
			out = append(out, summarize(f, de.Name()))
		}
	}
	slices.SortStableFunc(out, func(a, b Summary) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}

// summarize reads one transcript. It reads the whole file: the cost is in
// every entry.
func summarize(f file, key string) Summary {
	s := Summary{ID: f.id, Path: f.path, ProjectKey: key, Updated: f.mod, Cost: cost.Cost{Known: true}}
	data, err := os.ReadFile(f.path)
	if err != nil {
		s.Err = err
		return s
	}
	p, err := parse(f.path, data)
	s.Err = err
	var meta Meta
	for _, e := range p.entries {
		if e.Type == TypeMeta && e.Meta != nil {
			meta.merge(e.Meta)
		}
	}
	s.ProjectRoot, s.Model, s.Created = meta.ProjectRoot, meta.Model, meta.Created
	s.User, s.Labels = meta.User, meta.Labels
	prompts := 0
	for _, e := range p.entries {
		if s.Created.IsZero() {
			s.Created = e.Time
		}
		s.Turns = max(s.Turns, e.Turn)
		if e.Type == TypeUser {
			// The agent does not number turns; a prompt is a user entry
			// with text. A compaction writes again only tool results,
			// which are not prompts, so nothing is counted twice.
			text := promptText(e.Message)
			if text != "" {
				prompts++
			}
			if s.FirstPrompt == "" {
				s.FirstPrompt = text
			}
		}
		if e.Usage == nil && e.CostUSD == nil {
			continue
		}
		c := Call{Time: e.Time, Model: cmpOr(e.Model, meta.Model), Cost: entryCost(e)}
		if e.Usage != nil {
			c.Usage = *e.Usage
		}
		s.Calls = append(s.Calls, c)
		s.Usage = s.Usage.Add(c.Usage)
		s.Cost = s.Cost.Add(c.Cost)
	}
	s.Turns = max(s.Turns, prompts)
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// promptText is the text of a user prompt on one line, cut to
// firstPromptLen characters; "" for a message of tool results.
func promptText(raw json.RawMessage) string {
	var m struct {
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	var text string
	if json.Unmarshal(m.Content, &text) != nil {
		var blocks []textBlock
		if json.Unmarshal(m.Content, &blocks) != nil {
			return ""
		}
		for _, b := range blocks {
			if b.Type == "text" && strings.TrimSpace(b.Text) != "" {
				text = b.Text
				break
			}
		}
	}
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= firstPromptLen {
		return text
	}
	r := []rune(text)
	return string(r[:firstPromptLen-1]) + "…"
}
