package tui

import (
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
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
	// rules are the rules in force after the change; nil leaves the list
	// as it was.
	rules []Rule
	// sessionAdded are rules kept for this session only, because the file
	// could not take them.
	sessionAdded []string
}

// rememberCmd is "yes, and don't ask again": the suggested rules are
// saved to the local settings file and added to the running session in
// one step, before the agent gets its answer, so the next call already
// sees them. When the file cannot be written, the rules are kept for the
// session anyway (/permissions lists them as "session").
func rememberCmd(b Backend, ask askMsg, rules []string) tea.Cmd {
	return func() tea.Msg {
		ch := b.EditRules("allow", rules, nil)
		var session harness.RuleChange
		if ch.Err != nil {
			session = b.AllowForSession(rules)
		}
		ask.answer(agent.Answer{Allow: true, Saved: true})()
		msg := settingsWritten(ch)
		msg.sessionAdded = session.Added
		if ch.Err != nil {
			msg.rules = session.Rules
		}
		return msg
	}
}

// settingsWritten turns a harness rule change into the program's message.
func settingsWritten(ch harness.RuleChange) settingsWrittenMsg {
	return settingsWrittenMsg{path: ch.Path, kind: ch.Kind, added: ch.Added, removed: ch.Removed, err: ch.Err,
		live: ch.Err == nil && len(ch.Added)+len(ch.Removed) > 0, liveErr: ch.LiveErr, rules: ch.Rules}
}

func (m *Model) settingsWritten(msg settingsWrittenMsg) tea.Cmd {
	rel := relPath(msg.path, m.info.WorkDir)
	switch {
	case msg.err != nil && len(msg.sessionAdded) > 0:
		m.notice(noticeWarn, "could not update %s (%v): %s is allowed for this session only", rel, msg.err, joinRules(msg.sessionAdded))
	case msg.err != nil:
		m.notice(noticeError, "could not update %s: %v", rel, msg.err)
	case len(msg.added) > 0:
		m.notice(noticeInfo, "Added %s rule %s to %s%s", msg.kind, joinRules(msg.added), rel, liveNote(msg))
	case len(msg.removed) > 0:
		m.notice(noticeInfo, "Removed %s rule %s from %s%s", msg.kind, joinRules(msg.removed), rel, liveNote(msg))
	}
	if msg.rules != nil {
		m.info.Rules = msg.rules
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
