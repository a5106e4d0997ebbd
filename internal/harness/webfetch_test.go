package harness

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
)

// TestWebFetchRulesInTheSession: /permissions takes a WebFetch domain
// rule at once (the next fetch from that host is allowed, and the host
// counts as named for the fetcher), refuses one that names no domain
// and one for WebSearch before writing anything, and the tool is offered.
func TestWebFetchRulesInTheSession(t *testing.T) {
	r := newRig(t, &emulator.Scenario{Turns: []emulator.Turn{{Text: "Done."}}}, nil)
	s, _ := r.open(t, Options{})
	if !slices.Contains(s.Info().Tools, "WebFetch") {
		t.Errorf("tools offered: %v, want WebFetch among them", s.Info().Tools)
	}
	fetch := permission.Request{Tool: "WebFetch", Input: json.RawMessage(`{"url":"http://127.0.0.1:8080/doc","prompt":"x"}`)}
	decide := func() permission.Behavior {
		s.mu.Lock()
		c := s.checker
		s.mu.Unlock()
		return c.Decide(fetch).Behavior
	}
	if got := decide(); got != permission.Ask {
		t.Fatalf("before any rule: %s, want ask", got)
	}
	if s.namesWebHost("127.0.0.1") {
		t.Fatal("127.0.0.1 named before any rule")
	}
	ch := s.EditRules("allow", []string{"WebFetch(domain:127.0.0.1)"}, nil)
	if ch.Err != nil || ch.LiveErr != nil {
		t.Fatalf("add: %+v", ch)
	}
	if got := decide(); got != permission.Allow {
		t.Errorf("after the rule: %s, want allow", got)
	}
	if !s.namesWebHost("127.0.0.1") {
		t.Error("the fetcher does not see the new rule naming 127.0.0.1")
	}
	before, _ := os.ReadFile(ch.Path)
	for rule, want := range map[string]string{
		"WebFetch(127.0.0.1)": "write WebFetch(domain:example.com)",
		"WebSearch":           "Amazon Bedrock does not offer",
		"WebSearch(foo)":      "WebSearch is unavailable",
	} {
		ch := s.EditRules("allow", []string{rule}, nil)
		if ch.Err == nil || !strings.Contains(ch.Err.Error(), want) {
			t.Errorf("add %s: %v, want an error saying %q", rule, ch.Err, want)
		}
	}
	if after, _ := os.ReadFile(ch.Path); string(after) != string(before) {
		t.Errorf("refused rules changed the settings file:\n%s", after)
	}
}
