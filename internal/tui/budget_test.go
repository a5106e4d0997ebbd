package tui

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/harness"
)

// budgetBackend is the fake backend with a budget to change.
type budgetBackend struct {
	*fakeBackend
	set []float64
}

func (b *budgetBackend) SetBudget(usd float64) (harness.Info, error) {
	b.set = append(b.set, usd)
	info := b.info
	info.MaxBudgetUSD = usd
	return info, nil
}

func TestBudgetCommand(t *testing.T) {
	m, fb := newTestModel(t, 80, 24)
	bb := &budgetBackend{fakeBackend: fb}
	m.b = bb
	m.command("/budget 2.50")
	m.command("/budget off")
	m.command("/budget lots")
	if len(bb.set) != 2 || bb.set[0] != 2.5 || bb.set[1] != 0 {
		t.Errorf("budgets set %v, want [2.5 0] (a bad amount changes nothing)", bb.set)
	}
	if m.info.MaxBudgetUSD != 0 {
		t.Errorf("status line budget %v after /budget off", m.info.MaxBudgetUSD)
	}
}
