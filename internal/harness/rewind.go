package harness

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/checkpoint"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

// RewindPoint is one prompt the user can rewind to (/rewind, Esc Esc).
type RewindPoint struct {
	Turn   int
	Time   time.Time
	Prompt string
	// Files are the files the model changed (Write, Edit, MultiEdit,
	// NotebookEdit) while answering this prompt.
	Files []string
	// CodeLost: the snapshots of this prompt were dropped to keep the
	// file history within its bounds; only the conversation can go back.
	CodeLost bool
}

// RewindPoints lists the prompts of the conversation as it stands, the
// most recent first. It fails when the session keeps no transcript.
func (s *Session) RewindPoints() ([]RewindPoint, error) {
	t, err := s.liveTranscript()
	if err != nil {
		return nil, err
	}
	fh := s.fileHistory()
	var changed map[int][]string
	lost := 0
	if fh != nil {
		changed, lost = fh.Changed(), fh.LostThrough()
	}
	var out []RewindPoint
	seen := map[int]bool{}
	for _, e := range t.Live() {
		if e.Type != session.TypeUser || e.Turn < 1 || seen[e.Turn] || e.Continuation {
			continue
		}
		p := parseMessage(e.Message).prompt()
		if p == "" {
			continue
		}
		seen[e.Turn] = true
		out = append(out, RewindPoint{Turn: e.Turn, Time: e.Time, Prompt: p, Files: changed[e.Turn], CodeLost: e.Turn <= lost})
	}
	slices.Reverse(out)
	return out, nil
}

// RewindNotes are what /rewind must say besides its list: that commands'
// changes are not tracked, and any trouble keeping the history.
func (s *Session) RewindNotes() []string {
	notes := []string{"Only changes made through Write, Edit, MultiEdit and NotebookEdit are restored; files changed by commands (Bash) are not."}
	fh := s.fileHistory()
	if fh == nil {
		return append(notes, "This session keeps no file history, so code cannot be restored.")
	}
	if n := fh.LostThrough(); n > 0 {
		notes = append(notes, fmt.Sprintf("Prompts up to #%d can no longer restore code: their snapshots were dropped to stay within the file history's size bounds.", n))
	}
	if err := fh.Problem(); err != nil {
		notes = append(notes, "The file history could not be saved: "+err.Error())
	}
	return notes
}

// PlanRestore says what restoring the code to before prompt turn would do,
// changing nothing: the frontend asks before overwriting files changed
// outside basalt (FileAction.Modified).
func (s *Session) PlanRestore(turn int) ([]checkpoint.FileAction, error) {
	fh := s.fileHistory()
	if fh == nil {
		return nil, errors.New("this session keeps no file history")
	}
	return fh.Plan(turn)
}

// RestoreCode puts back every file changed since before prompt turn, and
// deletes the files the model created since. Files changed outside basalt
// since are overwritten only with overwrite; the report names them.
func (s *Session) RestoreCode(turn int, overwrite bool) (checkpoint.Report, error) {
	fh := s.fileHistory()
	if fh == nil {
		return checkpoint.Report{}, errors.New("this session keeps no file history")
	}
	return fh.Restore(turn, overwrite)
}

// Rewound is the conversation after a rewind.
type Rewound struct {
	// Prompt is the text of the prompt rewound to, for the input, so the
	// user can send it again or edit it.
	Prompt string
	// History is the conversation as it now stands, to show in place of
	// the longer one.
	History []HistoryItem
}

// RewindConversation takes the conversation back to before prompt turn.
// The transcript records the rewind (an appended entry), so resuming the
// session later shows and sends the rewound conversation.
func (s *Session) RewindConversation(turn int) (Rewound, error) {
	points, err := s.RewindPoints()
	if err != nil {
		return Rewound{}, err
	}
	i := slices.IndexFunc(points, func(p RewindPoint) bool { return p.Turn == turn })
	if i < 0 {
		return Rewound{}, fmt.Errorf("rewind: no prompt #%d in this conversation", turn)
	}
	if err := s.current().Rewind(turn); err != nil {
		return Rewound{}, err
	}
	t, err := s.liveTranscript()
	if err != nil {
		return Rewound{}, err
	}
	h := historyOf(t)
	s.mu.Lock()
	s.ctxUsed = 0
	s.mu.Unlock()
	return Rewound{Prompt: points[i].Prompt, History: h}, nil
}

