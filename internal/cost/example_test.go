package cost_test

import (
	"fmt"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
)

func ExampleMeter() {
	const id = "global.anthropic.claude-sonnet-4-6"
	m, _ := model.Lookup(id)
	meter := cost.NewMeter()

	// Each API call of the turn, as its response's usage arrives.
	meter.Add(id, m, cost.Usage{InputTokens: 3000, CacheWrite5m: 9000, OutputTokens: 400})
	meter.Add(id, m, cost.Usage{InputTokens: 200, CacheRead: 12000, OutputTokens: 150})
	r := meter.EndTurn()

	fmt.Printf("turn %s, session %s, %.0f%% of input from cache\n",
		r.TurnCost, r.SessionCost, 100*r.Session.CacheHitRatio())
	// Output: turn $0.0552, session $0.0552, 50% of input from cache
}
