package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/session"
)

// usageGroupings are the values of `basalt usage --by`.
var usageGroupings = []string{"day", "model", "project"}

type usageOptions struct {
	Since string
	By    string
	JSON  bool
	// Now is the reference time of relative --since values; tests fix it.
	Now func() time.Time
}

func newUsageCmd(app *App, runF func(context.Context, *App, *usageOptions) error) *cobra.Command {
	opts := &usageOptions{Now: time.Now}
	cmd := &cobra.Command{
		Use:   "usage",
		Short: "Tokens and cost from stored sessions, by day, model and project",
		Long: `Add up the tokens and cost of every API call recorded in the stored
session transcripts (all projects), grouped by day, model or project, with
totals. Tokens are counted by how they are billed: uncached input, output,
cache reads, and cache writes with the 5-minute and the 1-hour TTL. The
cache-hit ratio is the share of input read from the cache.

A cost is shown only when every call in the row had a known price;
otherwise it is "unknown" (a partial sum would be a wrong bill).

--since takes a date (2026-01-31, local midnight) or a duration back from
now: 7d, 2w, 12h, 90m.`,
		Example: `  basalt usage                       by day, every stored session
  basalt usage --since 7d --by model the last week, by model
  basalt usage --by project --json   one JSON object`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(usageGroupings, opts.By) {
				return usageErrorf("", "--by %q: want one of %s", opts.By, strings.Join(usageGroupings, ", "))
			}
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runUsage(cmd.Context(), app, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Since, "since", "", "only calls from this `DATE` (YYYY-MM-DD) or this long ago (7d, 12h)")
	f.StringVar(&opts.By, "by", "day", "group by "+strings.Join(usageGroupings, ", "))
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object")
	_ = cmd.RegisterFlagCompletionFunc("by", fixedCompletion(usageGroupings))
	return cmd
}

func runUsage(ctx context.Context, app *App, opts *usageOptions) error {
	var since time.Time
	if opts.Since != "" {
		t, err := parseSince(opts.Since, opts.Now())
		if err != nil {
			return &UsageError{Err: err, Hint: "for example: --since 2026-01-31 or --since 7d"}
		}
		since = t
	}
	// Usage reads the transcripts only: no credential, no command, so an
	// untrusted folder's risky settings are simply left out.
	app.allowUntrusted = true
	cfg, err := app.loadConfig(ctx)
	if err != nil {
		return err
	}
	sessions, err := session.ListAll(cfg.StateDir)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if s.Err != nil {
			fmt.Fprintf(app.IO.ErrOut, "basalt: warning: %s: counted up to a damaged line: %v\n", s.Path, s.Err)
		}
	}
	rep := aggregateUsage(sessions, opts.By, since)
	if opts.JSON {
		enc := json.NewEncoder(app.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	return rep.writeText(app.IO.Out)
}

// parseSince reads --since: a calendar date in local time, an RFC 3339
// time, or a duration back from now with d (days) and w (weeks) added to
// Go's units.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if n, unit := strings.TrimRight(s, "dw"), strings.TrimLeft(s, "0123456789"); n != s && (unit == "d" || unit == "w") {
		v, err := strconv.Atoi(n)
		if err == nil && v >= 0 {
			days := v
			if unit == "w" {
				days *= 7
			}
			return now.AddDate(0, 0, -days), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a date (YYYY-MM-DD) or a duration such as 7d, 2w or 12h", s)
}

// usageRow is one group of calls, or the total.
type usageRow struct {
	Key             string   `json:"key,omitempty"`
	Sessions        int      `json:"sessions"`
	Calls           int      `json:"calls"`
	InputTokens     int      `json:"input_tokens"`
	OutputTokens    int      `json:"output_tokens"`
	CacheReadTokens int      `json:"cache_read_tokens"`
	CacheWrite5mTok int      `json:"cache_write_5m_tokens"`
	CacheWrite1hTok int      `json:"cache_write_1h_tokens"`
	CacheHitRatio   float64  `json:"cache_hit_ratio"`
	CostUSD         *float64 `json:"cost_usd"` // null when unknown
	UnpricedCalls   int      `json:"unpriced_calls"`
	usage           cost.Usage
	cost            cost.Cost
	sessionsSeen    map[string]bool
}

func newUsageRow(key string) *usageRow {
	return &usageRow{Key: key, cost: cost.Cost{Known: true}, sessionsSeen: map[string]bool{}}
}

func (r *usageRow) add(sessionID string, c session.Call) {
	r.sessionsSeen[sessionID] = true
	r.Calls++
	r.usage = r.usage.Add(c.Usage)
	r.cost = r.cost.Add(c.Cost)
	if !c.Cost.Known {
		r.UnpricedCalls++
	}
}

// finish fills the exported fields from the sums.
func (r *usageRow) finish() {
	r.Sessions = len(r.sessionsSeen)
	r.InputTokens, r.OutputTokens = r.usage.InputTokens, r.usage.OutputTokens
	r.CacheReadTokens = r.usage.CacheRead
	r.CacheWrite5mTok, r.CacheWrite1hTok = r.usage.CacheWrite5m, r.usage.CacheWrite1h
	r.CacheHitRatio = round4(r.usage.CacheHitRatio())
	if r.cost.Known {
		usd := round6(r.cost.USD)
		r.CostUSD = &usd
	}
}

func round4(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 4, 64), 64)
	return v
}
func round6(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 6, 64), 64)
	return v
}

// usageReport is the `basalt usage` document.
type usageReport struct {
	Since  *time.Time  `json:"since"` // null: every stored session
	By     string      `json:"by"`
	Groups []*usageRow `json:"groups"`
	Total  *usageRow   `json:"total"`
}

// aggregateUsage groups the calls of sessions made at or after since.
// Days are local calendar days, the ones the user thinks in.
func aggregateUsage(sessions []session.Summary, by string, since time.Time) *usageReport {
	rep := &usageReport{By: by, Groups: []*usageRow{}, Total: newUsageRow("")}
	if !since.IsZero() {
		rep.Since = &since
	}
	groups := map[string]*usageRow{}
	for _, s := range sessions {
		for _, c := range s.Calls {
			if !since.IsZero() && c.Time.Before(since) {
				continue
			}
			var key string
			switch by {
			case "model":
				key = cmpOrStr(c.Model, "(unknown model)")
			case "project":
				key = cmpOrStr(s.ProjectRoot, s.ProjectKey)
			default:
				key = c.Time.Local().Format(time.DateOnly)
			}
			g := groups[key]
			if g == nil {
				g = newUsageRow(key)
				groups[key] = g
				rep.Groups = append(rep.Groups, g)
			}
			g.add(s.ID, c)
			rep.Total.add(s.ID, c)
		}
	}
	slices.SortFunc(rep.Groups, func(a, b *usageRow) int { return strings.Compare(a.Key, b.Key) })
	for _, g := range rep.Groups {
		g.finish()
	}
	rep.Total.finish()
	return rep
}

func cmpOrStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (rep *usageReport) writeText(w io.Writer) error {
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
	row := func(r *usageRow, key string) {
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f%%\t%s\t\n", width, key, r.Sessions, r.Calls,
			r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.CacheWrite5mTok, r.CacheWrite1hTok,
			100*r.CacheHitRatio, r.cost)
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
