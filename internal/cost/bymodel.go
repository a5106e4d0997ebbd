package cost

import "sort"

// ModelShare is one model's part of a session: what Claude Code reports
// per model as modelUsage (the main model, the small/fast model's side
// calls, each subagent's model).
type ModelShare struct {
	Model    string // the model ID sent
	Usage    Usage
	Cost     Cost
	Requests int
}

// ByModel returns the usage and cost of each model counted so far, in
// the order each was first used.
func (m *Meter) ByModel() []ModelShare {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]ModelShare, 0, len(m.models))
	for _, s := range m.models {
		out = append(out, *s)
	}
	sort.SliceStable(out, func(i, j int) bool { return m.order[out[i].Model] < m.order[out[j].Model] })
	return out
}

// addModel counts one call in its model's share; m.mu is held.
func (m *Meter) addModel(modelID string, u Usage, c Cost) {
	if m.models == nil {
		m.models, m.order = map[string]*ModelShare{}, map[string]int{}
	}
	s, ok := m.models[modelID]
	if !ok {
		s = &ModelShare{Model: modelID, Cost: Cost{Known: true}}
		m.models[modelID] = s
		m.order[modelID] = len(m.order)
	}
	s.Usage = s.Usage.Add(u)
	s.Cost = s.Cost.Add(c)
	s.Requests++
}
