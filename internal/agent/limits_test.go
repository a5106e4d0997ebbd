package agent_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
)

// longText is n bytes of numbered sentences, so that a repeated or lost
// piece shows.
func longText(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Sentence %d of a long answer, which goes on. ", i)
	}
	return b.String()[:n]
}

// ledgerTotals sums the emulator's ledger.
func ledgerTotals(recs []emulator.Record) (in, out int) {
	for _, r := range recs {
		in += r.InputTokens + r.CacheCreationInputTokens + r.CacheReadInputTokens
		out += r.OutputTokens
	}
	return in, out
}

func TestCutTextAnswerIsContinued(t *testing.T) {
	text := longText(40_000)
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: text}}}
	r := newRig(t, sc, emulator.Faults{}, nil) // the default max_tokens, 4096
	var streamed strings.Builder
	var continued []bool
	res, err := r.sess.Run(t.Context(), "write a long answer", func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventText:
			streamed.WriteString(ev.Text)
		case agent.EventAssistant:
			continued = append(continued, ev.Continued)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != text {
		t.Errorf("result is %d bytes ending %q, want the whole %d", len(res.Text), res.Text[max(0, len(res.Text)-40):], len(text))
	}
	if streamed.String() != text {
		t.Errorf("streamed %d bytes, want the whole answer once (%d)", streamed.Len(), len(text))
	}
	if fmt.Sprint(continued) != "[true true false]" {
		t.Errorf("assistant messages continued %v, want [true true false] (frontends show one answer)", continued)
	}
	if res.StopReason != "end_turn" {
		t.Errorf("stop reason %q", res.StopReason)
	}
	recs := r.srv.Records()
	if len(recs) != 3 || res.Requests != 3 {
		t.Errorf("%d requests (run says %d), want 3 (two continuations)", len(recs), res.Requests)
	}
	in, out := ledgerTotals(recs)
	u, c := r.sess.Usage()
	if u.TotalInput() != in || u.OutputTokens != out || !c.Known || c.USD <= 0 {
		t.Errorf("session %+v %v, ledger in %d out %d", u, c, in, out)
	}
	tr, err := session.NewStore(filepath.Join(r.dir, "state"), r.dir).Load(r.sess.ID())
	if err != nil {
		t.Fatal(err)
	}
	var cont int
	for _, e := range tr.Entries {
		if e.Continuation {
			cont++
		}
	}
	if cont != 2 || tr.Usage() != u {
		t.Errorf("transcript: %d continuation entries, usage %+v; want 2 and %+v", cont, tr.Usage(), u)
	}
}

func TestContinuationsAreBounded(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: longText(40_000)}}}
	r := newRig(t, sc, emulator.Faults{}, func(pc *provider.Config, _ *agent.Options) { pc.MaxOutputTokens = 200 })
	res, err := r.sess.Run(t.Context(), "write a long answer", nil)
	var limit *agent.LimitError
	if !errors.As(err, &limit) || limit.Kind != agent.LimitOutput {
		t.Fatalf("err = %v, want the output limit", err)
	}
	if !strings.Contains(limit.Hint(), "CLAUDE_CODE_MAX_OUTPUT_TOKENS") || !strings.Contains(limit.Hint(), "128000") {
		t.Errorf("hint %q", limit.Hint())
	}
	if res.StopReason != "max_tokens" || res.Requests != agent.MaxContinuations+1 {
		t.Errorf("stop %q after %d requests", res.StopReason, res.Requests)
	}
	// The conversation stays valid: the next prompt works.
	if _, err := r.sess.Run(t.Context(), "go on", nil); err != nil && !errors.As(err, &limit) {
		t.Fatal(err)
	}
}

