package telemetry

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// headerCollector answers OTLP HTTP exports and keeps each request's
// headers.
type headerCollector struct {
	mu   sync.Mutex
	seen []http.Header
}

func (c *headerCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.seen = append(c.seen, r.Header.Clone())
	c.mu.Unlock()
}

func (c *headerCollector) last(t *testing.T) http.Header {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) == 0 {
		t.Fatal("no request reached the collector")
	}
	return c.seen[len(c.seen)-1]
}

// writeHelper writes a helper script that prints a new token per run
// (tok-1, tok-2, …) and fails from the run whose number is in failFrom.
func writeHelper(t *testing.T, failFrom int) (cmd, dir string) {
	t.Helper()
	dir = t.TempDir()
	script := `n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
if [ "$n" -ge ` + itoa(failFrom) + ` ]; then echo "Bearer leaked-on-stderr" >&2; exit 3; fi
printf '{"Authorization": "Bearer tok-%s", "X-Scope": "team-a"}' "$n"
`
	if err := os.WriteFile(filepath.Join(dir, "helper.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return "sh ./helper.sh", dir
}

func itoa(n int) string { return string(rune('0' + n)) }

func TestHeadersHelperMergeRefreshAndFailure(t *testing.T) {
	t.Parallel()
	col := &headerCollector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	cmd, dir := writeHelper(t, 3)
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(&helperLogWriter{w: &logBuf, mu: &logMu}, nil))

	clock := time.Unix(1000, 0)
	var clockMu sync.Mutex
	now := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	advance := func(d time.Duration) { clockMu.Lock(); clock = clock.Add(d); clockMu.Unlock() }

	h := newHeadersHelper(cmd, dir, time.Minute, log)
	h.now = now
	h.start()
	exp, err := newSignalExporter(srv.URL+"/v1/logs", ProtocolHTTP, map[string]string{"authorization": "static", "X-Static": "s"}, grpcLogsExportPath)
	if err != nil {
		t.Fatal(err)
	}
	exp.helper = h
	send := func() http.Header {
		t.Helper()
		if err := exp.send(t.Context(), []byte{}); err != nil {
			t.Fatal(err)
		}
		return col.last(t)
	}

	// The first export waits for the first run; the helper's header wins
	// over OTEL_EXPORTER_OTLP_HEADERS' of the same name in another case.
	got := send()
	if got.Get("Authorization") != "Bearer tok-1" || got.Get("X-Scope") != "team-a" || got.Get("X-Static") != "s" || len(got.Values("Authorization")) != 1 {
		t.Fatalf("first export headers = %v", got)
	}
	// Within the interval the command does not run again.
	if got := send(); got.Get("Authorization") != "Bearer tok-1" {
		t.Errorf("within the interval: Authorization = %q", got.Get("Authorization"))
	}
	// After it, an export starts a refresh without waiting for it; a
	// later one has the new token.
	advance(2 * time.Minute)
	send()
	waitFor(t, func() bool { return send().Get("Authorization") == "Bearer tok-2" })

	// The third run fails: the last good headers stay, one warning says
	// so without the helper's output.
	advance(2 * time.Minute)
	send()
	waitFor(t, func() bool {
		logMu.Lock()
		defer logMu.Unlock()
		return strings.Contains(logBuf.String(), "otelHeadersHelper failed")
	})
	if got := send(); got.Get("Authorization") != "Bearer tok-2" {
		t.Errorf("after a failure: Authorization = %q, want the last good token", got.Get("Authorization"))
	}
	advance(2 * time.Minute)
	send()
	waitFor(t, func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "count"))
		return strings.TrimSpace(string(b)) == "4"
	})
	time.Sleep(50 * time.Millisecond)
	logMu.Lock()
	logged := logBuf.String()
	logMu.Unlock()
	if n := strings.Count(logged, "otelHeadersHelper failed"); n != 1 {
		t.Errorf("%d warnings for the same failure, want 1:\n%s", n, logged)
	}
	for _, secret := range []string{"tok-1", "tok-2", "leaked-on-stderr", "static"} {
		if strings.Contains(logged, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logged)
		}
	}
}

// A helper whose output is not a JSON object of strings is a failure; the
// error does not quote the output.
func TestParseHelperHeaders(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`Bearer secret`, `["x"]`, `{"Authorization": 5}`, `{"Bad Name": "secret"}`, `{"X": "a\nb"}`, `null`} {
		if _, err := parseHelperHeaders([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: error quotes the output: %v", bad, err)
		}
	}
	h, err := parseHelperHeaders([]byte(" {\"Authorization\": \"Bearer x\"}\n"))
	if err != nil || h["Authorization"] != "Bearer x" {
		t.Errorf("good output: %v, %v", h, err)
	}
}

// The helper's headers reach the events exporter wired by New, and
// CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS sets the interval.
func TestHeadersHelperWiredIntoEvents(t *testing.T) {
	t.Parallel()
	col := &headerCollector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	cmd, dir := writeHelper(t, 9)
	env := map[string]string{
		"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "none",
		"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL,
		"OTEL_EXPORTER_OTLP_HEADERS":                  "Authorization=static",
		"CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS": "900000",
	}
	s := Load(func(k string) string { return env[k] })
	if s.HeadersHelperInterval != 15*time.Minute {
		t.Errorf("interval = %v, want 15m", s.HeadersHelperInterval)
	}
	r, err := New(t.Context(), s, Options{Version: "1", HeadersHelper: cmd, HelperDir: dir})
	if err != nil || r == nil {
		t.Fatalf("New: %v, %v", r, err)
	}
	r.Begin(context.Background(), "s", "m")
	r.UserPrompt("hi")
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := col.last(t).Get("Authorization"); got != "Bearer tok-1" {
		t.Errorf("events export Authorization = %q, want the helper's", got)
	}
}

func TestHeadersHelperIntervalWarning(t *testing.T) {
	t.Parallel()
	s := Load(func(k string) string {
		return map[string]string{"CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS": "15m"}[k]
	})
	if s.HeadersHelperInterval != 0 || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS") {
		t.Errorf("interval %v, warnings %v", s.HeadersHelperInterval, s.Warnings)
	}
}

type helperLogWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *helperLogWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
