package agent

import (
	"errors"
	"fmt"
)

// LimitError stops a run that reached --max-turns or --max-budget-usd.
// The conversation so far is kept and can be continued.
type LimitError struct {
	Kind  string // "max_turns" or "max_budget"
	Limit string
}

func (e *LimitError) Error() string {
	switch e.Kind {
	case LimitTurns:
		return fmt.Sprintf("stopped after %s turns (--max-turns)", e.Limit)
	default:
		return fmt.Sprintf("stopped: the session reached its budget of $%s (--max-budget-usd)", e.Limit)
	}
}

// Hint tells the user how to go on.
func (e *LimitError) Hint() string {
	return "continue where it stopped with `basalt -c -p \"go on\"`, with a higher limit if needed"
}

// The kinds of LimitError.
const (
	LimitTurns  = "max_turns"
	LimitBudget = "max_budget"
)

// ErrInterrupted is returned (wrapped with the context's error) when the
// user cancels a turn.
var ErrInterrupted = errors.New("interrupted by the user")

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
