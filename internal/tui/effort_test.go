package tui

import (
	"strings"
	"testing"
)

// effortBackend is the fake backend with an effort to change.
type effortBackend struct {
	*fakeBackend
	set []string
}

func (b *effortBackend) SetEffort(level string) (string, error) {
	b.set = append(b.set, level)
	return "effort " + level, nil
}

func (b *effortBackend) ThinkingSummary() string { return "adaptive, effort high (sent: high)" }

func TestEffortCommand(t *testing.T) {
	m, fb := newTestModel(t, 80, 24)
	eb := &effortBackend{fakeBackend: fb}
	m.b = eb
	m.command("/effort max")
	if len(eb.set) != 1 || eb.set[0] != "max" {
		t.Errorf("efforts set %v, want [max]", eb.set)
	}
	if m.info.Effort != "max" || !strings.Contains(m.statusLine(), "effort max") {
		t.Errorf("status line %q: want the effort shown", m.statusLine())
	}
}
