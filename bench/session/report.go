package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/cost"
)

// figures is one client's column of the table.
type figures struct {
	label   string
	version string // the client's --version line
	outcome string // what run.sh found after the session, e.g. "test passes"
	meas    measurement
	reqs    []request
	prompts bool // the proxy captured the bodies, so the ideal is known

	count, refused [4]int // by kind
	mainModels     []string
	mainMaxTokens  []int
	tools          int // tools offered on main turns (the most seen)

	bytes, mainBytes           int
	uncached, write, read, out int
	cost, mainCost             cost.Cost
	ideal                      cost.Cost
	alreadySent, mismatches    int
	firstReq, firstMain        time.Duration
	reported                   *float64 // the cost the client itself printed
	unpriced                   []string // models billed tokens the catalog has no price for

	// Every repetition of the run, this one included, sorted by wall
	// time; the table shows the median one and the range.
	repeats []*figures
}

// loadMedian loads each directory of one client and returns the run with
// the median wall time: a single run of a 1-second client on a 2-core
// machine is at the mercy of the scheduler.
func loadMedian(label string, dirs []string) (*figures, error) {
	var all []*figures
	for _, d := range dirs {
		f, err := loadFigures(label, d)
		if err != nil {
			return nil, err
		}
		all = append(all, f)
	}
	slices.SortFunc(all, func(a, b *figures) int { return cmp.Compare(a.meas.WallMS, b.meas.WallMS) })
	mid := all[(len(all)-1)/2]
	mid.repeats = all
	return mid, nil
}

// spread is " (median of N: lo–hi)" over the repetitions, "" for one run.
func (f *figures) spread(get func(*figures) float64, format func(float64) string) string {
	if len(f.repeats) < 2 {
		return ""
	}
	lo, hi := get(f.repeats[0]), get(f.repeats[0])
	for _, r := range f.repeats {
		lo, hi = min(lo, get(r)), max(hi, get(r))
	}
	return fmt.Sprintf(" (median of %d: %s–%s)", len(f.repeats), format(lo), format(hi))
}

// loadFigures reads one run directory written by run.sh.
func loadFigures(label, dir string) (*figures, error) {
	f := &figures{label: label, version: readText(dir, "version.txt"), outcome: readText(dir, "outcome.txt")}
	if err := readJSON(dir+"/measure.json", &f.meas); err != nil {
		return nil, err
	}
	reqs, prompts, err := loadRequests(dir)
	if err != nil {
		return nil, err
	}
	f.reqs, f.prompts = reqs, prompts
	var result struct {
		TotalCostUSD *float64 `json:"total_cost_usd"`
	}
	if readJSON(dir+"/result.json", &result) == nil {
		f.reported = result.TotalCostUSD
	}

	f.cost.Known, f.mainCost.Known = true, true
	for _, r := range reqs {
		f.count[r.kind]++
		if !r.ok() {
			f.refused[r.kind]++
		}
		f.bytes += r.RequestBytes
		f.uncached += r.InputTokens
		f.write += r.CacheCreationInputTokens
		f.read += r.CacheReadInputTokens
		f.out += r.OutputTokens
		c := cost.Cost{Known: true} // a listing, or a call refused before the model ran: free
		if r.invoke() && r.promptTokens()+r.OutputTokens > 0 {
			c = cost.Of(r.catalogModel(), r.Model, r.usage())
			if !c.Known && !slices.Contains(f.unpriced, r.Model) {
				f.unpriced = append(f.unpriced, r.Model)
			}
		}
		f.cost = f.cost.Add(c)
		since := r.Time.Sub(f.meas.Start)
		if f.firstReq == 0 || since < f.firstReq {
			f.firstReq = since
		}
		if r.kind != kindMain {
			continue
		}
		if f.firstMain == 0 || since < f.firstMain {
			f.firstMain = since
		}
		f.mainBytes += r.RequestBytes
		f.mainCost = f.mainCost.Add(c)
		f.tools = max(f.tools, r.tools)
		if !slices.Contains(f.mainModels, r.Model) {
			f.mainModels = append(f.mainModels, r.Model)
		}
		if !slices.Contains(f.mainMaxTokens, r.MaxTokens) {
			f.mainMaxTokens = append(f.mainMaxTokens, r.MaxTokens)
		}
	}
	if prompts {
		f.ideal, f.alreadySent, f.mismatches = idealOf(reqs)
	}
	return f, nil
}

func (f *figures) prompt() int { return f.uncached + f.write + f.read }

// costOverIdeal is cost ÷ ideal, 0 when either is unknown.
func (f *figures) costOverIdeal() float64 {
	if !f.prompts || !f.cost.Known || !f.ideal.Known || f.ideal.USD == 0 {
		return 0
	}
	return f.cost.USD / f.ideal.USD
}

