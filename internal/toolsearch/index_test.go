package toolsearch

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNameTerms(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"mcp__github__create_issue": {"mcp", "github", "create", "issue"},
		"getHTTPResponse":           {"get", "http", "response"},
		"listPullRequests2":         {"list", "pull", "requests2"},
		"read-file.v2":              {"read", "file", "v2"},
		"NotebookEdit":              {"notebook", "edit"},
		"__":                        nil,
		"ÉtéCafé":                   {"été", "café"},
	} {
		if diff := cmp.Diff(want, nameTerms(in)); diff != "" {
			t.Errorf("nameTerms(%q) mismatch (-want +got):\n%s", in, diff)
		}
	}
}

var fixture = []Def{
	{Name: "mcp__slack__send_message", Description: "Send a message to a Slack channel."},
	{Name: "mcp__slack__read_channel", Description: "Read the recent messages of a channel."},
	{Name: "mcp__slack__list_channels", Description: "List the channels of the workspace."},
	{Name: "mcp__github__create_issue", Description: "Create an issue in a repository."},
	{Name: "mcp__github__list_issues", Description: "List the issues of a repository, filtered by state."},
	{Name: "mcp__github__createPullRequest", Description: "Open a pull request from a branch."},
	{Name: "mcp__linear__create_issue", Description: "Create a Linear issue in a team."},
	{Name: "mcp__filesystem__list_directory", Description: "List the entries of a directory."},
	{Name: "mcp__filesystem__read_file", Description: "Read a text file."},
	{Name: "NotebookEdit", Description: "Replace a cell of a Jupyter notebook."},
	{Name: "mcp__slack__send_message", Description: "A duplicate the index ignores."},
}

func names(defs []Def) []string {
	out := []string{}
	for _, d := range defs {
		out = append(out, d.Name)
	}
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	idx := New(fixture)
	for _, tc := range []struct {
		query string
		max   int
		want  []string
	}{
		{"select:mcp__github__create_issue", 0, []string{"mcp__github__create_issue"}},
		{"select:NotebookEdit, mcp__slack__read_channel", 0, []string{"NotebookEdit", "mcp__slack__read_channel"}},
		{"SELECT:notebookedit,missing,NotebookEdit", 0, []string{"NotebookEdit"}},
		{"select:a,b,c,mcp__filesystem__read_file,mcp__slack__list_channels", 1, []string{"mcp__filesystem__read_file", "mcp__slack__list_channels"}},
		{"select:", 0, []string{}},
		{"create issue", 0, []string{"mcp__github__create_issue", "mcp__linear__create_issue", "mcp__github__list_issues", "mcp__github__createPullRequest"}},
		{"+linear create issue", 0, []string{"mcp__linear__create_issue"}},
		// send_message says Slack in its description too.
		{"+slack", 0, []string{"mcp__slack__send_message", "mcp__slack__list_channels", "mcp__slack__read_channel"}},
		{"+slack send", 1, []string{"mcp__slack__send_message"}},
		{"+nosuch create", 0, []string{}},
		{"pull request", 0, []string{"mcp__github__createPullRequest"}},
		{"jupyter notebook", 0, []string{"NotebookEdit"}},
		{"list directory", 1, []string{"mcp__filesystem__list_directory"}},
		{"mcp__filesystem__read_file", 1, []string{"mcp__filesystem__read_file"}},
		{"dir", 0, []string{"mcp__filesystem__list_directory"}}, // prefix credit
		{"   ", 0, []string{}},
		{"zebra", 0, []string{}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			got := names(idx.Search(tc.query, tc.max))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Search(%q, %d) mismatch (-want +got):\n%s", tc.query, tc.max, diff)
			}
		})
	}
	if idx.Len() != 10 {
		t.Errorf("Len = %d, want 10 (the duplicate ignored)", idx.Len())
	}
	if d, _ := idx.Lookup("mcp__slack__send_message"); d.Description != fixture[0].Description {
		t.Errorf("the duplicate replaced the first definition")
	}
}

func TestSearchDefaultMaxAndOrder(t *testing.T) {
	t.Parallel()
	defs := synthetic(5, 20)
	idx := New(defs)
	got := idx.Search("list", 0)
	if len(got) != DefaultMax {
		t.Fatalf("got %d results, want %d", len(got), DefaultMax)
	}
	// The same query over the same tools in another order ranks alike.
	rev := make([]Def, len(defs))
	for i, d := range defs {
		rev[len(defs)-1-i] = d
	}
	if diff := cmp.Diff(names(got), names(New(rev).Search("list", 0))); diff != "" {
		t.Errorf("order depends on the input order (-want +got):\n%s", diff)
	}
}

func TestSearchFindsEverySyntheticToolByName(t *testing.T) {
	t.Parallel()
	defs := synthetic(5, 20)
	idx := New(defs)
	for _, d := range defs {
		terms := nameTerms(d.Name)[1:] // without "mcp"
		q := fmt.Sprint("+", terms[0])
		for _, t := range terms[1:] {
			q += " " + t
		}
		got := idx.Search(q, 3)
		if len(got) == 0 || got[0].Name != d.Name {
			t.Errorf("Search(%q) = %v, want %s first", q, names(got), d.Name)
		}
	}
}

// FuzzSearch checks that no query panics, that results come from the
// index without repeats, and that max is honoured outside select:.
func FuzzSearch(f *testing.F) {
	idx := New(append(fixture, synthetic(2, 20)...))
	for _, q := range []string{"create issue", "+slack", "select:a,,b", "++", "+", "ÉtéCafé", "select:NotebookEdit", "\x00"} {
		f.Add(q, 3)
	}
	f.Fuzz(func(t *testing.T, q string, max int) {
		got := idx.Search(q, max)
		seen := map[string]bool{}
		for _, d := range got {
			if _, ok := idx.Lookup(d.Name); !ok || seen[d.Name] {
				t.Fatalf("Search(%q) returned %q twice or from nowhere", q, d.Name)
			}
			seen[d.Name] = true
		}
		limit := max
		if limit <= 0 {
			limit = DefaultMax
		}
		if _, sel := cutPrefixFold(strings.TrimSpace(q), "select:"); !sel && len(got) > limit {
			t.Fatalf("Search(%q, %d) returned %d", q, max, len(got))
		}
	})
}
