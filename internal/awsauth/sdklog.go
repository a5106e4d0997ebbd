package awsauth

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
)

// sdkLogger sends the AWS SDK's own log lines (the IMDSv1 fallback
// warning, retry notes) to basalt's log file. The SDK's default writes
// them to stderr, where they would paint over the TUI or land in the
// middle of a headless run's output.
type sdkLogger struct{ log *slog.Logger }

// Logf implements logging.Logger.
func (l sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if c == logging.Warn {
		level = slog.LevelWarn
	}
	// The SDK's interface carries no context; the line needs none.
	l.log.Log(context.Background(), level, "aws sdk", "sdk_level", string(c), "text", fmt.Sprintf(format, v...))
}

// SDKLogger returns a logging.Logger for AWS SDK clients basalt builds
// itself (the Bedrock control plane), writing to log.
func SDKLogger(log *slog.Logger) logging.Logger {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return sdkLogger{log}
}