// row is one line of the table: a label, one cell per client, and, when
// there are two clients, their ratio and the target it is held to.
type row struct {
	name   string
	cells  func(*figures) string
	ratio  func(a, b *figures) (float64, bool) // basalt ÷ other
	target string                              // e.g. "≤ 0.20"
	meets  func(r float64) bool
	// own, when set, judges the target on the first client's own figure
	// rather than on the ratio (the caching target).
	own func(f *figures) (met, known bool)
}

func runReport(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	detail := fs.Bool("requests", false, "also list every request of every run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("report: usage: report [--requests] LABEL=DIR[,DIR…] [LABEL=DIR[,DIR…]]")
	}
	var runs []*figures
	for _, a := range fs.Args() {
		label, dirs, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("report: %q is not LABEL=DIR[,DIR…]", a)
		}
		f, err := loadMedian(label, strings.Split(dirs, ","))
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		runs = append(runs, f)
	}
	printTable(stdout, runs)
	if *detail {
		for _, f := range runs {
			printRequests(stdout, f)
		}
	}
	return nil
}

func printTable(w io.Writer, runs []*figures) {
	pair := len(runs) == 2
	ratioOf := func(get func(*figures) float64) func(a, b *figures) (float64, bool) {
		return func(a, b *figures) (float64, bool) {
			x, y := get(a), get(b)
			if y == 0 {
				return 0, false
			}
			return x / y, true
		}
	}
	atMost := func(limit float64) func(float64) bool { return func(r float64) bool { return r <= limit } }

	rows := []row{
		{name: "client", cells: func(f *figures) string { return f.version }},
		{name: "model of the main turns", cells: func(f *figures) string {
			return fmt.Sprintf("%s (max_tokens %s)", strings.Join(f.mainModels, ", "), joinInts(f.mainMaxTokens))
		}},
		{name: "outcome", cells: func(f *figures) string {
			return fmt.Sprintf("%s; exit %d", f.outcome, f.meas.ExitCode)
		}},
		{name: "wall time", cells: func(f *figures) string {
			wall := func(f *figures) float64 { return f.meas.WallMS }
			return seconds(f.meas.WallMS) + f.spread(wall, func(v float64) string { return fmt.Sprintf("%.2f", v/1000) })
		},
			ratio: ratioOf(func(f *figures) float64 { return f.meas.WallMS }), target: "≤ 0.20", meets: atMost(0.2)},
		{name: "time to the first request", cells: func(f *figures) string { return millis(f.firstReq) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.firstReq) })},
		{name: "time to the first main turn", cells: func(f *figures) string { return millis(f.firstMain) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.firstMain) })},
		{name: "peak RSS", cells: func(f *figures) string {
			rss := func(f *figures) float64 { return float64(f.meas.MaxRSSKB) / 1024 }
			return fmt.Sprintf("%.1f MiB", rss(f)) + f.spread(rss, func(v float64) string { return fmt.Sprintf("%.1f", v) })
		},
			ratio: ratioOf(func(f *figures) float64 { return float64(f.meas.MaxRSSKB) }), target: "≤ 0.167", meets: atMost(1.0 / 6)},
		{name: "CPU time (user + sys)", cells: func(f *figures) string { return seconds(f.meas.UserMS + f.meas.SysMS) },
			ratio: ratioOf(func(f *figures) float64 { return f.meas.UserMS + f.meas.SysMS })},
		{name: "requests: main turns", cells: func(f *figures) string { return countCell(f, kindMain) }},
		{name: "requests: side (no tools)", cells: func(f *figures) string { return countCell(f, kindSide) }},
		{name: "requests: access checks (max_tokens 1)", cells: func(f *figures) string { return countCell(f, kindCheck) }},
		{name: "requests: other (profiles, count-tokens)", cells: func(f *figures) string { return countCell(f, kindControl) }},
		{name: "tools offered", cells: func(f *figures) string { return fmt.Sprint(f.tools) }},
		{name: "request bytes", cells: func(f *figures) string { return thousands(f.bytes) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.bytes) })},
		{name: "request bytes, main turns", cells: func(f *figures) string { return thousands(f.mainBytes) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.mainBytes) })},
		{name: "prompt tokens", cells: func(f *figures) string { return thousands(f.prompt()) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.prompt()) })},
		{name: "· cache read", cells: func(f *figures) string { return thousands(f.read) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.read) })},
		{name: "· cache write (5 min)", cells: func(f *figures) string { return thousands(f.write) },
			ratio: ratioOf(func(f *figures) float64 { return float64(f.write) })},
		{name: "· uncached", cells: func(f *figures) string { return thousands(f.uncached) }},
		{name: "output tokens", cells: func(f *figures) string { return thousands(f.out) }},
		{name: "cost (Bedrock prices, from the ledger)", cells: func(f *figures) string { return f.cost.String() },
			ratio: ratioOf(func(f *figures) float64 { return f.cost.USD }), target: "≤ 0.6", meets: atMost(0.6)},
		{name: "· of which main turns", cells: func(f *figures) string { return f.mainCost.String() }},
		{name: "cost the client reported", cells: func(f *figures) string {
			if f.reported == nil {
				return "—"
			}
			return cost.Cost{USD: *f.reported, Known: true}.String()
		}},
		{name: "ideal cost (see ideal.go)", cells: func(f *figures) string {
			if !f.prompts {
				return "unknown (no bodies)"
			}
			return f.ideal.String()
		}},
		{name: "cost ÷ ideal", cells: func(f *figures) string {
			r := f.costOverIdeal()
			if r == 0 {
				return "—"
			}
			return fmt.Sprintf("%.4f (ideal ÷ cost %.4f)", r, 1/r)
		}, target: runs[0].label + " ≤ 1.0101", own: func(f *figures) (bool, bool) {
			r := f.costOverIdeal()
			return r != 0 && 1/r >= 0.99, r != 0
		}},
		{name: "cache reads ÷ tokens already sent", cells: func(f *figures) string {
			if !f.prompts || f.alreadySent == 0 {
				return "—"
			}
			return fmt.Sprintf("%.4f", float64(f.read)/float64(f.alreadySent))
		}},
	}

	header := []string{""}
	for _, f := range runs {
		header = append(header, f.label)
	}
	if pair {
		header = append(header, runs[0].label+" ÷ "+runs[1].label)
	}
	header = append(header, "target")
	fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	fmt.Fprintln(w, "|"+strings.Join(sep, "|")+"|")
	for _, r := range rows {
		cells := []string{r.name}
		for _, f := range runs {
			cells = append(cells, r.cells(f))
		}
		target := r.target
		if pair && r.ratio != nil {
			ratio := ""
			if x, ok := r.ratio(runs[0], runs[1]); ok {
				ratio = fmt.Sprintf("%.3f", x)
				if r.meets != nil {
					target += mark(r.meets(x))
				}
			}
			cells = append(cells, ratio)
		} else if pair {
			cells = append(cells, "")
		}
		if r.own != nil {
			if met, known := r.own(runs[0]); known {
				target += mark(met)
			}
		}
		if !pair && r.own == nil {
			target = "" // a ratio target needs the other client
		}
		cells = append(cells, target)
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
	for _, f := range runs {
		for _, r := range f.repeats {
			if r.outcome != f.outcome || r.meas.ExitCode != f.meas.ExitCode {
				fmt.Fprintf(w, "\nwarning: %s: a repetition ended differently: %s; exit %d\n", f.label, r.outcome, r.meas.ExitCode)
			}
		}
		for _, r := range f.repeats {
			if r.prompt() != f.prompt() || r.out != f.out || len(r.reqs) != len(f.reqs) {
				fmt.Fprintf(w, "\nwarning: %s: the repetitions differ in requests or tokens (%d requests and %d prompt tokens against %d and %d); the table shows the median-time one\n",
					f.label, len(r.reqs), r.prompt(), len(f.reqs), f.prompt())
				break
			}
		}
		if f.mismatches > 0 {
			fmt.Fprintf(w, "\nwarning: %s: %d request(s) whose prompt, split into the emulator's blocks, does not add up to the ledger's tokens; the ideal is approximate\n", f.label, f.mismatches)
		}
		if !f.cost.Known {
			fmt.Fprintf(w, "\nwarning: %s: the catalog has no price for %s; the cost is a lower bound\n", f.label, strings.Join(f.unpriced, ", "))
		}
	}
}

