package cli

import (
	"context"
	"fmt"

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
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", w)
	}
	r, err := telemetry.New(ctx, s, telemetry.Options{Version: currentVersion().Version, Log: a.Log})
	if err != nil {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %v; metrics are off\n", err)
		return nil
	}
	return r
}

// stopTelemetry sends the last metrics; a collector that cannot be
// reached is worth a warning, not a failed run.
func (a *App) stopTelemetry(ctx context.Context, r *telemetry.Recorder) {
	if err := r.Shutdown(ctx); err != nil {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %v\n", err)
	}
}
