package usage

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The page is written by hand, not with html/template: linking
// text/template switches off the linker's dead-code elimination and costs
// basalt megabytes and start-up time (bench/lean.md). Every value that
// comes from a transcript goes through esc.

// HTMLOptions are what the page says about itself.
type HTMLOptions struct {
	Title     string
	Generated time.Time
	Sources   []string // export files merged, or nil for this machine's transcripts
}

// csp forbids every fetch: the page is one file that works offline, and a
// browser refuses (and reports) anything that tries to load more.
const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:`

// palette colours the models in the stacked chart, in order of cost.
var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// WriteHTML writes the report as one self-contained page: totals, cost
// per day stacked by model, cache savings and cache-hit ratio per day,
// tokens by kind, the most expensive sessions and the grouped table.
// Every number drawn is also in a data- attribute, so a test can compare
// the page with `basalt usage --json`.
func (rep *Report) WriteHTML(w io.Writer, o HTMLOptions) error {
	var b strings.Builder
	title := cmp.Or(o.Title, "basalt usage")
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", csp)
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>%s</style></head><body>\n", esc(title), pageCSS)
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"sub\">%s</p>\n", esc(title), esc(subtitle(rep, o)))

	days := rep.days()
	writeTotals(&b, rep.Total)
	if rep.Total.Calls == 0 {
		b.WriteString("<p>No API calls recorded in this period.</p>\n</body></html>\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	section(&b, "Cost per day, by model", "Priced calls only; a day with unpriced calls is marked.")
	writeCostChart(&b, rep.Records, days)
	section(&b, "Cache savings per day", "What prompt caching saved: the same calls with every input token billed as uncached, minus what they cost.")
	writeSavingsChart(&b, rep.Records, days)
	section(&b, "Cache-hit ratio per day", "The share of input tokens read from the cache.")
	writeHitChart(&b, rep.Records, days)
	section(&b, "Tokens by kind", "")
	writeTokenBars(&b, rep.Total)
	section(&b, "Most expensive sessions", "")
	writeTopSessions(&b, rep.Records, 15)
	section(&b, "By "+rep.By, "")
	writeGroupTable(&b, rep)
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

const pageCSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem;margin:0} h2{font-size:1.15rem;margin:2rem 0 .2rem} .sub,.note{color:#666;margin:.2rem 0 .8rem}
.totals{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0} .totals div{border:1px solid #ddd;border-radius:8px;padding:.6rem 1rem;min-width:120px}
.totals b{display:block;font-size:1.3rem} table{border-collapse:collapse;width:100%} th,td{padding:.3rem .5rem;border-bottom:1px solid #eee;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.l,th.l{text-align:left} td.p{max-width:320px;text-align:left;color:#444} svg text{font-size:11px;fill:#555}
.legend span{display:inline-block;margin-right:1rem} .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
@media (prefers-color-scheme: dark){body{background:#161618;color:#eee}.totals div{border-color:#333}th,td{border-color:#2a2a2a}td.p{color:#bbb}svg text{fill:#aaa}}
`

