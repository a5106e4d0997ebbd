package session

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TypeSubagent is the main transcript's link to a subagent's sidechain:
// AgentID, AgentType, ToolUseID and Sidechain (the file, relative to the
// project directory), with the subagent's whole Usage and CostUSD so a
// resumed session counts what its subagents spent.
const TypeSubagent = "subagent"

// SidechainPath is where the transcript of subagent agentID of session
// parentID lives: <project>/<parent>/subagents/agent-<id>.jsonl, Claude
// Code's layout. It sits in a directory, so [Store.List] never takes it
// for a session of its own.
func (s *Store) SidechainPath(parentID, agentID string) string {
	return filepath.Join(s.dir, parentID, "subagents", "agent-"+agentID+ext)
}

// CreateSidechain starts the transcript of subagent agentID of session
// parentID: meta (with IsSidechain set) then what the subagent says and
// does, as a session's transcript. It is not locked: only the subagent
// that created it writes to it.
func (s *Store) CreateSidechain(parentID, agentID string, meta Meta) (*Writer, error) {
	if !safeName(parentID) || !safeName(agentID) {
		return nil, fmt.Errorf("create sidechain: bad session or agent ID %q/%q", parentID, agentID)
	}
	path := s.SidechainPath(parentID, agentID)
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("create sidechain: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, fileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create sidechain %s: %w", agentID, ErrExists)
	}
	if err != nil {
		return nil, fmt.Errorf("create sidechain: %w", err)
	}
	now := s.now()
	meta.ID, meta.IsSidechain, meta.ParentID, meta.AgentID = parentID, true, parentID, agentID
	if meta.Created.IsZero() {
		meta.Created = now
	}
	if meta.ProjectRoot == "" {
		meta.ProjectRoot = s.root
	}
	w := &Writer{f: f, id: parentID, path: path, now: s.now}
	if err := w.Append(Entry{Type: TypeMeta, Time: now, Meta: &meta}); err != nil {
		_ = w.Close()
		_ = os.Remove(path)
		return nil, fmt.Errorf("create sidechain: %w", err)
	}
	return w, nil
}

// LoadSidechain reads the transcript of subagent agentID of session
// parentID.
func (s *Store) LoadSidechain(parentID, agentID string) (*Transcript, error) {
	if !safeName(parentID) || !safeName(agentID) {
		return nil, fmt.Errorf("load sidechain: bad session or agent ID %q/%q", parentID, agentID)
	}
	t, err := loadFile(s.SidechainPath(parentID, agentID), parentID)
	if err != nil {
		return nil, fmt.Errorf("load sidechain %s: %w", agentID, err)
	}
	return t, nil
}

// Subagents are the links to the sidechains recorded in t, in order.
func (t *Transcript) Subagents() []Entry {
	var out []Entry
	for _, e := range t.Entries {
		if e.Type == TypeSubagent {
			out = append(out, e)
		}
	}
	return out
}

// safeName keeps an ID a single path element.
func safeName(id string) bool {
	return id != "" && id != "." && id != ".." && !strings.ContainsAny(id, `/\`)
}
