package tui

import (
	"encoding/json"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/tool"
)

// historyMsg carries the resumed conversation to show (basalt -c, -r).
type historyMsg struct{ items []HistoryItem }

// loadHistory asks the session for the conversation it resumed, once the
// program runs (the backend is not called from Update).
func loadHistory(b Backend) tea.Cmd {
	return func() tea.Msg { return historyMsg{items: b.History()} }
}

// showHistory puts a resumed conversation on screen: the prompts, the
// answers and the tool calls with their results, as they were shown.
// first puts it above what is already there (the start-up notices), so
// the screen reads in order.
func (m *Model) showHistory(items []HistoryItem, first bool) {
	if len(items) == 0 {
		return
	}
	var es []entry
	for _, it := range items {
		switch it.Kind {
		case harness.HistoryPrompt:
			es = append(es, &userEntry{text: it.Text})
		case harness.HistoryAnswer:
			a := &assistantEntry{}
			a.md.append(it.Text)
			es = append(es, a)
		case harness.HistoryTool:
			t := &toolEntry{call: it.Tool, result: it.Result}
			if t.result == nil {
				t.result = &toolResultInterrupted
			}
			if it.Tool.Name == "ExitPlanMode" && !t.result.IsError {
				// The transcript keeps the plan in the call's input.
				var in struct {
					Plan string `json:"plan"`
				}
				if json.Unmarshal(it.Tool.Input, &in) == nil && in.Plan != "" {
					r := *t.result
					r.Display = &tool.PlanDisplay{Plan: in.Plan}
					t.result = &r
				}
			}
			es = append(es, t)
		case harness.HistoryNotice:
			es = append(es, &noticeEntry{text: it.Text, kind: noticeInfo})
		}
	}
	es = append(es, &noticeEntry{text: "─── resumed here: the conversation above goes on ───", kind: noticeInfo})
	if first {
		at := 0
		if len(m.entries) > 0 {
			if _, ok := m.entries[0].(*welcomeEntry); ok {
				at = 1 // under the welcome
			}
		}
		m.entries = append(m.entries[:at], append(es, m.entries[at:]...)...)
	} else {
		m.entries = append(m.entries, es...)
	}
	m.scroll = 0
}