func esc(s string) string { return html.EscapeString(s) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

func subtitle(rep *Report, o HTMLOptions) string {
	var parts []string
	if days := rep.days(); len(days) > 0 {
		parts = append(parts, days[0]+" to "+days[len(days)-1])
	}
	if rep.Since != nil {
		parts = append(parts, "since "+rep.Since.Local().Format("2006-01-02 15:04"))
	}
	if len(o.Sources) > 0 {
		parts = append(parts, fmt.Sprintf("merged from %d exports", len(o.Sources)))
	} else {
		parts = append(parts, "this machine's sessions")
	}
	if !o.Generated.IsZero() {
		parts = append(parts, "made "+o.Generated.Local().Format("2006-01-02 15:04"))
	}
	return strings.Join(parts, " · ")
}

func section(b *strings.Builder, title, note string) {
	fmt.Fprintf(b, "<h2>%s</h2>\n", esc(title))
	if note != "" {
		fmt.Fprintf(b, "<p class=\"note\">%s</p>\n", esc(note))
	}
}

func writeTotals(b *strings.Builder, t *Row) {
	cost := dollars(t.cost) + " + unknown"
	attr := ""
	if t.CostUSD != nil {
		cost, attr = dollars(*t.CostUSD), num(*t.CostUSD)
	}
	fmt.Fprintf(b, "<div class=\"totals\" id=\"totals\" data-cost=\"%s\" data-calls=\"%d\" data-sessions=\"%d\" data-hit=\"%s\" data-savings=\"%s\">\n",
		attr, t.Calls, t.Sessions, num(t.CacheHitRatio), num(t.SavingsUSD))
	fmt.Fprintf(b, "<div>cost<b>%s</b></div><div>cache savings<b>%s</b></div><div>cache hit<b>%.1f%%</b></div><div>sessions<b>%d</b></div><div>API calls<b>%d</b></div>\n",
		esc(cost), esc(dollars(t.SavingsUSD)), 100*t.CacheHitRatio, t.Sessions, t.Calls)
	b.WriteString("</div>\n")
	if t.UnpricedCalls > 0 {
		fmt.Fprintf(b, "<p class=\"note\">%s used a model whose price basalt does not know: the tokens are counted, the cost is not.</p>\n", plural(t.UnpricedCalls, "call", "calls"))
	}
}

// days lists every calendar day from the first record's to the last's,
// so gaps show as gaps.
func (rep *Report) days() []string {
	if len(rep.Records) == 0 {
		return nil
	}
	first, last := rep.Records[0].Day, rep.Records[0].Day
	for _, r := range rep.Records {
		first, last = min(first, r.Day), max(last, r.Day)
	}
	t0, err0 := time.Parse(time.DateOnly, first)
	t1, err1 := time.Parse(time.DateOnly, last)
	if err0 != nil || err1 != nil {
		return []string{first, last}
	}
	var out []string
	for t := t0; !t.After(t1) && len(out) < 1000; t = t.AddDate(0, 0, 1) {
		out = append(out, t.Format(time.DateOnly))
	}
	return out
}

// chart geometry, in SVG units.
const (
	chartW, chartH = 960, 240
	padL, padB     = 64, 28
	padT           = 10
)

// frame draws the axes and horizontal grid for values up to top, and
// returns the scale from a value to a height.
func frame(b *strings.Builder, top float64, label func(float64) string) func(float64) float64 {
	plotH := float64(chartH - padB - padT)
	if top <= 0 {
		top = 1
	}
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		y := float64(chartH-padB) - plotH*float64(i)/4
		fmt.Fprintf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#8884\"/>", padL, chartW, y, y)
		fmt.Fprintf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", padL-6, y+4, esc(label(v)))
	}
	return func(v float64) float64 { return plotH * v / top }
}

// dayAxis places n days along the x axis and labels some of them.
func dayAxis(b *strings.Builder, days []string) (x func(i int) float64, barW float64) {
	slot := float64(chartW-padL) / float64(len(days))
	barW = math.Max(1, slot*0.7)
	step := max(1, len(days)/10)
	for i := 0; i < len(days); i += step {
		fmt.Fprintf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", float64(padL)+slot*(float64(i)+0.5), chartH-8, esc(days[i][5:]))
	}
	b.WriteString("\n")
	return func(i int) float64 { return float64(padL) + slot*float64(i) + (slot-barW)/2 }, barW
}

