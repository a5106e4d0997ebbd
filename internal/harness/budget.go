package harness

import (
	"fmt"
	"math"
)

// SetBudget changes --max-budget-usd for the rest of the session (the
// TUI's /budget): usd 0 removes the limit. A budget at or below what the
// session has already spent is accepted, and refuses the next prompt as
// the old one did.
func (s *Session) SetBudget(usd float64) (Info, error) {
	if usd < 0 || math.IsNaN(usd) || math.IsInf(usd, 0) {
		return Info{}, &UsageError{Err: fmt.Errorf("budget %v: want an amount in US dollars, 0 for none", usd), Hint: "for example: /budget 5"}
	}
	s.mu.Lock()
	s.o.MaxBudgetUSD = usd
	a := s.agent
	s.mu.Unlock()
	if a != nil {
		a.SetMaxBudget(usd)
	}
	return s.Info(), nil
}
