package cli

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/go-logr/logr"
	"go.opentelemetry.io/otel"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/telemetry"
)

// startTelemetry starts the metrics exporter when the configuration asks
// for it (CLAUDE_CODE_ENABLE_TELEMETRY). A problem is a warning: metrics
// must never stop a session. The nil recorder it returns otherwise
// records nothing.
func (a *App) startTelemetry(ctx context.Context) *telemetry.Recorder {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil // the caller reports the configuration error
	}
	s := telemetry.Load(cfg.Getenv)
	for _, w := range s.Warnings {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", config.RedactText(w))
	}
	log := a.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The SDK's own logger is a process global that writes to stderr by
	// default; an exporter error may quote the endpoint with its
	// user-info or a header. It goes to basalt's log file instead, through
	// the redacting handler (openLog), or nowhere.
	otel.SetLogger(logr.FromSlogHandler(log.Handler()))
	r, err := telemetry.New(ctx, s, telemetry.Options{Version: currentVersion().Version, Log: log})
	if err != nil {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s; metrics are off\n", config.RedactText(err.Error()))
		return nil
	}
	return r
}

// stopTelemetry sends the last metrics; a collector that cannot be
// reached is worth a warning, not a failed run.
func (a *App) stopTelemetry(ctx context.Context, r *telemetry.Recorder) {
	if err := r.Shutdown(ctx); err != nil {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", config.RedactText(err.Error()))
	}
}
