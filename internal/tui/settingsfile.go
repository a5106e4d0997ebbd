package tui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/atomicfile"
)

// settingsWrittenMsg reports a change to the local settings file.
type settingsWrittenMsg struct {
	path    string
	kind    string
	added   []string
	removed []string
	err     error
	// live: the change was also applied to the running session, and
	// liveErr is why the session refused it.
	live    bool
	liveErr error
}

// writeRulesCmd adds allow rules to the settings file at path ("yes, and
// don't ask again").
func writeRulesCmd(path string, rules []string) tea.Cmd {
	return editRulesCmd(path, "allow", rules, nil)
}

func editRulesCmd(path, kind string, add, remove []string) tea.Cmd {
	return func() tea.Msg {
		added, removed, err := UpdateRules(path, kind, add, remove)
		return settingsWrittenMsg{path: path, kind: kind, added: added, removed: removed, err: err}
	}
}

// UpdateRules adds rules to and removes rules from permissions.<kind>
// ("allow", "ask" or "deny") of the settings file at path, and returns
// what it changed. Everything else in the file is kept. A file that is not
// valid JSON is left alone and reported. The previous content is copied
// to path+".bak", and the new content replaces the file atomically (a
// temporary file in the same directory, synced, then renamed), so a crash
// never leaves a half-written settings file.
func UpdateRules(path, kind string, add, remove []string) (added, removed []string, err error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	top := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(old)) > 0 {
		if err := json.Unmarshal(old, &top); err != nil {
			return nil, nil, fmt.Errorf("%s is not valid JSON (%v): fix it, then try again", path, err)
		}
	}
	perms := map[string]json.RawMessage{}
	if raw, ok := top["permissions"]; ok {
		if err := json.Unmarshal(raw, &perms); err != nil {
			return nil, nil, fmt.Errorf("%s: permissions is not an object: %v", path, err)
		}
	}
	var list []string
	if raw, ok := perms[kind]; ok {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, nil, fmt.Errorf("%s: permissions.%s is not a list of rules: %v", path, kind, err)
		}
	}
	for _, r := range add {
		if !slices.Contains(list, r) {
			list = append(list, r)
			added = append(added, r)
		}
	}
	for _, r := range remove {
		if i := slices.Index(list, r); i >= 0 {
			list = slices.Delete(list, i, i+1)
			removed = append(removed, r)
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return nil, nil, nil
	}
	if perms[kind], err = json.Marshal(list); err != nil {
		return nil, nil, err
	}
	if top["permissions"], err = json.Marshal(perms); err != nil {
		return nil, nil, err
	}
	out, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	out = append(out, '\n')
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, err
	}
	perm := fs.FileMode(0o644)
	if len(old) > 0 {
		if fi, err := os.Stat(path); err == nil {
			perm = fi.Mode().Perm()
		}
		if err := os.WriteFile(path+".bak", old, perm); err != nil {
			return nil, nil, fmt.Errorf("back up %s: %w", path, err)
		}
	}
	return added, removed, atomicfile.Write(path, out, perm)
}

func (m *Model) settingsWritten(msg settingsWrittenMsg) tea.Cmd {
	rel := relPath(msg.path, m.info.WorkDir)
	switch {
	case msg.err != nil:
		m.notice(noticeError, "could not update %s: %v", rel, msg.err)
	case len(msg.added) > 0:
		m.notice(noticeInfo, "Added %s rule %s to %s%s", msg.kind, joinRules(msg.added), rel, liveNote(msg))
		for _, r := range msg.added {
			m.info.Rules = append(m.info.Rules, Rule{Kind: msg.kind, Rule: r, Source: rel})
		}
	case len(msg.removed) > 0:
		m.notice(noticeInfo, "Removed %s rule %s from %s%s", msg.kind, joinRules(msg.removed), rel, liveNote(msg))
		m.info.Rules = slices.DeleteFunc(m.info.Rules, func(r Rule) bool {
			return r.Kind == msg.kind && slices.Contains(msg.removed, r.Rule) && r.Source == rel
		})
	}
	if msg.live && msg.liveErr != nil {
		m.notice(noticeWarn, "this session keeps its rules (%v); the file's change applies from the next session (/clear)", msg.liveErr)
	}
	return nil
}

// liveNote says when a written change takes effect.
func liveNote(msg settingsWrittenMsg) string {
	if msg.live && msg.liveErr == nil {
		return "; it applies now"
	}
	return ""
}

func joinRules(rs []string) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += r
	}
	return s
}

// relPath shows path relative to dir when it is inside it.
func relPath(path, dir string) string {
	if dir == "" {
		return path
	}
	if r, err := filepath.Rel(dir, path); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return r
	}
	return path
}
