package tui

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
)

// TestContinuedAnswerIsOneEntry: an answer cut at max_tokens and
// continued by the next message is shown as one answer, not two.
func TestContinuedAnswerIsOneEntry(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	before := len(m.entries)
	m.event(agent.Event{Kind: agent.EventText, Text: "The first half of a sen"})
	m.event(agent.Event{Kind: agent.EventAssistant, Continued: true})
	m.event(agent.Event{Kind: agent.EventText, Text: "tence, and its end."})
	m.event(agent.Event{Kind: agent.EventAssistant})
	var answers []*assistantEntry
	for _, e := range m.entries[before:] {
		if a, ok := e.(*assistantEntry); ok {
			answers = append(answers, a)
		}
	}
	if len(answers) != 1 || answers[0].md.src.String() != "The first half of a sentence, and its end." {
		t.Fatalf("%d answer entries, first %q", len(answers), answers[0].md.src.String())
	}
}
