package agent

import (
	"errors"
	"fmt"
)

// LimitError stops a run that reached --max-turns or --max-budget-usd.
// The conversation so far is kept and can be continued.
type LimitError struct {
	Kind  string // "max_turns", "max_budget" or "max_tokens"
	Limit string
	// ModelMax and ToolCall describe a max_tokens limit: the model's
	// maximum output, and whether tool calls (not text) were cut.
	ModelMax int
	ToolCall bool
	// Refused: the budget was already reached when the prompt came, so
	// it was not sent.
	Refused bool
}

func (e *LimitError) Error() string {
	switch e.Kind {
	case LimitTurns:
		return fmt.Sprintf("stopped after %s turns (--max-turns)", e.Limit)
	case LimitOutput:
		return e.outputError()
	default:
		if e.Refused {
			return fmt.Sprintf("not sent: the session has reached its budget of $%s (--max-budget-usd)", e.Limit)
		}
		return fmt.Sprintf("stopped: the session reached its budget of $%s (--max-budget-usd)", e.Limit)
	}
}

// Hint tells the user how to go on.
func (e *LimitError) Hint() string {
	if e.Kind == LimitOutput {
		return e.outputHint()
	}
	if e.Kind == LimitBudget {
		return "raise the budget with /budget AMOUNT in the session, or restart with a higher --max-budget-usd (`basalt -c --max-budget-usd AMOUNT` continues this conversation)"
	}
	return "continue where it stopped with `basalt -c -p \"go on\"`, with a higher limit if needed"
}

// The kinds of LimitError.
const (
	LimitTurns  = "max_turns"
	LimitBudget = "max_budget"
	LimitOutput = "max_tokens" // the answer was still cut off at max_tokens
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