// liveTranscript reads the current conversation's transcript.
func (s *Session) liveTranscript() (*session.Transcript, error) {
	if s.o.NoPersistence {
		return nil, errors.New("rewind: this session keeps no transcript (--no-session-persistence)")
	}
	t, err := s.store.Load(s.ID())
	if err != nil {
		return nil, fmt.Errorf("rewind: %w", err)
	}
	return t, nil
}

func (s *Session) fileHistory() *checkpoint.Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fh
}

// fileHistoryDir is where the file history of session id lives:
// <stateDir>/file-history/<id>, as Claude Code keeps
// ~/.claude/file-history/<id>.
func fileHistoryDir(stateDir, id string) string {
	return filepath.Join(stateDir, "file-history", id)
}

// openFileHistory opens the file history of the conversation a (a fork
// starts with a copy of its original's) and attaches it to the tools. A
// history that cannot be opened is a notice: the session runs, without
// /rewind of code.
func (s *Session) openFileHistory(stateDir, id string, ts *tool.Session, forkedFrom string) (*checkpoint.Store, string) {
	if s.o.NoPersistence || id == "" || stateDir == "" {
		return nil, ""
	}
	dir := fileHistoryDir(stateDir, id)
	if forkedFrom != "" {
		if err := checkpoint.Fork(fileHistoryDir(stateDir, forkedFrom), dir); err != nil {
			return nil, "the forked session cannot restore the original's code: " + err.Error()
		}
	}
	fh, err := checkpoint.Open(dir, checkpoint.DefaultLimits())
	if err != nil {
		return nil, "file changes will not be snapshotted for /rewind: " + err.Error()
	}
	ts.SetChangeTracker(fh)
	return fh, ""
}

// RewindFiles restores the code of a stored session to before prompt
// turn, without opening a conversation: `--resume ID --rewind-files N`.
// Files changed outside basalt since are left alone and reported.
func RewindFiles(stateDir, projectRoot, resumeID string, turn int) (checkpoint.Report, error) {
	store := session.NewStore(stateDir, projectRoot)
	id, err := store.Resolve(resumeID)
	if err != nil {
		return checkpoint.Report{}, &UsageError{Err: err, Hint: "`basalt -r` lists the sessions of this project"}
	}
	fh, err := checkpoint.Open(fileHistoryDir(stateDir, id), checkpoint.DefaultLimits())
	if err != nil {
		return checkpoint.Report{}, err
	}
	if _, ok := fh.Changed()[turn]; !ok && turn > 0 {
		// A prompt with no change of its own still restores what came
		// after it; only a number beyond every prompt is a mistake.
		t, err := store.Load(id)
		if err != nil {
			return checkpoint.Report{}, err
		}
		last := 0
		for _, e := range t.Entries {
			last = max(last, e.Turn)
		}
		if turn > last {
			return checkpoint.Report{}, &UsageError{Err: fmt.Errorf("--rewind-files %d: session %s has %d prompts", turn, id, last), Hint: "the prompt numbers are the ones /rewind shows (#N)"}
		}
	}
	if turn < 1 {
		return checkpoint.Report{}, &UsageError{Err: fmt.Errorf("--rewind-files %d: prompts are numbered from 1", turn)}
	}
	return fh.Restore(turn, false)
}

// PreviewLine is the first line of a prompt, cut to n runes, for lists.
func PreviewLine(prompt string, n int) string {
	line, _, more := strings.Cut(strings.TrimSpace(prompt), "\n")
	r := []rune(line)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	if more {
		return line + " …"
	}
	return line
}

// transcriptExists reports whether any project keeps a transcript of the
// session id (the file history of a session outlives nothing else).
func (s *Session) transcriptExists(id string) bool {
	matches, err := filepath.Glob(filepath.Join(s.cfg.StateDir, "projects", "*", id+".jsonl"))
	// A pattern error keeps everything: cleaning up is never worth a loss.
	return err != nil || len(matches) > 0
}
