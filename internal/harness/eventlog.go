package harness

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
)

// This file writes the session's side of the --verbose log: each tool
// call, its permission decision and its result, and each model request's
// usage, read from the agent's events (the provider logs the HTTP side).
// Every text goes through config's secret rule, and the session's own
// secret values are hidden whatever their shape (see scrubHandler).

// maxLoggedInput bounds a tool input in the log: a Write's content is
// the user's file, logged at debug level only and not whole.
const maxLoggedInput = 2048

// eventLog logs a session's events.
type eventLog struct {
	log *slog.Logger

	mu      sync.Mutex
	started map[string]time.Time // tool call ID → when it started
}

func newEventLog(log *slog.Logger) *eventLog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &eventLog{log: log, started: map[string]time.Time{}}
}

// event logs ev. It runs on the goroutine of the turn, before the
// frontend sees the event.
func (l *eventLog) event(ctx context.Context, ev agent.Event) {
	switch ev.Kind {
	case agent.EventToolStart:
		l.mu.Lock()
		l.started[ev.Tool.ID] = time.Now()
		l.mu.Unlock()
		// A call starts only once allowed (by a rule, the mode or the
		// user's answer, which "permission decision" logged before it).
		l.log.LogAttrs(ctx, slog.LevelInfo, "tool call", slog.String("tool", ev.Tool.Name), slog.String("tool_use_id", shortID(ev.Tool.ID)),
			slog.String("decision", "allow"), slog.String("summary", config.RedactText(ev.Tool.Summary())))
		if l.log.Enabled(ctx, slog.LevelDebug) {
			l.log.LogAttrs(ctx, slog.LevelDebug, "tool input", slog.String("tool", ev.Tool.Name), slog.String("tool_use_id", shortID(ev.Tool.ID)),
				slog.String("input", clip(config.RedactText(string(ev.Tool.Input)), maxLoggedInput)))
		}
	case agent.EventToolEnd:
		l.mu.Lock()
		start, ok := l.started[ev.Tool.ID]
		delete(l.started, ev.Tool.ID)
		l.mu.Unlock()
		attrs := []slog.Attr{slog.String("tool", ev.Tool.Name), slog.String("tool_use_id", shortID(ev.Tool.ID))}
		if ok {
			attrs = append(attrs, slog.Duration("latency", time.Since(start)))
		}
		if ev.Result != nil {
			attrs = append(attrs, slog.Bool("is_error", ev.Result.IsError), slog.Int("result_bytes", len(ev.Result.Content)))
		}
		l.log.LogAttrs(ctx, slog.LevelInfo, "tool result", attrs...)
	case agent.EventPermission:
		attrs := []slog.Attr{slog.String("tool", ev.Tool.Name), slog.String("tool_use_id", shortID(ev.Tool.ID))}
		if d := ev.Decision; d != nil {
			attrs = append(attrs, slog.String("decision", string(d.Behavior)), slog.String("reason", config.RedactText(d.Reason)))
			if r := d.Rule.String(); r != "" {
				attrs = append(attrs, slog.String("rule", r))
			}
		}
		l.log.LogAttrs(ctx, slog.LevelInfo, "permission decision", attrs...)
	case agent.EventUsage:
		u := ev.Usage.Turn
		attrs := []slog.Attr{
			slog.Int("input_tokens", u.InputTokens), slog.Int("output_tokens", u.OutputTokens),
			slog.Int("cache_read_tokens", u.CacheRead), slog.Int("cache_write_tokens", u.CacheWrite5m+u.CacheWrite1h),
		}
		if ev.Usage.TurnCost.Known {
			attrs = append(attrs, slog.Float64("cost_usd", ev.Usage.TurnCost.USD))
		}
		l.log.LogAttrs(ctx, slog.LevelInfo, "model usage", attrs...)
	case agent.EventNotice:
		l.log.LogAttrs(ctx, slog.LevelInfo, "notice", slog.String("text", config.RedactText(ev.Text)))
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…(clipped)"
}

// shortID is the end of a tool_use ID, enough to pair a call with its
// result: the whole ID is a long random-looking run, which the log's
// redaction rule would hide as if it were a key.
func shortID(id string) string {
	if len(id) > 12 {
		return "…" + id[len(id)-12:]
	}
	return id
}
