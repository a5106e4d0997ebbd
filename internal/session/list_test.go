package session

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestListAll(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	clk := &clock{t: t0}
	api := NewStore(state, "/home/ana/src/api")
	api.now = clk.Now
	web := NewStore(state, "/home/ana/src/web")
	web.now = clk.Now

	long := strings.Repeat("please refactor   the\nparser ", 10)
	sonnet := "global.anthropic.claude-sonnet-4-6"
	haiku := "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	day2 := t0.AddDate(0, 0, 1)
	apiID := create(t, api, Meta{Model: sonnet},
		user(1, `{"role":"user","content":[{"type":"text","text":"`+strings.ReplaceAll(long, "\n", `\n`)+`"}]}`),
		Entry{Type: TypeNotice, Time: t0, Text: "title", Model: haiku, Usage: &cost.Usage{InputTokens: 100, OutputTokens: 10}, CostUSD: ptr(0.000165)},
		Entry{Type: TypeAssistant, Turn: 1, Time: t0, Message: []byte(a1), Usage: &cost.Usage{InputTokens: 1000, OutputTokens: 100}, CostUSD: ptr(0.0045)},
		Entry{Type: TypeAssistant, Turn: 2, Time: day2, Model: "global.anthropic.claude-opus-4-6-v1", Message: []byte(a2), Usage: &cost.Usage{CacheRead: 4000}, CostUSD: ptr(0.002)},
	)
	webID := create(t, web, Meta{Model: "us.anthropic.claude-next"},
		user(1, `{"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":"not a prompt"}]}`),
		user(1, `{"role":"user","content":"hello"}`),
		Entry{Type: TypeAssistant, Turn: 1, Time: day2, Message: []byte(a1), Usage: &cost.Usage{InputTokens: 7}}, // no price known
	)
	setMod(t, api, apiID, day2)
	setMod(t, web, webID, day2.Add(time.Hour))
	// Not a project directory, and a corrupt transcript: listed with Err.
	if err := os.WriteFile(state+"/projects/stray.jsonl", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(api.Dir()+"/20200101T000000-000000.jsonl", []byte("{bad\n{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	setMod(t, api, "20200101T000000-000000", old)

	got, err := ListAll(state)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].Err == nil || !strings.Contains(got[2].Err.Error(), ":1: corrupt entry") {
		t.Fatalf("got %d summaries (last: %+v), want 3 with the corrupt one last and its Err set", len(got), got[len(got)-1])
	}
	want := []Summary{
		{
			ID: webID, Path: web.path(webID), ProjectRoot: "/home/ana/src/web", ProjectKey: "-home-ana-src-web",
			Created: t0.Add(3 * time.Second), Updated: day2.Add(time.Hour), FirstPrompt: "hello", Turns: 1,
			Model: "us.anthropic.claude-next", Usage: cost.Usage{InputTokens: 7}, Cost: cost.Cost{},
			Calls: []Call{{Time: day2, Model: "us.anthropic.claude-next", Usage: cost.Usage{InputTokens: 7}}},
		},
		{
			ID: apiID, Path: api.path(apiID), ProjectRoot: "/home/ana/src/api", ProjectKey: "-home-ana-src-api",
			Created: t0.Add(time.Second), Updated: day2,
			FirstPrompt: "please refactor the parser please refactor the parser please refactor the parse…",
			Turns:       2, Model: sonnet,
			Usage: cost.Usage{InputTokens: 1100, OutputTokens: 110, CacheRead: 4000},
			Cost:  cost.Cost{USD: 0.006665, Known: true},
			Calls: []Call{
				{Time: t0, Model: haiku, Usage: cost.Usage{InputTokens: 100, OutputTokens: 10}, Cost: cost.Cost{USD: 0.000165, Known: true}},
				{Time: t0, Model: sonnet, Usage: cost.Usage{InputTokens: 1000, OutputTokens: 100}, Cost: cost.Cost{USD: 0.0045, Known: true}},
				{Time: day2, Model: "global.anthropic.claude-opus-4-6-v1", Usage: cost.Usage{CacheRead: 4000}, Cost: cost.Cost{USD: 0.002, Known: true}},
			},
		},
	}
	if diff := cmp.Diff(want, got[:2], cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if n := len([]rune(got[1].FirstPrompt)); n != 80 {
		t.Errorf("first prompt is %d characters, want 80", n)
	}

	// List sees one project only.
	list, err := web.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != webID {
		t.Errorf("web.List() = %+v, want the web session alone", list)
	}

	if got, err := ListAll(t.TempDir()); err != nil || len(got) != 0 {
		t.Errorf("ListAll of an empty state dir = %v, %v; want nothing", got, err)
	}
}

// TestListCountsPrompts: the agent writes no turn numbers, so the turns
// of a session are its prompts; tool results are not prompts.
func TestListCountsPrompts(t *testing.T) {
	t.Parallel()
	st := NewStore(t.TempDir(), "/home/ana/src/api")
	st.now = (&clock{t: t0}).Now
	id := create(t, st, Meta{},
		user(0, `{"role":"user","content":[{"type":"text","text":"first"}]}`),
		Entry{Type: TypeAssistant, Time: t0, Message: []byte(a1)},
		user(0, `{"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":"out"}]}`),
		user(0, `{"role":"user","content":"second"}`),
	)
	empty := create(t, st, Meta{})
	list, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	turns := map[string]int{}
	for _, s := range list {
		turns[s.ID] = s.Turns
	}
	if turns[id] != 2 || turns[empty] != 0 {
		t.Errorf("turns %v, want 2 for %s and 0 for the empty %s", turns, id, empty)
	}
}
