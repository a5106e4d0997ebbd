package cli

import (
	"runtime/debug"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
)

// TestStartupGC: the collector's target is raised while a run starts,
// restored at the first event a sent request brings (not at a notice),
// once; a GOGC that is off or already higher is left alone. Not parallel:
// the target is the process's.
func TestStartupGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	current := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }

	g := holdStartupGC()
	if got := current(); got != startupGCPercent {
		t.Fatalf("while starting: GOGC %d, want %d", got, startupGCPercent)
	}
	var seen []agent.EventKind
	on := g.releaseOnReply(func(ev agent.Event) { seen = append(seen, ev.Kind) })
	on(agent.Event{Kind: agent.EventNotice})
	if got := current(); got != startupGCPercent {
		t.Errorf("after a notice: GOGC %d, want still %d", got, startupGCPercent)
	}
	on(agent.Event{Kind: agent.EventText})
	if got := current(); got != 100 {
		t.Errorf("after the first reply: GOGC %d, want 100 again", got)
	}
	debug.SetGCPercent(150) // a later change is not undone by a second release
	on(agent.Event{Kind: agent.EventText})
	g.release()
	if got := current(); got != 150 {
		t.Errorf("a second release changed GOGC to %d", got)
	}
	if len(seen) != 3 {
		t.Errorf("events passed on: %v", seen)
	}

	for _, user := range []int{-1, 800} {
		debug.SetGCPercent(user)
		g := holdStartupGC()
		if got := current(); got != user {
			t.Errorf("GOGC %d: while starting %d, want it left alone", user, got)
		}
		g.release()
		if got := current(); got != user {
			t.Errorf("GOGC %d: after release %d", user, got)
		}
	}
}
