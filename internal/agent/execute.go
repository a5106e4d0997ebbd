package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// callResult is what one call produced, in the order of the calls.
type callResult struct {
	content string
	isError bool
	display any // tool.Result.Display, for the UI
}

const interruptedResult = "Interrupted by the user: the call did not complete."

// callRun holds the results of one message's calls while they run: the
// execute step writes them and the assemble step reads them.
type callRun struct {
	s       *Session
	calls   []*ToolCall
	on      func(Event)
	results []callResult
	done    []bool // results[i] is the call's own result
	// decisions are the permission decisions of the calls that run, for
	// their start events (telemetry reports a sandbox's allow as such).
	decisions []*permission.Decision
	// harnessErr is the first Go error a tool returned: basalt failed,
	// not the call, and the calls after it do not run.
	harnessErr error
}

func newCallRun(s *Session, calls []*ToolCall, on func(Event)) *callRun {
	return &callRun{s: s, calls: calls, on: on, results: make([]callResult, len(calls)), done: make([]bool, len(calls)), decisions: make([]*permission.Decision, len(calls))}
}

// record sets the result of a call that does not run.
func (r *callRun) record(i int, res callResult) {
	r.results[i], r.done[i] = res, true
}

// execute runs the calls at indexes idx together and waits for all of
// them. Their start events all come before any of their end events, so a
// UI shows a batch as one; a batch of one is the plain start, run, end.
func (r *callRun) execute(ctx context.Context, idx []int) {
	if len(idx) == 0 {
		return
	}
	for _, i := range idx {
		r.on(Event{Kind: EventToolStart, Tool: r.calls[i], Decision: r.decisions[i]})
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, i := range idx {
		wg.Go(func() {
			res, err := r.s.execute(ctx, r.calls[i])
			mu.Lock()
			defer mu.Unlock()
			r.record(i, res)
			if err != nil && !errors.Is(err, context.Canceled) && r.harnessErr == nil {
				r.harnessErr = err
			}
		})
	}
	wg.Wait()
	r.s.flushHookNotices(r.on)
	r.s.flushSideCalls(r.on) // smallmodel.go
	for _, n := range r.s.o.memory.Notices() {
		r.on(Event{Kind: EventNotice, Text: n})
	}
	for _, i := range idx {
		res := r.results[i]
		r.on(Event{Kind: EventToolEnd, Tool: r.calls[i], Result: &tool.Result{Content: res.content, IsError: res.isError, Display: res.display}})
	}
}

// execute runs one call. A failure the model can act on is in the result;
// the error is for a failure of basalt itself (and comes with a result
// that says so), or ctx's end.
func (s *Session) execute(ctx context.Context, call *ToolCall) (callResult, error) {
	t := s.tools[call.Name]
	started := time.Now()
	ctx = tool.WithCallID(ctx, call.ID) // TRACEPARENT of a traced run (tool/tracecontext.go)
	var res tool.Result
	var err error
	if cr, ok := t.(CallRunner); ok {
		res, err = cr.RunCall(ctx, s.o.ToolSession, call)
	} else {
		res, err = t.Run(ctx, s.o.ToolSession, call.Input)
	}
	if err != nil && ctx.Err() == nil {
		return callResult{content: fmt.Sprintf("The tool failed inside basalt: %v", err), isError: true}, fmt.Errorf("tool %s: %w", call.Name, err)
	}
	if ctx.Err() != nil && res.Content == "" {
		res = tool.Result{Content: interruptedResult, IsError: true}
	}
	if !res.IsError && err == nil {
		if reminder := s.lazyMemory(call); reminder != "" {
			res.Content += "\n\n" + reminder
		}
	}
	return s.afterTool(ctx, call, callResult{res.Content, res.IsError, res.Display}, started), err
}
