package toolsearch

import (
	"fmt"
	"testing"
)

// BenchmarkSearch ranks 500 synthetic tools (25 servers × 20).
func BenchmarkSearch(b *testing.B) {
	idx := New(synthetic(25, 20))
	for _, q := range []string{"create issue", "+slack send message", "select:mcp__github__create_issue,mcp__slack__send_message", "dashboard alert incident"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(idx.Search(q, 5)) == 0 {
					b.Fatal("no result")
				}
			}
		})
	}
}

// BenchmarkNew builds the index of 500 synthetic tools.
func BenchmarkNew(b *testing.B) {
	defs := synthetic(25, 20)
	b.ReportAllocs()
	for b.Loop() {
		New(defs)
	}
}

// TestPromptSize measures what the fixed prompt carries for 0, 1 and 5
// servers of 20 tools: every definition, against the deferred summary
// plus the ToolSearch definition. Run with -v to see the figures.
func TestPromptSize(t *testing.T) {
	t.Parallel()
	search := Tool(New(nil), nil)
	searchDef := []Def{{Name: search.Name(), Description: search.Description(), Schema: search.InputSchema()}}
	for _, servers := range []int{0, 1, 5} {
		defs := synthetic(servers, 20)
		full := Bytes(defs)
		deferred := len(Summary(defs)) + Bytes(searchDef)
		if servers == 0 {
			deferred = 0
		}
		t.Logf("%d servers × 20 tools: full definitions %d bytes (~%d tokens); deferred summary + ToolSearch %d bytes (~%d tokens); defer by default: %v",
			servers, full, (full+3)/4, deferred, (deferred+3)/4, ShouldDefer(defs, 200_000))
		if servers == 5 && deferred*4 > full {
			t.Errorf("deferred listing (%d bytes) is not under a quarter of the definitions (%d bytes)", deferred, full)
		}
	}
}

func ExampleIndex_Search() {
	idx := New([]Def{
		{Name: "mcp__github__create_issue", Description: "Create an issue in a repository."},
		{Name: "mcp__linear__create_issue", Description: "Create a Linear issue."},
		{Name: "mcp__slack__send_message", Description: "Send a message to a channel."},
	})
	for _, q := range []string{"create issue", "+linear issue", "select:mcp__slack__send_message"} {
		fmt.Println(q, "→", names(idx.Search(q, 5)))
	}
	// Output:
	// create issue → [mcp__github__create_issue mcp__linear__create_issue]
	// +linear issue → [mcp__linear__create_issue]
	// select:mcp__slack__send_message → [mcp__slack__send_message]
}
