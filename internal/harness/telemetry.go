package harness

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/go-logr/logr"
	"go.opentelemetry.io/otel"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/telemetry"
)

// StartTelemetry starts the metrics and events exporters when cfg asks
// for them (CLAUDE_CODE_ENABLE_TELEMETRY, OTEL_LOGS_EXPORTER) and returns
// the recorder, nil when both are off or could not start. Problems come back as warnings,
// redacted, for the frontend to show: metrics never stop a session.
//
// console receives the events of OTEL_LOGS_EXPORTER=console: stderr in a
// headless run, as Claude Code's; the frontend chooses (the TUI owns the
// terminal, so it sends them to the log).
func StartTelemetry(ctx context.Context, cfg *config.Config, version string, log *slog.Logger, console io.Writer) (*telemetry.Recorder, []string) {
	s := telemetry.Load(cfg.Getenv)
	var warnings []string
	for _, w := range s.Warnings {
		warnings = append(warnings, config.RedactText(w))
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The SDK's own logger is a process global that writes to stderr by
	// default; an exporter error may quote the endpoint with its
	// user-info or a header. It goes to basalt's log file instead, through
	// its redacting handler, or nowhere.
	otel.SetLogger(logr.FromSlogHandler(log.Handler()))
	if console == nil {
		console = io.Discard
	}
	g, _ := config.GuardrailFrom(cfg.CustomHeaders.Value)
	r, err := telemetry.New(ctx, s, telemetry.Options{Version: version, Log: log, Console: console,
		HeadersHelper: cfg.OTelHeadersHelper.Value, HelperDir: cfg.WorkDir,
		GuardrailID: g.ID, GuardrailVersion: g.Version})
	if err != nil {
		return nil, append(warnings, config.RedactText(err.Error())+"; metrics are off")
	}
	return r, warnings
}

// StopTelemetry sends the last metrics and events. Its error, redacted, is a
// warning: a collector that cannot be reached does not fail a run.
func StopTelemetry(ctx context.Context, r *telemetry.Recorder) error {
	if err := r.Shutdown(ctx); err != nil {
		return errors.New(config.RedactText(err.Error()))
	}
	return nil
}
