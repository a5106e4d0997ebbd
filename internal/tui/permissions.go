package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/config"
)

// cmdPermissions lists the rules, or adds or removes one in the local
// settings file.
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
		rule = r.String()
		cmds := []tea.Cmd{editRulesCmd(m.info.LocalSettings, kind, []string{rule}, nil)}
		if kind == "allow" {
			// The running session takes it at once; ask and deny rules
			// apply from the next session.
			b := m.b
			cmds = append(cmds, func() tea.Msg {
				if err := b.AllowRule(rule); err != nil {
					return outputMsg{text: err.Error(), kind: noticeError}
				}
				return nil
			})
		} else {
			m.notice(noticeInfo, "%s rules apply from the next session (/clear)", kind)
		}
		return tea.Batch(cmds...)
	case f[0] == "remove" && len(f) >= 2:
		rule := strings.Join(f[1:], " ")
		rel := relPath(m.info.LocalSettings, m.info.WorkDir)
		for _, r := range m.info.Rules {
			if r.Rule == rule && r.Source != rel && !strings.HasSuffix(r.Source, rel) {
				m.notice(noticeWarn, "%s comes from %s: edit that file to remove it", rule, r.Source)
				return nil
			}
		}
		var cmds []tea.Cmd
		for _, kind := range []string{"allow", "ask", "deny"} {
			cmds = append(cmds, editRulesCmd(m.info.LocalSettings, kind, nil, []string{rule}))
		}
		return tea.Batch(cmds...)
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
