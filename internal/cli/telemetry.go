package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/telemetry"
)

// startTelemetry starts the metrics exporter when the configuration asks
// for it (CLAUDE_CODE_ENABLE_TELEMETRY), and prints the harness's
// warnings: metrics never stop a session. The nil recorder it returns
// otherwise records nothing.
//
// console receives OTEL_LOGS_EXPORTER=console's events: stderr headless
// (stdout is the answer's), the log file in the TUI, which owns the
// terminal and would be painted over.
func (a *App) startTelemetry(ctx context.Context, console io.Writer) *telemetry.Recorder {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil // the caller reports the configuration error
	}
	r, warnings := harness.StartTelemetry(ctx, cfg, currentVersion().Version, a.Log, console)
	for _, w := range warnings {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", w)
	}
	return r
}

// logLines is an io.Writer that puts each line written to it in the log:
// where the TUI's console telemetry events go.
type logLines struct{ log *slog.Logger }

func (w logLines) Write(p []byte) (int, error) {
	if w.log == nil {
		return len(p), nil
	}
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if line != "" {
			w.log.Info("telemetry event", "event", line)
		}
	}
	return len(p), nil
}

// stopTelemetry sends the last metrics; a collector that cannot be
// reached is worth a warning, not a failed run.
func (a *App) stopTelemetry(ctx context.Context, r *telemetry.Recorder) {
	if err := harness.StopTelemetry(ctx, r); err != nil {
		fmt.Fprintf(a.IO.ErrOut, "basalt: warning: telemetry: %s\n", err)
	}
}