// TestInterruptedStreamIsCounted: a turn interrupted while the model
// streams still counts what the service billed: the input of
// message_start and the output that arrived.
func TestInterruptedStreamIsCounted(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: longText(3000)}}}
	r := newRig(t, sc, emulator.Faults{Latency: 20 * time.Millisecond}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	var usages int
	_, err := r.sess.Run(ctx, "answer slowly", func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventText:
			cancel()
		case agent.EventUsage:
			usages++
		}
	})
	if !errors.Is(err, agent.ErrInterrupted) {
		t.Fatalf("err = %v", err)
	}
	in, _ := ledgerTotals(r.srv.Records())
	u, c := r.sess.Usage()
	if in == 0 || u.TotalInput() != in || u.OutputTokens == 0 || !c.Known || c.USD <= 0 {
		t.Errorf("session %+v %v after an interruption; ledger input %d", u, c, in)
	}
	if usages != 1 {
		t.Errorf("%d usage events, want 1 (the status line and /cost learn of it)", usages)
	}
	tr, err := session.NewStore(filepath.Join(r.dir, "state"), r.dir).Load(r.sess.ID())
	if err != nil {
		t.Fatal(err)
	}
	if tr.Usage() != u {
		t.Errorf("transcript usage %+v, session %+v", tr.Usage(), u)
	}
}

// TestCompactionIsCounted: the summary request of a compaction is in the
// transcript, so a resume and `basalt usage` count it.
func TestCompactionIsCounted(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "first answer"}}, SideReply: "the summary"}
	r := newRig(t, sc, emulator.Faults{}, nil)
	if _, err := r.sess.Run(t.Context(), "hello", nil); err != nil {
		t.Fatal(err)
	}
	if err := r.sess.Compact(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	in, out := ledgerTotals(r.srv.Records())
	tr, err := session.NewStore(filepath.Join(r.dir, "state"), r.dir).Load(r.sess.ID())
	if err != nil {
		t.Fatal(err)
	}
	if u := tr.Usage(); u.TotalInput() != in || u.OutputTokens != out {
		t.Errorf("transcript usage %+v; ledger in %d out %d", u, in, out)
	}
}

// TestPromptAfterTheBudgetIsNotSent: once the session's cost reached
// --max-budget-usd, a new prompt is refused before it is sent, with the
// way out; raising the budget (/budget) lets the next one through.
func TestPromptAfterTheBudgetIsNotSent(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "one"}, {Text: "two"}}}
	r := newRig(t, sc, emulator.Faults{}, func(_ *provider.Config, o *agent.Options) { o.MaxBudgetUSD = 1e-6 })
	if _, err := r.sess.Run(t.Context(), "first", nil); err != nil {
		t.Fatal(err)
	}
	_, err := r.sess.Run(t.Context(), "second", nil)
	var limit *agent.LimitError
	if !errors.As(err, &limit) || limit.Kind != agent.LimitBudget || !strings.HasPrefix(err.Error(), "not sent") || !strings.Contains(limit.Hint(), "/budget") {
		t.Fatalf("err = %v, want a refusal that points at /budget", err)
	}
	if n := len(r.srv.Records()); n != 1 {
		t.Fatalf("%d requests, want the refused prompt not sent", n)
	}
	r.sess.SetMaxBudget(100)
	res, err := r.sess.Run(t.Context(), "third", nil)
	if err != nil || res.Text != "two" {
		t.Fatalf("after raising the budget: %v, %q", err, res.Text)
	}
	// The refused prompt never joined the conversation.
	tr, _ := session.NewStore(filepath.Join(r.dir, "state"), r.dir).Load(r.sess.ID())
	for _, m := range tr.Messages() {
		if strings.Contains(string(m), "second") {
			t.Errorf("the refused prompt is in the transcript: %s", m)
		}
	}
}

// TestDroppedStreamsAreCounted: attempts whose stream was cut and retried
// were billed for their input; each is counted, so the session's input
// is the ledger's.
func TestDroppedStreamsAreCounted(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: longText(2000)}}}
	r := newRig(t, sc, emulator.Faults{Disconnect: 0.6, Seed: 3}, nil)
	if _, err := r.sess.Run(t.Context(), "answer", nil); err != nil {
		t.Fatal(err)
	}
	recs := r.srv.Records()
	if len(recs) < 2 {
		t.Skipf("the seed cut no stream (%d requests)", len(recs))
	}
	in, _ := ledgerTotals(recs)
	if u, _ := r.sess.Usage(); u.TotalInput() != in {
		t.Errorf("session input %d over %d requests, ledger %d", u.TotalInput(), len(recs), in)
	}
}
