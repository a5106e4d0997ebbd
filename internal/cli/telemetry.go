package cli

import (
	"context"
	"fmt"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/telemetry"
)

// startTelemetry starts the metrics exporter when the configuration asks
// for it (CLAUDE_CODE_ENABLE_TELEMETRY), and prints the harness's
// warnings: metrics never stop a session. The nil recorder it returns
// otherwise records nothing.
func (a *App) startTelemetry(ctx context.Context) *telemetry.Recorder {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil // the caller reports the configuration error
	}
	r, warnings := harness.StartTelemetry(ctx, cfg, currentVersion().Version, a.Log)
	for _, w := range warnings {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", w)
	}
	return r
}

// stopTelemetry sends the last metrics; a collector that cannot be
// reached is worth a warning, not a failed run.
func (a *App) stopTelemetry(ctx context.Context, r *telemetry.Recorder) {
	if err := harness.StopTelemetry(ctx, r); err != nil {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", err)
	}
}