// niceTop rounds a chart's maximum up to 1, 2 or 5 times a power of ten.
func niceTop(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func openSVG(b *strings.Builder, id, label string) {
	fmt.Fprintf(b, "<svg id=\"%s\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"%s\">\n", id, chartW, chartH, esc(label))
}

func writeCostChart(b *strings.Builder, rs []Record, days []string) {
	type key struct{ day, model string }
	cost := map[key]float64{}
	perModel := map[string]float64{}
	perDay := map[string]float64{}
	unpriced := map[string]int{}
	unpricedModel := map[string]bool{}
	for _, r := range rs {
		unpricedModel[r.Model] = unpricedModel[r.Model] || r.UnpricedCalls == r.Calls
		cost[key{r.Day, r.Model}] += r.CostUSD
		perModel[r.Model] += r.CostUSD
		perDay[r.Day] += r.CostUSD
		unpriced[r.Day] += r.UnpricedCalls
	}
	models := make([]string, 0, len(perModel))
	for m := range perModel {
		models = append(models, m)
	}
	slices.SortFunc(models, func(a, c string) int {
		return cmp.Or(cmp.Compare(perModel[c], perModel[a]), strings.Compare(a, c))
	})
	top := 0.0
	for _, v := range perDay {
		top = max(top, v)
	}
	top = niceTop(top)
	openSVG(b, "cost-chart", "cost per day, stacked by model")
	h := frame(b, top, dollars)
	x, barW := dayAxis(b, days)
	for i, d := range days {
		y := float64(chartH - padB)
		for mi, m := range models {
			v, ok := cost[key{d, m}]
			if !ok {
				continue
			}
			hh := h(v)
			y -= hh
			fmt.Fprintf(b, "<rect class=\"cost\" data-day=\"%s\" data-model=\"%s\" data-cost=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>\n",
				d, esc(m), num(v), x(i), y, barW, hh, palette[mi%len(palette)], d, esc(m), dollars(v))
		}
		if unpriced[d] > 0 {
			fmt.Fprintf(b, "<text class=\"unpriced\" data-day=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">?<title>%d unpriced calls</title></text>\n", d, x(i)+barW/2, y-3, unpriced[d])
		}
	}
	b.WriteString("</svg>\n<p class=\"legend\">")
	for mi, m := range models {
		price := dollars(perModel[m])
		if unpricedModel[m] {
			price = "unpriced"
		}
		fmt.Fprintf(b, "<span><i style=\"background:%s\"></i>%s %s</span>", palette[mi%len(palette)], esc(m), price)
	}
	b.WriteString("</p>\n")
}

func writeSavingsChart(b *strings.Builder, rs []Record, days []string) {
	perDay := map[string]float64{}
	for _, r := range rs {
		perDay[r.Day] += r.SavingsUSD
	}
	top := 0.0
	for _, v := range perDay {
		top = max(top, v)
	}
	openSVG(b, "savings-chart", "cache savings per day")
	h := frame(b, niceTop(top), dollars)
	x, barW := dayAxis(b, days)
	for i, d := range days {
		v, ok := perDay[d]
		if !ok {
			continue
		}
		hh := h(math.Max(0, v))
		fmt.Fprintf(b, "<rect class=\"savings\" data-day=\"%s\" data-savings=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#59a14f\"><title>%s: saved %s</title></rect>\n",
			d, num(v), x(i), float64(chartH-padB)-hh, barW, hh, d, dollars(v))
	}
	b.WriteString("</svg>\n")
}

func writeHitChart(b *strings.Builder, rs []Record, days []string) {
	perDay := map[string]Tokens{}
	for _, r := range rs {
		perDay[r.Day] = perDay[r.Day].add(r.Tokens)
	}
	openSVG(b, "hit-chart", "cache-hit ratio per day")
	h := frame(b, 1, func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) })
	x, barW := dayAxis(b, days)
	var pts []string
	var dots strings.Builder
	for i, d := range days {
		t, ok := perDay[d]
		if !ok {
			continue
		}
		ratio := t.CacheHitRatio()
		cx, cy := x(i)+barW/2, float64(chartH-padB)-h(ratio)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", cx, cy))
		fmt.Fprintf(&dots, "<circle class=\"hit\" data-day=\"%s\" data-ratio=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#4e79a7\"><title>%s: %.1f%%</title></circle>\n",
			d, num(round(ratio, 4)), cx, cy, d, 100*ratio)
	}
	fmt.Fprintf(b, "<polyline points=\"%s\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\"/>\n", strings.Join(pts, " "))
	b.WriteString(dots.String())
	b.WriteString("</svg>\n")
}

