package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/usage"
)

type usageOptions struct {
	Since  string
	By     string
	JSON   bool
	HTML   bool
	Out    string
	NoOpen bool
	// Files are `basalt usage --json` exports to merge instead of this
	// machine's transcripts.
	Files []string
	// Now is the reference time of relative --since values; tests fix it.
	Now func() time.Time
}

func newUsageCmd(app *App, runF func(context.Context, *App, *usageOptions) error) *cobra.Command {
	opts := &usageOptions{Now: time.Now}
	cmd := &cobra.Command{
		Use:   "usage [EXPORT.json ...]",
		Short: "Tokens and cost from stored sessions, as a table, JSON or an HTML report",
		Long: `Add up the tokens and cost of every API call recorded in the stored
session transcripts (all projects), grouped by day, model, project, user or
team, with totals. Tokens are counted by how they are billed: uncached
input, output, cache reads, and cache writes with the 5-minute and the
1-hour TTL. The cache-hit ratio is the share of input read from the cache;
cache savings are what the same calls would have cost with every input
token billed as uncached, minus what they cost.

A cost is shown only when every call in the row had a known price;
otherwise it is "unknown" (a partial sum would be a wrong bill).

--by user groups by the user.email (or user.id, enduser.id, user.name)
label of OTEL_RESOURCE_ATTRIBUTES when the session was run, else the login
name; --by team by its team.id (or team.name, team, department) label.
basalt records these labels in every transcript, whether telemetry is on
or not.

--json prints the groups and the records they were made from. Given
export files as arguments, basalt reads those instead of this machine's
transcripts, so a lead can merge several engineers' exports into one
report:

  basalt usage --html --by team alice.json bob.json --out month.html

--html writes one self-contained page (inline SVG charts, no network):
cost per day stacked by model, cache savings and cache-hit ratio per day,
tokens by kind, the most expensive sessions with their project and first
prompt. Without --out it goes to a file in the temporary directory; the
page opens in the browser when a display is available (not with --no-open
or --out -).

--since takes a date (2026-01-31, local midnight) or a duration back from
now: 7d, 2w, 12h, 90m. Exports keep days, not times, so with export files
--since counts whole days.`,
		Example: `  basalt usage                       by day, every stored session
  basalt usage --since 7d --by model the last week, by model
  basalt usage --by project --json   one JSON object, with its records
  basalt usage --html --since 30d    the last month as a page in the browser
  basalt usage --by team --html --out team.html a.json b.json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(usage.Groupings, opts.By) {
				return usageErrorf("", "--by %q: want one of %s", opts.By, strings.Join(usage.Groupings, ", "))
			}
			if opts.JSON && opts.HTML {
				return usageErrorf("", "--json and --html: choose one")
			}
			if opts.Out != "" && !opts.HTML {
				return usageErrorf("", "--out is for --html")
			}
			if len(args) > 0 {
				opts.Files = args
			}
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runUsage(cmd.Context(), app, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Since, "since", "", "only calls from this `DATE` (YYYY-MM-DD) or this long ago (7d, 12h)")
	f.StringVar(&opts.By, "by", "day", "group by "+strings.Join(usage.Groupings, ", "))
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object: the groups, the total and the records (mergeable)")
	f.BoolVar(&opts.HTML, "html", false, "write a self-contained HTML report with charts")
	f.StringVar(&opts.Out, "out", "", "write the HTML report to `FILE` (- for standard output)")
	f.BoolVar(&opts.NoOpen, "no-open", false, "do not open the HTML report in the browser")
	_ = cmd.RegisterFlagCompletionFunc("by", fixedCompletion(usage.Groupings))
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
	var records []usage.Record
	if len(opts.Files) > 0 {
		rs, err := usage.ReadExports(opts.Files)
		if err != nil {
			return &UsageError{Err: err, Hint: "give files written by `basalt usage --json > FILE`"}
		}
		records = usage.Since(rs, since)
	} else {
		// Usage reads the transcripts only: no credential, no command, so
		// an untrusted folder's risky settings are simply left out.
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
		records = usage.FromSessions(sessions, since)
	}
	rep := usage.Aggregate(records, opts.By, since)
	switch {
	case opts.JSON:
		enc := json.NewEncoder(app.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case opts.HTML:
		return writeUsageHTML(app, rep, opts)
	}
	return rep.WriteText(app.IO.Out)
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
