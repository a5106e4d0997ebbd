package telemetry

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// exportedMetrics are basalt's instruments as startMetrics creates them:
// name, unit and whether it is a histogram.
var exportedMetrics = []struct {
	name, unit string
	histogram  bool
}{
	{MetricSessions, "count", false},
	{MetricTokens, "tokens", false},
	{MetricCost, "USD", false},
	{MetricEditDecision, "count", false},
	{MetricToolDecision, "count", false},
	{MetricRequests, "count", false},
	{MetricErrors, "count", false},
	{MetricLatency, "ms", true},
}

// prometheusNames translates an OTLP metric the way the Collector's
// prometheus and prometheusremotewrite exporters do by default (metric
// suffixes on): dots become underscores; the unit, mapped to its
// Prometheus word (ms → milliseconds) and kept as is when there is none
// (USD, tokens, count), is appended unless the name already holds it;
// a monotonic sum gets _total, a histogram its _bucket, _sum and _count
// series.
func prometheusNames(name, unit string, histogram bool) []string {
	words := map[string]string{"ms": "milliseconds", "s": "seconds", "By": "bytes", "1": ""}
	if w, ok := words[unit]; ok {
		unit = w
	}
	base := strings.ReplaceAll(name, ".", "_")
	if unit != "" && !slices.Contains(strings.Split(base, "_"), unit) {
		base += "_" + unit
	}
	if histogram {
		return []string{base + "_bucket", base + "_sum", base + "_count"}
	}
	return []string{base + "_total"}
}

func TestPrometheusNames(t *testing.T) {
	for _, c := range []struct {
		name, unit string
		hist       bool
		want       string
	}{
		{MetricCost, "USD", false, "claude_code_cost_usage_USD_total"},
		{MetricTokens, "tokens", false, "claude_code_token_usage_tokens_total"},
		{MetricSessions, "count", false, "claude_code_session_count_total"},
		{MetricLatency, "ms", true, "basalt_api_request_duration_milliseconds_bucket"},
	} {
		if got := prometheusNames(c.name, c.unit, c.hist)[0]; got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// metricRef finds the metric names in a PromQL expression: basalt's and
// Claude Code's prefixes.
var metricRef = regexp.MustCompile(`\b(?:claude_code|basalt)_[A-Za-z0-9_]+`)

// TestGrafanaDashboard loads docs/monitoring/grafana-dashboard.json and
// checks that it is one dashboard whose every query names only metrics
// basalt exports, under the names Prometheus gives them.
func TestGrafanaDashboard(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "monitoring", "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name       string `json:"name"`
				Definition string `json:"definition"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	if dash.Title == "" || dash.UID == "" || len(dash.Panels) == 0 {
		t.Fatalf("not a dashboard: title %q, uid %q, %d panels", dash.Title, dash.UID, len(dash.Panels))
	}
	known := map[string]bool{}
	for _, m := range exportedMetrics {
		for _, n := range prometheusNames(m.name, m.unit, m.histogram) {
			known[n] = true
		}
	}
	check := func(where, expr string) int {
		refs := metricRef.FindAllString(expr, -1)
		for _, r := range refs {
			if !known[r] {
				t.Errorf("%s: %s is not a metric basalt exports (%q)", where, r, expr)
			}
		}
		return len(refs)
	}
	used := map[string]bool{}
	for _, p := range dash.Panels {
		n := 0
		for _, tg := range p.Targets {
			n += check("panel "+p.Title, tg.Expr)
			for _, r := range metricRef.FindAllString(tg.Expr, -1) {
				used[r] = true
			}
		}
		if n == 0 {
			t.Errorf("panel %q queries no basalt metric", p.Title)
		}
	}
	for _, v := range dash.Templating.List {
		check("variable "+v.Name, v.Definition)
	}
	// The panels: cost, cache, errors and throttling, decisions.
	for _, m := range []string{"claude_code_cost_usage_USD_total", "claude_code_token_usage_tokens_total", "basalt_api_error_count_total", "basalt_tool_decision_count_total"} {
		if !used[m] {
			t.Errorf("no panel uses %s", m)
		}
	}
}