func mark(met bool) string {
	if met {
		return " ✓"
	}
	return " ✗"
}

// countCell is "N" or "N (M refused)".
func countCell(f *figures, k kind) string {
	if f.refused[k] > 0 {
		return fmt.Sprintf("%d (%d refused)", f.count[k], f.refused[k])
	}
	return fmt.Sprint(f.count[k])
}

// printRequests lists one run's requests: what the table adds up.
func printRequests(w io.Writer, f *figures) {
	names := [...]string{kindMain: "main", kindSide: "side", kindCheck: "check", kindControl: "other"}
	fmt.Fprintf(w, "\n%s: %d requests\n", f.label, len(f.reqs))
	fmt.Fprintf(w, "  %7s %-5s %3s %-45s %5s %7s %6s %6s %6s %4s %3s %6s %6s\n",
		"ms", "kind", "st", "model", "max", "bytes", "uncach", "write", "read", "out", "bp", "P", "W")
	for _, r := range f.reqs {
		fmt.Fprintf(w, "  %7.1f %-5s %3d %-45s %5d %7d %6d %6d %6d %4d %3d %6d %6d\n",
			ms(r.Time.Sub(f.meas.Start)), names[r.kind], r.Status, r.Model, r.MaxTokens, r.RequestBytes,
			r.InputTokens, r.CacheCreationInputTokens, r.CacheReadInputTokens, r.OutputTokens, r.Breakpoints,
			r.sentBefore, r.readLater)
	}
}

func seconds(msec float64) string { return fmt.Sprintf("%.2f s", msec/1000) }

func millis(d time.Duration) string { return fmt.Sprintf("%.0f ms", ms(d)) }

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// thousands formats n with thin commas: 254,914.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
