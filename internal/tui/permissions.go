package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
)

// cmdPermissions lists the rules, or adds or removes one in the local
// settings file and in the running session at once.
func (m *Model) cmdPermissions(args string) tea.Cmd {
	f := strings.Fields(args)
	usage := "usage: /permissions, /permissions add allow|ask|deny RULE, /permissions remove RULE"
	switch {
	case len(f) == 0:
		m.listRules()
		return nil
	case f[0] == "add" && len(f) >= 3:
		kind := f[1]
		if kind != "allow" && kind != "ask" && kind != "deny" {
			m.notice(noticeError, "%s", usage)
			return nil
		}
		rule := strings.Join(f[2:], " ")
		r, err := config.ParseRule(rule)
		if err != nil {
			m.notice(noticeError, "%v", err)
			return nil
		}
		return editRulesNowCmd(m.b, []string{kind}, r.String(), true)
	case f[0] == "remove" && len(f) >= 2:
		rule := strings.Join(f[1:], " ")
		rel := relPath(m.info.LocalSettings, m.info.WorkDir)
		for _, r := range m.info.Rules {
			if r.Rule == rule && r.Source == "session" {
				m.notice(noticeWarn, "%s is kept for this session only (the settings file could not take it): it ends when basalt exits", rule)
				return nil
			}
			if r.Rule == rule && r.Source != rel && !strings.HasSuffix(r.Source, rel) {
				m.notice(noticeWarn, "%s comes from %s: edit that file to remove it", rule, r.Source)
				return nil
			}
		}
		return editRulesNowCmd(m.b, []string{"allow", "ask", "deny"}, rule, false)
	}
	m.notice(noticeError, "%s", usage)
	return nil
}

func (m *Model) listRules() {
	var b strings.Builder
	b.WriteString(m.st.bold.Render("Permission rules") + "\n")
	if len(m.info.Rules) == 0 {
		b.WriteString("  none: every edit and command asks first\n")
	}
	for _, kind := range []string{"deny", "ask", "allow"} {
		for _, r := range m.info.Rules {
			if r.Kind == kind {
				fmt.Fprintf(&b, "  %-5s  %-32s %s\n", kind, r.Rule, m.st.dim.Render(r.Source))
			}
		}
	}
	fmt.Fprintf(&b, "Add with /permissions add allow|ask|deny RULE (e.g. Bash(go test:*)); remove with /permissions remove RULE.\nBoth write %s.", relPath(m.info.LocalSettings, m.info.WorkDir))
	m.output("%s", b.String())
}

// rulesEditedMsg reports the changes of one /permissions add or remove,
// one per kind of rule.
type rulesEditedMsg struct {
	rule  string
	add   bool
	edits []settingsWrittenMsg
}

// editRulesNowCmd adds rule to (add) or removes it from the lists kinds of
// the local settings file and the running session, one kind after the
// other.
func editRulesNowCmd(b Backend, kinds []string, rule string, add bool) tea.Cmd {
	return func() tea.Msg {
		out := rulesEditedMsg{rule: rule, add: add}
		for _, kind := range kinds {
			var ch harness.RuleChange
			if add {
				ch = b.EditRules(kind, []string{rule}, nil)
			} else {
				ch = b.EditRules(kind, nil, []string{rule})
			}
			out.edits = append(out.edits, settingsWritten(ch))
		}
		return out
	}
}

func (m *Model) rulesEdited(msg rulesEditedMsg) {
	changed := false
	for _, w := range msg.edits {
		m.settingsWritten(w)
		changed = changed || w.err != nil || len(w.added) > 0 || len(w.removed) > 0
	}
	if changed || len(msg.edits) == 0 {
		return
	}
	rel := relPath(msg.edits[0].path, m.info.WorkDir)
	if msg.add {
		m.notice(noticeInfo, "%s already has %s rule %s", rel, msg.edits[0].kind, msg.rule)
		return
	}
	m.notice(noticeWarn, "%s has no rule %s: /permissions lists the rules and where each lives", rel, msg.rule)
}
