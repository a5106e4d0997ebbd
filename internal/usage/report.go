package usage

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/basalt-dev/basalt/internal/cost"
)

// Groupings are the values of `basalt usage --by`.
var Groupings = []string{"day", "model", "project", "user", "team"}

// Row is one group of records, or the total.
type Row struct {
	Key             string   `json:"key,omitempty"`
	Sessions        int      `json:"sessions"`
	Calls           int      `json:"calls"`
	InputTokens     int      `json:"input_tokens"`
	OutputTokens    int      `json:"output_tokens"`
	CacheReadTokens int      `json:"cache_read_tokens"`
	CacheWrite5mTok int      `json:"cache_write_5m_tokens"`
	CacheWrite1hTok int      `json:"cache_write_1h_tokens"`
	CacheHitRatio   float64  `json:"cache_hit_ratio"`
	CostUSD         *float64 `json:"cost_usd"` // null when a call was unpriced: a partial sum would be a wrong bill
	UnpricedCalls   int      `json:"unpriced_calls"`
	SavingsUSD      float64  `json:"cache_savings_usd"` // of the priced calls

	tokens   Tokens
	cost     float64
	sessions map[string]bool
}

func newRow(key string) *Row { return &Row{Key: key, sessions: map[string]bool{}} }

func (r *Row) add(rec Record) {
	r.sessions[rec.Session] = true
	r.Calls += rec.Calls
	r.UnpricedCalls += rec.UnpricedCalls
	r.tokens = r.tokens.add(rec.Tokens)
	r.cost += rec.CostUSD
	r.SavingsUSD += rec.SavingsUSD
}

func (r *Row) finish() {
	r.Sessions = len(r.sessions)
	t := r.tokens
	r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.CacheWrite5mTok, r.CacheWrite1hTok = t.Input, t.Output, t.CacheRead, t.CacheWrite5m, t.CacheWrite1h
	r.CacheHitRatio = round(t.CacheHitRatio(), 4)
	r.SavingsUSD = round(r.SavingsUSD, 6)
	if r.UnpricedCalls == 0 {
		usd := round(r.cost, 6)
		r.CostUSD = &usd
	}
}

// Cost is the row's cost for people: "$0.0123", or "unknown".
func (r *Row) Cost() string {
	if r.CostUSD == nil {
		return "unknown"
	}
	return dollars(*r.CostUSD)
}

// dollars formats an amount as cost.Cost does everywhere else in basalt.
func dollars(usd float64) string { return cost.Cost{USD: usd, Known: true}.String() }

func round(f float64, places int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', places, 64), 64)
	return v
}

// Report is the `basalt usage` document. Records are what it was made
// from, so that exports merge (`basalt usage a.json b.json`).
type Report struct {
	Since   *time.Time `json:"since"` // null: every stored session
	By      string     `json:"by"`
	Groups  []*Row     `json:"groups"`
	Total   *Row       `json:"total"`
	Records []Record   `json:"records"`
}

// Aggregate groups records by one of [Groupings].
func Aggregate(rs []Record, by string, since time.Time) *Report {
	rep := &Report{By: by, Groups: []*Row{}, Total: newRow(""), Records: rs}
	if rep.Records == nil {
		rep.Records = []Record{}
	}
	if !since.IsZero() {
		rep.Since = &since
	}
	groups := map[string]*Row{}
	for _, r := range rs {
		key := KeyOf(r, by)
		g := groups[key]
		if g == nil {
			g = newRow(key)
			groups[key] = g
			rep.Groups = append(rep.Groups, g)
		}
		g.add(r)
		rep.Total.add(r)
	}
	slices.SortFunc(rep.Groups, func(a, b *Row) int { return strings.Compare(a.Key, b.Key) })
	for _, g := range rep.Groups {
		g.finish()
	}
	rep.Total.finish()
	return rep
}

// KeyOf is the group a record falls in.
func KeyOf(r Record, by string) string {
	switch by {
	case "model":
		return r.Model
	case "project":
		return r.Project
	case "user":
		return cmp.Or(r.User, "(unknown user)")
	case "team":
		return cmp.Or(r.Team, "(no team label)")
	default:
		return r.Day
	}
}

// WriteText prints the report as a table with a total line.
func (rep *Report) WriteText(w io.Writer) error {
	if rep.Total.Calls == 0 {
		if rep.Since != nil {
			_, err := fmt.Fprintf(w, "No API calls recorded since %s.\n", rep.Since.Local().Format("2006-01-02 15:04"))
			return err
		}
		_, err := fmt.Fprintln(w, "No API calls recorded yet: sessions are counted once `basalt` or `basalt -p` has run.")
		return err
	}
	// Numbers align right; keys are padded here so they read left-aligned.
	width := len("total")
	for _, g := range rep.Groups {
		width = max(width, len(g.Key))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tsessions\tcalls\tinput\toutput\tcache read\twrite 5m\twrite 1h\tcache hit\tcost\t\n", width, rep.By)
	row := func(r *Row, key string) {
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f%%\t%s\t\n", width, key, r.Sessions, r.Calls,
			r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.CacheWrite5mTok, r.CacheWrite1hTok,
			100*r.CacheHitRatio, r.Cost())
	}
	for _, g := range rep.Groups {
		row(g, g.Key)
	}
	row(rep.Total, "total")
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := rep.Total.UnpricedCalls; n > 0 {
		fmt.Fprintf(w, "cost unknown: %d %s made with a model whose price basalt does not know; its tokens are counted\n",
			n, map[bool]string{true: "call was", false: "calls were"}[n == 1])
	}
	return nil
}
