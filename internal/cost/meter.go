package cost

import (
	"sync"

	"github.com/basalt-dev/basalt/internal/model"
)

// Meter adds up the calls of one session, turn by turn. It is safe for
// concurrent use: side calls to the small/fast model may finish on other
// goroutines while the main call streams.
type Meter struct {
	mu          sync.Mutex
	turn        Usage
	turnCost    Cost
	session     Usage
	sessionCost Cost
	savings     Cost
	models      map[string]*ModelShare // bymodel.go
	order       map[string]int
	tier        Tier // the configured service tier; "" is standard
}

// SetTier sets the service tier calls are priced at when the service did
// not say which tier served them (see [Meter.AddServed]).
func (m *Meter) SetTier(t Tier) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tier = t
}

// NewMeter returns a meter with nothing counted: a known $0.
func NewMeter() *Meter {
	return &Meter{turnCost: Cost{Known: true}, sessionCost: Cost{Known: true}, savings: Cost{Known: true}}
}

// Add counts one API call made to mod through modelID (see [Of]; mod is
// nil when the catalog does not know the model) and returns its cost.
// One call with an unknown price makes the turn's and the session's cost
// unknown for good, while their usage keeps counting.
func (m *Meter) Add(modelID string, mod *model.Model, u Usage) Cost {
	return m.AddServed(modelID, mod, "", u)
}

// AddServed is [Meter.Add] for a call the service says was served on
// tier (Bedrock's X-Amzn-Bedrock-Service-Tier response header); "" means
// the configured tier ([Meter.SetTier]).
func (m *Meter) AddServed(modelID string, mod *model.Model, tier Tier, u Usage) Cost {
	c := Of(mod, modelID, u)
	s := Savings(mod, modelID, u)
	m.mu.Lock()
	defer m.mu.Unlock()
	if tier == "" {
		tier = m.tier
	}
	c, s = tier.apply(c), tier.apply(s)
	m.turn = m.turn.Add(u)
	m.turnCost = m.turnCost.Add(c)
	m.session = m.session.Add(u)
	m.sessionCost = m.sessionCost.Add(c)
	m.savings = m.savings.Add(s)
	m.addModel(modelID, u, c)
	return c
}

// TurnReport is what [Meter.EndTurn] returns: the turn just closed and the
// session up to and including it.
type TurnReport struct {
	Turn     Usage
	TurnCost Cost
	// TurnSavings is what caching saved on Turn (see [Savings]), for
	// telemetry; unknown where the caller did not compute it.
	TurnSavings Cost
	Session     Usage
	SessionCost Cost
}

// EndTurn closes the current turn and starts the next one. A turn without
// calls reports zero usage at a known $0.
func (m *Meter) EndTurn() TurnReport {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := TurnReport{Turn: m.turn, TurnCost: m.turnCost, Session: m.session, SessionCost: m.sessionCost}
	m.turn, m.turnCost = Usage{}, Cost{Known: true}
	return r
}

// Session returns the usage and cost of every call counted so far,
// including those of the turn still open.
func (m *Meter) Session() (Usage, Cost) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.session, m.sessionCost
}

// Savings is what caching has saved over the session so far (see
// [Savings]), summed call by call.
func (m *Meter) Savings() Cost {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.savings
}
