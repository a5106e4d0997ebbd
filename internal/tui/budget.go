package tui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
)

// budgetSetter is what /budget needs of the backend (*harness.Session).
// It is asked for on its own so that backends without a budget (test
// fakes) still satisfy Backend; /budget says it cannot change it there.
type budgetSetter interface {
	SetBudget(usd float64) (harness.Info, error)
}

// cmdBudget shows the session's budget (--max-budget-usd) and what is
// spent, or sets it: "/budget 5" allows $5 in all, "/budget off" (or 0)
// removes the limit. After the budget is reached a prompt is refused, not
// sent, and this is the way out without restarting.
func (m *Model) cmdBudget(args string) tea.Cmd {
	i := m.info
	if args == "" {
		if i.MaxBudgetUSD <= 0 {
			m.output("No budget: spent %s. Set one with /budget AMOUNT (US dollars).", i.Cost)
			return nil
		}
		m.output("Budget $%s: spent %s. Raise it with /budget AMOUNT, remove it with /budget off.", strconv.FormatFloat(i.MaxBudgetUSD, 'f', -1, 64), i.Cost)
		return nil
	}
	if m.busyRefusal("budget") {
		return nil
	}
	usd, err := parseBudget(args)
	if err != nil {
		m.notice(noticeError, "/budget %s: want an amount in US dollars such as 5 or 2.50, or off", args)
		return nil
	}
	b, ok := m.b.(budgetSetter)
	if !ok {
		m.notice(noticeError, "this session's budget cannot be changed here")
		return nil
	}
	info, err := b.SetBudget(usd)
	if err != nil {
		m.notice(noticeError, "%s", errorText(err))
		return nil
	}
	m.info = info
	if usd == 0 {
		m.output("Budget removed: spent %s so far.", info.Cost)
		return nil
	}
	m.output("Budget set to $%s: spent %s so far.", strconv.FormatFloat(usd, 'f', -1, 64), info.Cost)
	return nil
}

func parseBudget(s string) (float64, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "$")
	if strings.EqualFold(s, "off") || strings.EqualFold(s, "none") {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, strconv.ErrSyntax
	}
	return v, nil
}

// effortSetter is what /effort needs of the backend (*harness.Session),
// asked for on its own like budgetSetter.
type effortSetter interface {
	SetEffort(level string) (string, error)
	ThinkingSummary() string
}

// cmdEffort shows the thinking and effort in force, or sets the effort
// level (/effort low|medium|high|xhigh|max|auto) for the rest of the
// session and, but for max, for new ones (the backend saves effortLevel),
// as Claude Code's /effort does.
func (m *Model) cmdEffort(args string) tea.Cmd {
	b, ok := m.b.(effortSetter)
	if !ok {
		m.notice(noticeError, "this session's effort cannot be changed here")
		return nil
	}
	if args == "" {
		m.output("Thinking: %s. Set the effort with /effort low|medium|high|xhigh|max|auto: it is saved as effortLevel in your user settings for new sessions, except max, which lasts for this session.", b.ThinkingSummary())
		return nil
	}
	if m.busyRefusal("effort") {
		return nil
	}
	notice, err := b.SetEffort(args)
	if err != nil {
		m.notice(noticeError, "%s", errorText(err))
		return nil
	}
	m.info.Effort = strings.ToLower(strings.TrimSpace(args))
	m.output("%s.", notice)
	return nil
}
