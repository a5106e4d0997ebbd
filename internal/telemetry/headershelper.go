package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultHeadersHelperInterval is how long the headers of otelHeadersHelper
// are used before the command runs again: Claude Code's 29 minutes,
// changed with CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS.
const DefaultHeadersHelperInterval = 29 * time.Minute

// headersHelperTimeout bounds one run of the command: a helper that hangs
// must not hold the exports forever.
const headersHelperTimeout = 30 * time.Second

// headersHelper runs the otelHeadersHelper command, whose stdout is a JSON
// object of header names to values, and keeps its last good answer for
// the exporters of every signal. The values are secrets (bearer tokens):
// they go into requests and nowhere else, never into a log or an error.
type headersHelper struct {
	command  string
	dir      string
	interval time.Duration
	log      *slog.Logger
	now      func() time.Time
	run      func(ctx context.Context) ([]byte, error) // the command; a test replaces it

	mu       sync.Mutex
	headers  map[string]string // the last good answer; nil before the first
	expires  time.Time
	running  bool
	first    chan struct{} // closed when the first run ended, good or not
	warned   bool
	lastFail string
}

func newHeadersHelper(command, dir string, interval time.Duration, log *slog.Logger) *headersHelper {
	if interval <= 0 {
		interval = DefaultHeadersHelperInterval
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &headersHelper{command: command, dir: dir, interval: interval, log: log, now: time.Now, first: make(chan struct{})}
	h.run = h.runCommand
	return h
}

// start runs the command in the background, so that a slow helper
// delays nothing: the first export waits for it, the session does not.
func (h *headersHelper) start() {
	h.mu.Lock()
	h.running = true
	h.mu.Unlock()
	go h.refresh()
}

// merge returns static with the helper's headers over it. Before the first
// answer it waits for it (an export without the token would be refused)
// until ctx ends; afterwards it never waits: expired headers start a
// refresh in the background and are used meanwhile.
func (h *headersHelper) merge(ctx context.Context, static map[string]string) map[string]string {
	select {
	case <-h.first:
	case <-ctx.Done():
	}
	h.mu.Lock()
	if !h.running && !h.now().Before(h.expires) {
		h.running = true
		go h.refresh()
	}
	dyn := h.headers
	h.mu.Unlock()
	if len(dyn) == 0 {
		return static
	}
	out := make(map[string]string, len(static)+len(dyn))
	for k, v := range static {
		out[k] = v
	}
	for k, v := range dyn {
		// One header of a name: the helper's wins over
		// OTEL_EXPORTER_OTLP_HEADERS whatever its case.
		for s := range out {
			if strings.EqualFold(s, k) {
				delete(out, s)
			}
		}
		out[k] = v
	}
	return out
}

// refresh runs the command once. A failure keeps the last good headers
// (and retries at the next export after the interval); it is logged
// once per distinct failure, by its kind only.
func (h *headersHelper) refresh() {
	ctx, cancel := context.WithTimeout(context.Background(), headersHelperTimeout)
	defer cancel()
	out, err := h.run(ctx)
	var headers map[string]string
	if err == nil {
		headers, err = parseHelperHeaders(out)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.running = false
	h.expires = h.now().Add(h.interval)
	select {
	case <-h.first:
	default:
		close(h.first)
	}
	if err != nil {
		if msg := err.Error(); !h.warned || msg != h.lastFail {
			h.warned, h.lastFail = true, msg
			keep := "exports go without its headers"
			if h.headers != nil {
				keep = "the previous headers are kept"
			}
			h.log.Warn("otelHeadersHelper failed; "+keep, "err", msg)
		}
		return
	}
	h.headers, h.warned, h.lastFail = headers, false, ""
	h.log.Info("otelHeadersHelper refreshed the telemetry headers", "names", headerNames(headers))
}

func (h *headersHelper) runCommand(ctx context.Context) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", h.command)
	cmd.Dir = h.dir
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	// stderr is dropped: a helper may print its token there while
	// debugging, and nothing of it may reach basalt's log.
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("the command did not finish within %s", headersHelperTimeout)
		case errors.As(err, &exit):
			return nil, fmt.Errorf("the command exited with status %d", exit.ExitCode())
		}
		return nil, fmt.Errorf("the command could not run: %w", err)
	}
	return stdout.Bytes(), nil
}

// parseHelperHeaders reads the helper's stdout: one JSON object whose
// values are strings. The error never quotes the output, which holds
// secrets.
func parseHelperHeaders(out []byte) (map[string]string, error) {
	var raw map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(out), &raw); err != nil || raw == nil {
		return nil, errors.New("its output is not a JSON object of header names to strings")
	}
	headers := make(map[string]string, len(raw))
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("the value of header %q is not a string", k)
		}
		if k == "" || strings.ContainsAny(k, " \t\r\n:") || strings.ContainsAny(s, "\r\n") {
			return nil, fmt.Errorf("header %q is not a valid HTTP header", k)
		}
		headers[k] = s
	}
	return headers, nil
}

func headerNames(h map[string]string) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}
