package cost

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMeter(t *testing.T) {
	t.Parallel()
	sonnet46 := mustLookup(t, "claude-sonnet-4-6")
	haiku45 := mustLookup(t, "claude-haiku-4-5")
	const sonnetID = "global.anthropic.claude-sonnet-4-6"
	const haikuID = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

	m := NewMeter()
	if diff := cmp.Diff(TurnReport{TurnCost: Cost{Known: true}, SessionCost: Cost{Known: true}}, m.EndTurn()); diff != "" {
		t.Errorf("empty turn mismatch (-want +got):\n%s", diff)
	}

	// Turn 1: two Sonnet calls and a Haiku side call.
	// 1000×3 + 100×15 = 4,500 µ$; 5000×3.75 + 200×15 = 21,750 µ$;
	// Haiku us: 500×1.10 + 20×5.50 = 660 µ$.
	call1 := Usage{InputTokens: 1000, OutputTokens: 100}
	call2 := Usage{CacheWrite5m: 5000, OutputTokens: 200}
	side := Usage{InputTokens: 500, OutputTokens: 20}
	if diff := cmp.Diff(Cost{USD: 0.0045, Known: true}, m.Add(sonnetID, sonnet46, call1), approx); diff != "" {
		t.Errorf("Add returns the call's cost: mismatch (-want +got):\n%s", diff)
	}
	m.Add(sonnetID, sonnet46, call2)
	m.Add(haikuID, haiku45, side)
	turn1 := call1.Add(call2).Add(side)
	want := TurnReport{
		Turn: turn1, TurnCost: Cost{USD: 0.02691, Known: true},
		Session: turn1, SessionCost: Cost{USD: 0.02691, Known: true},
	}
	if diff := cmp.Diff(want, m.EndTurn(), approx); diff != "" {
		t.Errorf("turn 1 mismatch (-want +got):\n%s", diff)
	}

	// Turn 2: a read (5000×0.30 + 100×15 = 3,000 µ$) and a call to a model
	// the catalog does not know.
	read := Usage{CacheRead: 5000, OutputTokens: 100}
	unknown := Usage{InputTokens: 42}
	m.Add(sonnetID, sonnet46, read)
	if got := m.Add("us.anthropic.claude-next", nil, unknown); got.Known {
		t.Errorf("unknown model's call cost = %v, want unknown", got)
	}
	r := m.EndTurn()
	if r.TurnCost.Known || r.SessionCost.Known {
		t.Errorf("turn 2 costs %v / session %v, want both unknown", r.TurnCost, r.SessionCost)
	}
	if diff := cmp.Diff(read.Add(unknown), r.Turn); diff != "" {
		t.Errorf("turn 2 usage mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(turn1.Add(read).Add(unknown), r.Session); diff != "" {
		t.Errorf("session usage survives an unknown price: mismatch (-want +got):\n%s", diff)
	}

	// Turn 3 is priced again; the session stays unknown.
	m.Add(sonnetID, sonnet46, call1)
	r = m.EndTurn()
	if diff := cmp.Diff(Cost{USD: 0.0045, Known: true}, r.TurnCost, approx); diff != "" {
		t.Errorf("turn 3 mismatch (-want +got):\n%s", diff)
	}
	u, c := m.Session()
	if c.Known || c.String() != "unknown" {
		t.Errorf("session cost = %v, want unknown", c)
	}
	if diff := cmp.Diff(r.Session, u); diff != "" {
		t.Errorf("Session() mismatch (-want +got):\n%s", diff)
	}
	if m.Savings().Known {
		t.Errorf("savings %v, want unknown after an unknown price", m.Savings())
	}
}

func TestMeterSavings(t *testing.T) {
	t.Parallel()
	sonnet46 := mustLookup(t, "claude-sonnet-4-6")
	m := NewMeter()
	m.Add("global.anthropic.claude-sonnet-4-6", sonnet46, Usage{CacheWrite5m: 4000})
	m.Add("global.anthropic.claude-sonnet-4-6", sonnet46, Usage{CacheRead: 4000})
	// -3,000 µ$ for the write, then 4000×(3-0.30) = 10,800 µ$ for the read.
	if diff := cmp.Diff(Cost{USD: 0.0078, Known: true}, m.Savings(), approx); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestMeterConcurrent(t *testing.T) {
	t.Parallel()
	sonnet46 := mustLookup(t, "claude-sonnet-4-6")
	m := NewMeter()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				m.Add("global.anthropic.claude-sonnet-4-6", sonnet46, Usage{InputTokens: 1, OutputTokens: 1})
				m.Session()
			}
		})
	}
	wg.Wait()
	r := m.EndTurn()
	if diff := cmp.Diff(Usage{InputTokens: 800, OutputTokens: 800}, r.Session); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	// 800×3 + 800×15 = 14,400 µ$
	if diff := cmp.Diff(Cost{USD: 0.0144, Known: true}, r.SessionCost, approx); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestMeterByModel(t *testing.T) {
	t.Parallel()
	m := NewMeter()
	m.Add("main", nil, Usage{InputTokens: 10})
	m.Add("small", nil, Usage{OutputTokens: 3})
	m.Add("main", nil, Usage{InputTokens: 5})
	got := m.ByModel()
	if len(got) != 2 || got[0].Model != "main" || got[0].Usage.InputTokens != 15 || got[0].Requests != 2 || got[1].Model != "small" || got[1].Usage.OutputTokens != 3 {
		t.Errorf("ByModel = %+v", got)
	}
	if got[0].Cost.Known {
		t.Error("an unknown model's cost is known")
	}
}
