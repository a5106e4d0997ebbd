package tui

import (
	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

var toolResultInterrupted = tool.Result{Content: "interrupted", IsError: true}

// event applies one agent event to the conversation.
func (m *Model) event(ev agent.Event) {
	switch ev.Kind {
	case agent.EventText:
		if m.current == nil {
			m.current = &assistantEntry{}
			m.push(m.current)
		}
		m.current.md.append(ev.Text)
		m.outChars += len(ev.Text)
		m.retry = ""
	case agent.EventThinking:
		if m.thinking == nil {
			m.thinking = &thinkingEntry{}
			m.push(m.thinking)
		}
		m.thinking.text.WriteString(ev.Text)
		m.outChars += len(ev.Text)
	case agent.EventReset:
		// The partial answer is void: the request is tried again.
		m.drop(m.current)
		m.drop(m.thinking)
		m.current, m.thinking = nil, nil
	case agent.EventAssistant:
		// The message is complete: the next text starts a new entry,
		// unless it continues an answer cut at max_tokens.
		if !ev.Continued {
			m.current = nil
		}
		m.thinking = nil
	case agent.EventToolStart:
		if t := m.tools[ev.Tool.ID]; t != nil {
			t.running = true
			return
		}
		t := &toolEntry{call: ev.Tool, running: true}
		m.tools[ev.Tool.ID] = t
		m.push(t)
	case agent.EventToolEnd:
		t := m.tools[ev.Tool.ID]
		if t == nil {
			t = &toolEntry{call: ev.Tool}
			m.tools[ev.Tool.ID] = t
			m.push(t)
		}
		t.running, t.result = false, ev.Result
	case agent.EventPermission:
		m.permissionEvent(ev)
	case agent.EventUsage:
		m.turnOut += ev.Usage.Turn.OutputTokens
		if !m.turnSum.ok {
			m.turnSum = turnTotals{ok: true, usage: ev.Usage.Turn, cost: ev.Usage.TurnCost}
		} else {
			m.turnSum.usage = m.turnSum.usage.Add(ev.Usage.Turn)
			m.turnSum.cost = m.turnSum.cost.Add(ev.Usage.TurnCost)
		}
		m.outChars = 0
		m.info.Usage, m.info.Cost = ev.Usage.Session, ev.Usage.SessionCost
		m.info.ContextUsed = ev.Usage.Turn.TotalInput()
	case agent.EventRetry:
		m.retry = ev.Retry.String()
	case agent.EventNotice:
		m.notice(noticeInfo, "%s", ev.Text)
	case agent.EventCompacted:
		m.notice(noticeInfo, "The conversation was compacted: a summary replaces the earlier messages (ctrl+o shows it).")
		summary := &thinkingEntry{title: "Summary"}
		summary.text.WriteString(ev.Text)
		m.push(summary)
	}
}

// permissionEvent records a refusal on the call's line. An ask is shown
// by the prompt that follows (askMsg); its answer is known when the call
// starts (allowed) or from the prompt (refused).
func (m *Model) permissionEvent(ev agent.Event) {
	if ev.Decision == nil || ev.Decision.Behavior != permission.Deny {
		return
	}
	t := &toolEntry{call: ev.Tool, denied: ev.Decision}
	m.tools[ev.Tool.ID] = t
	m.push(t)
}

// drop removes an entry (a voided partial answer).
func (m *Model) drop(e entry) {
	if e == nil {
		return
	}
	for i := len(m.entries) - 1; i >= 0; i-- {
		if m.entries[i] == e {
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			return
		}
	}
}
