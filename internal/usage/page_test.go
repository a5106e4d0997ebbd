package usage

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkPage compares the numbers a page draws (its data- attributes) with
// the report it was made from, and checks the page cannot reach out.
func checkPage(t *testing.T, page string, rep *Report) {
	t.Helper()
	for _, bad := range []string{"http://", "https://", "<script", "<link", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: it must be self-contained and load nothing", bad)
		}
	}
	if strings.Contains(page, "<script>") || !strings.Contains(page, "fix the &lt;script&gt; tag &amp; the login") {
		t.Errorf("a first prompt from a transcript is not escaped")
	}
	attrs := func(class, name string) map[string]float64 {
		// One element per match: class first, then its data- attributes.
		re := regexp.MustCompile(`class="` + class + `"([^>]*)>`)
		key := regexp.MustCompile(`data-day="([^"]*)"|data-kind="([^"]*)"|data-key="([^"]*)"|data-session="([^"]*)"`)
		val := regexp.MustCompile(`data-` + name + `="([^"]*)"`)
		out := map[string]float64{}
		for _, m := range re.FindAllStringSubmatch(page, -1) {
			k := key.FindStringSubmatch(m[1])
			v := val.FindStringSubmatch(m[1])
			if k == nil || v == nil {
				t.Fatalf("element %q has no key or no data-%s", m[0], name)
			}
			f, _ := strconv.ParseFloat(v[1], 64)
			out[k[1]+k[2]+k[3]+k[4]] += f
		}
		return out
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-5 {
			t.Errorf("%s: page says %v, report says %v", what, got, want)
		}
	}

	// Cost per day (summed over the stacked models) and savings per day.
	wantCost, wantSave, wantTok := map[string]float64{}, map[string]float64{}, map[string]Tokens{}
	for _, r := range rep.Records {
		wantCost[r.Day] += r.CostUSD
		wantSave[r.Day] += r.SavingsUSD
		wantTok[r.Day] = wantTok[r.Day].add(r.Tokens)
	}
	gotCost := attrs("cost", "cost")
	for d, v := range wantCost {
		near("cost on "+d, gotCost[d], v)
	}
	gotSave := attrs("savings", "savings")
	for d, v := range wantSave {
		near("savings on "+d, gotSave[d], v)
	}
	gotHit := attrs("hit", "ratio")
	for d, tk := range wantTok {
		near("cache-hit ratio on "+d, gotHit[d], round(tk.CacheHitRatio(), 4))
	}
	if len(gotCost) == 0 || len(gotHit) != len(wantTok) {
		t.Errorf("charts have %d cost days and %d hit days, want %d", len(gotCost), len(gotHit), len(wantTok))
	}

	// Tokens by kind equal the total's.
	tok := attrs("tokens", "tokens")
	near("input tokens", tok["input (uncached)"], float64(rep.Total.InputTokens))
	near("output tokens", tok["output"], float64(rep.Total.OutputTokens))
	near("cache read tokens", tok["cache read"], float64(rep.Total.CacheReadTokens))
	near("cache write 5m tokens", tok["cache write 5m"], float64(rep.Total.CacheWrite5mTok))

	// The grouped table equals the report's groups; an unknown cost stays empty.
	groups := attrs("group", "cost")
	for _, g := range rep.Groups {
		want := 0.0
		if g.CostUSD != nil {
			want = *g.CostUSD
		}
		near("group "+g.Key, groups[g.Key], want)
	}

	// The most expensive session comes first.
	sessions := regexp.MustCompile(`class="session" data-session="([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(sessions) == 0 || sessions[0][1] != "s-alice-1" {
		t.Errorf("top sessions = %v, want s-alice-1 first (the most expensive priced)", sessions)
	}
}

// TestReportInChromium loads the page in headless Chromium (Debian's
// chromium package): it must load without a console message (a blocked
// fetch is one, through the page's Content-Security-Policy) and without
// a network request (Chromium's own net log), the DOM Chromium built must
// carry the report's numbers, and a screenshot is kept for people to
// look at: in $BASALT_TEST_ARTIFACTS when set, else in the test's
// temporary directory.
func TestReportInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("no Chromium here (Debian: apt-get install chromium); the page's numbers are still checked by TestHTMLNumbersMatchReport")
	}
	rep := Aggregate(FromSessions(sample(), time.Time{}), "team", time.Time{})
	var page bytes.Buffer
	if err := rep.WriteHTML(&page, HTMLOptions{Generated: time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "usage.html")
	if err := os.WriteFile(file, page.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	artifacts := os.Getenv("BASALT_TEST_ARTIFACTS")
	if artifacts == "" {
		artifacts = dir
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}

	run := func(extra ...string) (stdout, stderr string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		// The flags that keep Chromium off the network and quiet as root
		// on a machine without a display or a GPU.
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
			"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}, extra...)
		cmd := exec.CommandContext(ctx, bin, append(args, "file://"+file)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", bin, err, errb.String())
		}
		return out.String(), errb.String()
	}

	netlog := filepath.Join(dir, "net.json")
	dom, stderr := run("--dump-dom", "--log-net-log="+netlog)
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("console message while loading the page: %s", line)
		}
	}
	for _, u := range pageRequests(t, netlog) {
		t.Errorf("the page made a network request: %s", u)
	}
	checkPage(t, dom, rep)

	shot := filepath.Join(artifacts, "usage-report.png")
	run("--screenshot="+shot, "--window-size=1100,2300", "--hide-scrollbars")
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
		t.Fatalf("screenshot %s missing or empty: %v", shot, err)
	}
	t.Logf("screenshot: %s", shot)
}

// pageRequests are the URLs of the requests a page started, from
// Chromium's net log. Chromium's own background requests (its clock,
// updater and account checks, which the closed network here refuses)
// have no origin as initiator; anything the page loads has one ("null"
// for a file).
func pageRequests(t *testing.T, netlog string) []string {
	t.Helper()
	data, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatalf("no net log: %v", err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int `json:"type"`
			Params struct {
				URL       string `json:"url"`
				Initiator string `json:"initiator"`
			} `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("net log: %v", err)
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("net log has no URL_REQUEST_START_JOB event type")
	}
	var out []string
	for _, e := range log.Events {
		if e.Type == start && e.Params.URL != "" && e.Params.Initiator != "not an origin" && !strings.HasPrefix(e.Params.URL, "file:") {
			out = append(out, e.Params.URL)
		}
	}
	return out
}
