package agent_test

import (
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// TestFallbackChain: an overloaded primary hands the turn to the first
// fallback, an overloaded fallback to the next; the next Run starts on
// the primary again.
func TestFallbackChain(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "first answer"}, {Text: "second answer"}}}
	const (
		sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
		haiku    = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	)
	r := newRig(t, sc, emulator.Faults{Overloaded: "sonnet"}, func(pc *provider.Config, o *agent.Options) {
		pc.MaxRetries = 1
		o.Models.Fallbacks = []model.Resolved{{ID: sonnet45}, {ID: haiku}}
	})
	var notices []string
	on := func(ev agent.Event) {
		if ev.Kind == agent.EventNotice {
			notices = append(notices, ev.Text)
		}
	}
	res, err := r.sess.Run(t.Context(), "hello", on)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "first answer" {
		t.Errorf("text %q", res.Text)
	}
	if len(notices) != 2 || !strings.Contains(notices[0], "fallback model "+sonnet45) || !strings.Contains(notices[1], "fallback model "+haiku) {
		t.Errorf("notices %q", notices)
	}
	if got := r.sess.Model().ID; got != "global.anthropic.claude-sonnet-4-6" {
		t.Errorf("after the run the model is %s, want the primary", got)
	}
	var models []string
	for _, rec := range r.srv.Records() {
		models = append(models, rec.Model)
	}
	// Two attempts (one retry) at each overloaded model, then haiku.
	want := "global.anthropic.claude-sonnet-4-6 global.anthropic.claude-sonnet-4-6 " + sonnet45 + " " + sonnet45 + " " + haiku
	if got := strings.Join(models, " "); got != want {
		t.Errorf("requests went to\n%s\nwant\n%s", got, want)
	}

	// The next turn tries the primary first.
	notices = nil
	if _, err := r.sess.Run(t.Context(), "again", on); err != nil {
		t.Fatal(err)
	}
	if recs := r.srv.Records(); recs[5].Model != "global.anthropic.claude-sonnet-4-6" {
		t.Errorf("second turn began with %s, want the primary", recs[5].Model)
	}
}

// TestFallbackOnlyForOverload: other failures are the run's error,
// whatever fallbacks there are.
func TestFallbackOnlyForOverload(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "never"}}}
	r := newRig(t, sc, emulator.Faults{}, func(pc *provider.Config, o *agent.Options) {
		o.Models.Primary = model.Resolved{ID: "us.anthropic.claude-nosuch-v1:0"}
		o.Models.Fallbacks = []model.Resolved{{ID: "us.anthropic.claude-haiku-4-5-20251001-v1:0"}}
	})
	_, err := r.sess.Run(t.Context(), "hello", nil)
	if err == nil {
		t.Fatal("want the invalid model's error")
	}
	for _, rec := range r.srv.Records() {
		if strings.Contains(rec.Model, "haiku") {
			t.Errorf("fell back after %v", err)
		}
	}
}
