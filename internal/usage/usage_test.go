package usage

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/session"
)

const sonnet = "global.anthropic.claude-sonnet-4-6"

// sample is three engineers' sessions over three days, one call with a
// model basalt cannot price.
func sample() []session.Summary {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.Local) }
	u := func(in, out, read, w5 int) cost.Usage {
		return cost.Usage{InputTokens: in, OutputTokens: out, CacheRead: read, CacheWrite5m: w5}
	}
	c := func(usd float64) cost.Cost { return cost.Cost{USD: usd, Known: true} }
	return []session.Summary{
		{ID: "s-alice-1", ProjectRoot: "/src/api", FirstPrompt: "fix the <script> tag & the login", User: "alice",
			Labels: map[string]string{"team.id": "platform", "user.email": "alice@example.com"},
			Calls: []session.Call{
				{Time: day(1, 9), Model: sonnet, Usage: u(100, 50, 9000, 1000), Cost: c(0.02)},
				{Time: day(1, 10), Model: sonnet, Usage: u(10, 500, 10000, 0), Cost: c(0.0111)},
				{Time: day(3, 10), Model: sonnet, Usage: u(10, 20, 0, 0), Cost: c(0.0003)},
			}},
		{ID: "s-bob-1", ProjectRoot: "/src/web", FirstPrompt: "add a page", User: "bob",
			Labels: map[string]string{"team.id": "web"},
			Calls: []session.Call{
				{Time: day(2, 11), Model: sonnet, Usage: u(2000, 800, 0, 3000), Cost: c(0.0293)},
				{Time: day(2, 12), Model: "us.anthropic.claude-future-9", Usage: u(5, 5, 0, 0), Cost: cost.Cost{}},
			}},
		{ID: "s-carol-1", ProjectRoot: "/src/api", FirstPrompt: "review", User: "carol",
			Calls: []session.Call{{Time: day(3, 8), Model: sonnet, Usage: u(300, 100, 4000, 0), Cost: c(0.0036)}}},
	}
}

func TestAggregateByTeamAndUser(t *testing.T) {
	t.Parallel()
	rs := FromSessions(sample(), time.Time{})
	keys := func(by string) []string {
		var out []string
		for _, g := range Aggregate(rs, by, time.Time{}).Groups {
			out = append(out, g.Key)
		}
		return out
	}
	if diff := cmp.Diff([]string{"(no team label)", "platform", "web"}, keys("team")); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
	// The user.email label wins over the login name; without labels the
	// login name is the user.
	if diff := cmp.Diff([]string{"alice@example.com", "bob", "carol"}, keys("user")); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	rep := Aggregate(rs, "team", time.Time{})
	if rep.Total.CostUSD != nil {
		t.Errorf("total cost = %v, want unknown: one call was unpriced", *rep.Total.CostUSD)
	}
	if rep.Total.UnpricedCalls != 1 || rep.Total.Calls != 6 || rep.Total.Sessions != 3 {
		t.Errorf("total = %d calls, %d unpriced, %d sessions; want 6, 1, 3", rep.Total.Calls, rep.Total.UnpricedCalls, rep.Total.Sessions)
	}
	if g := rep.Groups[1]; g.Key != "platform" || g.CostUSD == nil || *g.CostUSD != 0.0314 {
		t.Errorf("platform = %+v, want cost 0.0314", g)
	}
	if rep.Total.SavingsUSD <= 0 {
		t.Errorf("savings = %v, want > 0: alice read 19000 tokens from the cache", rep.Total.SavingsUSD)
	}
}

// TestMergedExportsEqualLocalReport: the report of several --json
// exports is the report of all their sessions at once.
func TestMergedExportsEqualLocalReport(t *testing.T) {
	t.Parallel()
	all := sample()
	dir := t.TempDir()
	var files []string
	for _, s := range all {
		rep := Aggregate(FromSessions([]session.Summary{s}, time.Time{}), "day", time.Time{})
		data, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, s.User+".json")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	merged, err := ReadExports(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range Groupings {
		want := Aggregate(FromSessions(all, time.Time{}), by, time.Time{})
		got := Aggregate(merged, by, time.Time{})
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Row{})); diff != "" {
			t.Errorf("--by %s: merged report differs (-local +merged):\n%s", by, diff)
		}
	}
}

// TestOverlappingExports: an engineer's two exports of the same days
// count each call once, the later (larger) running total winning.
func TestOverlappingExports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	all := sample()
	early := all[0]
	early.Calls = early.Calls[:1] // exported after the first call
	write := func(name string, ss []session.Summary) string {
		data, err := json.Marshal(Aggregate(FromSessions(ss, time.Time{}), "day", time.Time{}))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rs, err := ReadExports([]string{write("early.json", []session.Summary{early}), write("all.json", all), write("again.json", all)})
	if err != nil {
		t.Fatal(err)
	}
	want := Aggregate(FromSessions(all, time.Time{}), "user", time.Time{})
	if diff := cmp.Diff(want.Total, Aggregate(rs, "user", time.Time{}).Total, cmpopts.IgnoreUnexported(Row{})); diff != "" {
		t.Errorf("overlapping exports counted twice (-want +got):\n%s", diff)
	}
}

func TestReadExportsErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct{ name, body, want string }{
		{"old.json", `{"by":"day","groups":[],"total":{}}`, `has no "records"`},
		{"text.json", `day  sessions`, "not a `basalt usage --json` export"},
		{"bad-day.json", `{"records":[{"day":"11/02/2026","session":"x","model":"m","calls":1}]}`, `record 1: day "11/02/2026"`},
		{"negative.json", `{"records":[{"day":"2026-11-02","session":"x","model":"m","calls":1,"tokens":{"input":-5}}]}`, "record 1: negative"},
		{"unpriced.json", `{"records":[{"day":"2026-11-02","session":"x","model":"m","calls":1,"unpriced_calls":2}]}`, "inconsistent"},
	}
	for _, tt := range tests {
		_, err := ReadExports([]string{write(tt.name, tt.body)})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("%s: error = %v, want one naming the file and %q", tt.name, err, tt.want)
		}
	}
}

func TestSinceKeepsWholeDays(t *testing.T) {
	t.Parallel()
	rs := FromSessions(sample(), time.Time{})
	got := Since(rs, time.Date(2026, 11, 2, 18, 0, 0, 0, time.Local))
	for _, r := range got {
		if r.Day < "2026-11-02" {
			t.Errorf("kept %s", r.Day)
		}
	}
	if len(got) != 4 || len(rs) != 5 {
		t.Errorf("Since kept %d of %d records, want 4 of 5 (and the input untouched)", len(got), len(rs))
	}
}

// TestHTMLNumbersMatchReport reads the numbers the page draws back from
// its data- attributes and compares them with the report.
func TestHTMLNumbersMatchReport(t *testing.T) {
	t.Parallel()
	rep := Aggregate(FromSessions(sample(), time.Time{}), "team", time.Time{})
	var page bytes.Buffer
	if err := rep.WriteHTML(&page, HTMLOptions{Generated: time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	checkPage(t, page.String(), rep)
}

func TestHTMLEmpty(t *testing.T) {
	t.Parallel()
	var page bytes.Buffer
	if err := Aggregate(nil, "day", time.Time{}).WriteHTML(&page, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "No API calls recorded") {
		t.Errorf("empty report page does not say so:\n%s", page.String())
	}
}