func writeTokenBars(b *strings.Builder, t *Row) {
	kinds := []struct {
		name string
		n    int
	}{{"input (uncached)", t.InputTokens}, {"output", t.OutputTokens}, {"cache read", t.CacheReadTokens}, {"cache write 5m", t.CacheWrite5mTok}, {"cache write 1h", t.CacheWrite1hTok}}
	top := 1
	for _, k := range kinds {
		top = max(top, k.n)
	}
	const rowH = 26
	fmt.Fprintf(b, "<svg id=\"tokens-chart\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"tokens by kind\">\n", chartW, rowH*len(kinds)+4)
	for i, k := range kinds {
		w := float64(chartW-260) * float64(k.n) / float64(top)
		y := i*rowH + 4
		fmt.Fprintf(b, "<text x=\"0\" y=\"%d\">%s</text><rect class=\"tokens\" data-kind=\"%s\" data-tokens=\"%d\" x=\"130\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">%s</text>\n",
			y+12, k.name, k.name, k.n, y, w, palette[i], 136+w, y+12, humanInt(k.n))
	}
	b.WriteString("</svg>\n")
}

// sessionTotal is one session across its records.
type sessionTotal struct {
	id, project, prompt, user, firstDay string
	models                              []string
	calls, unpriced                     int
	cost                                float64
}

func writeTopSessions(b *strings.Builder, rs []Record, n int) {
	byID := map[string]*sessionTotal{}
	var order []*sessionTotal
	for _, r := range rs {
		s := byID[r.Session]
		if s == nil {
			s = &sessionTotal{id: r.Session, project: r.Project, prompt: r.FirstPrompt, user: r.User, firstDay: r.Day}
			byID[r.Session] = s
			order = append(order, s)
		}
		s.calls += r.Calls
		s.unpriced += r.UnpricedCalls
		s.cost += r.CostUSD
		s.firstDay = min(s.firstDay, r.Day)
		if !slices.Contains(s.models, r.Model) {
			s.models = append(s.models, r.Model)
		}
	}
	slices.SortStableFunc(order, func(a, c *sessionTotal) int {
		return cmp.Or(cmp.Compare(c.cost, a.cost), strings.Compare(a.id, c.id))
	})
	b.WriteString("<table id=\"top-sessions\"><tr><th>cost</th><th>calls</th><th class=\"l\">day</th><th class=\"l\">project</th><th class=\"l\">user</th><th class=\"l\">first prompt</th><th class=\"l\">session</th></tr>\n")
	for _, s := range order[:min(n, len(order))] {
		cost := dollars(s.cost)
		if s.unpriced > 0 {
			cost += " + unknown"
		}
		fmt.Fprintf(b, "<tr class=\"session\" data-session=\"%s\" data-cost=\"%s\"><td>%s</td><td>%d</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"p\">%s</td><td class=\"l\" title=\"%s\">%s</td></tr>\n",
			esc(s.id), num(s.cost), esc(cost), s.calls, s.firstDay, esc(s.project), esc(s.user), esc(s.prompt), esc(strings.Join(s.models, ", ")), esc(shortID(s.id)))
	}
	b.WriteString("</table>\n")
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func writeGroupTable(b *strings.Builder, rep *Report) {
	fmt.Fprintf(b, "<table id=\"groups\"><tr><th>%s</th><th>sessions</th><th>calls</th><th>input</th><th>output</th><th>cache read</th><th>write 5m</th><th>write 1h</th><th>cache hit</th><th>savings</th><th>cost</th></tr>\n", esc(rep.By))
	row := func(r *Row, key, class string) {
		attr := ""
		if r.CostUSD != nil {
			attr = num(*r.CostUSD)
		}
		fmt.Fprintf(b, "<tr class=\"%s\" data-key=\"%s\" data-cost=\"%s\"><td>%s</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.1f%%</td><td>%s</td><td>%s</td></tr>\n",
			class, esc(r.Key), attr, esc(key), r.Sessions, r.Calls, humanInt(r.InputTokens), humanInt(r.OutputTokens), humanInt(r.CacheReadTokens),
			humanInt(r.CacheWrite5mTok), humanInt(r.CacheWrite1hTok), 100*r.CacheHitRatio, dollars(r.SavingsUSD), esc(r.Cost()))
	}
	for _, g := range rep.Groups {
		row(g, g.Key, "group")
	}
	row(rep.Total, "total", "total")
	b.WriteString("</table>\n")
}

// humanInt writes 1234567 as 1,234,567.
func humanInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
