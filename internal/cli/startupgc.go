package cli

import (
	"runtime/debug"
	"sync"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/headless"
)

// startupGCPercent is the collector's target while a headless run starts.
// Go collects first at a 4 MB heap (GOGC=100); basalt -p allocates about
// that much before its first request (package initialisation, the
// configuration, the tool definitions, the request), so the one
// collection of its start fell on the way to the request: 7 ms of the
// median 50 ms here (bench/startup with GOGC=400: 43 ms). The live heap is
// then about 2 MB, so a start at 400 costs at most a few MB of heap, and
// the target is restored as soon as the request is out, where the
// collection it then owes runs while the model answers.
const startupGCPercent = 400

// holdsStartupGC reports whether a headless run holds the collector back
// while it starts: only a new conversation with a prompt of ordinary size,
// whose start-up heap is basalt's own few megabytes. A resumed
// conversation or a large prompt is data whose heap a target of 400 would
// let grow to five times its size before the first collection; a
// stream-json run is a conversation of many requests.
func holdsStartupGC(opts *rootOptions, prompt string) bool {
	return opts.InputFormat != headless.InputStreamJSON && !opts.Continue && opts.Resume == "" && len(prompt) < 256<<10
}

// startupGC holds the collector at startupGCPercent until released; its
// zero value holds nothing.
type startupGC struct {
	once sync.Once
	prev int
	held bool
}

// holdStartupGC raises the collector's target for the start of a run,
// unless GOGC already asks for more (or for none).
func holdStartupGC() *startupGC {
	g := &startupGC{prev: debug.SetGCPercent(startupGCPercent)}
	if g.prev < 0 || g.prev >= startupGCPercent {
		debug.SetGCPercent(g.prev) // GOGC=off, or already higher: left as the user set it
		return g
	}
	g.held = true
	return g
}

// release restores the target GOGC set; later calls do nothing.
func (g *startupGC) release() {
	g.once.Do(func() {
		if g.held {
			debug.SetGCPercent(g.prev)
		}
	})
}

// releaseOnReply passes events on to next and releases the collector at
// the first that only a sent request can bring (anything but a notice).
func (g *startupGC) releaseOnReply(next func(agent.Event)) func(agent.Event) {
	return func(ev agent.Event) {
		if ev.Kind != agent.EventNotice {
			g.release()
		}
		next(ev)
	}
}
