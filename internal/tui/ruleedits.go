package tui

import (
	"path/filepath"
	"slices"
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
}

// rememberCmd is "yes, and don't ask again": the suggested rules are
// saved to the local settings file and added to the running session in
// one step, before the agent gets its answer, so the next call already
// sees them. When the file cannot be written, the answer asks the agent
// to remember the rules for this session anyway.
func rememberCmd(b Backend, ask askMsg, rules []string) tea.Cmd {
	return func() tea.Msg {
		ch := b.EditRules("allow", rules, nil)
		ask.answer(agent.Answer{Allow: true, Remember: ch.Err != nil})()
		return settingsWritten(ch)
	}
}

// settingsWritten turns a harness rule change into the program's message.
func settingsWritten(ch harness.RuleChange) settingsWrittenMsg {
	return settingsWrittenMsg{path: ch.Path, kind: ch.Kind, added: ch.Added, removed: ch.Removed, err: ch.Err,
		live: ch.Err == nil && len(ch.Added)+len(ch.Removed) > 0, liveErr: ch.LiveErr}
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
