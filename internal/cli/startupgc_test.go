package cli

import (
	"runtime/debug"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/headless"
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

// TestHoldsStartupGC: only a new conversation with an ordinary prompt
// holds the collector back; resumed conversations, large prompts and
// stream-json input keep the usual target from the start.
func TestHoldsStartupGC(t *testing.T) {
	t.Parallel()
	big := string(make([]byte, 300<<10))
	for _, c := range []struct {
		name   string
		opts   rootOptions
		prompt string
		want   bool
	}{
		{"new conversation", rootOptions{}, "Say hi.", true},
		{"continued", rootOptions{Continue: true}, "go on", false},
		{"resumed", rootOptions{Resume: "01a2"}, "go on", false},
		{"large prompt", rootOptions{}, big, false},
		{"stream-json", rootOptions{InputFormat: headless.InputStreamJSON}, "", false},
	} {
		if got := holdsStartupGC(&c.opts, c.prompt); got != c.want {
			t.Errorf("%s: holds = %v, want %v", c.name, got, c.want)
		}
	}
}
