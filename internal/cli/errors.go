package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/mcp/oauth"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// Exit codes (DESIGN.md §3). They are decided here and nowhere else.
const (
	ExitOK          = 0
	ExitFailure     = 1   // runtime failure: API error after retries, harness failure
	ExitUsage       = 2   // bad flag, invalid settings, unknown model alias
	ExitAuth        = 3   // no credentials, refresh failed, access denied
	ExitLimit       = 4   // --max-turns or --max-budget-usd reached
	ExitInterrupted = 130 // cancelled by the user
)

// UsageError is a mistake in how basalt was invoked: exit code 2.
type UsageError struct {
	Err  error
	Hint string
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(hint, format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...), Hint: hint}
}

// hinted is implemented by errors that carry their own advice.
type hinted interface{ Hint() string }

// exitCode maps an error to its exit code.
func exitCode(err error) int {
	var usage *UsageError
	var sessionUsage *harness.UsageError
	var cfg *config.Error
	var auth *awsauth.Error
	var api *provider.APIError
	var limit *agent.LimitError
	var untrusted *UntrustedError
	var oauthStep *oauth.StepError
	switch {
	case errors.As(err, &limit):
		return ExitLimit
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &usage), errors.As(err, &sessionUsage), errors.As(err, &cfg), errors.Is(err, model.ErrInvalidModel), errors.As(err, &untrusted):
		return ExitUsage
	case errors.As(err, &auth), errors.As(err, &oauthStep), errors.Is(err, oauth.ErrNeedsLogin):
		return ExitAuth
	case errors.As(err, &api):
		switch api.Kind {
		case provider.KindAuth, provider.KindAccessDenied, provider.KindMarketplace:
			return ExitAuth
		}
	}
	return ExitFailure
}

// hintFor returns the advice printed under an error.
func hintFor(err error) string {
	var usage *UsageError
	var sessionUsage *harness.UsageError
	var cfg *config.Error
	var h hinted
	switch {
	case errors.As(err, &usage) && usage.Hint != "":
		return usage.Hint
	case errors.As(err, &sessionUsage) && sessionUsage.Hint != "":
		return sessionUsage.Hint
	case errors.As(err, &cfg):
		return "fix the settings named above; `basalt config show` explains where every value comes from"
	case errors.Is(err, config.ErrNoProvider):
		return "for example: export CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1"
	case errors.As(err, &h):
		return h.Hint()
	}
	return ""
}

// printError writes an error once, each line of a multi-problem error
// under the first, then the hint. Everything goes through the redaction
// rule: an error may quote a value it could not use.
func printError(w io.Writer, err error) {
	if errors.Is(err, errReported) {
		return // the command has printed its own report (doctor.go)
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "basalt: interrupted")
		return
	}
	var cfg *config.Error
	if errors.As(err, &cfg) && len(cfg.Problems) > 1 {
		fmt.Fprintf(w, "basalt: %d configuration problems:\n", len(cfg.Problems))
		for _, p := range cfg.Problems {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(config.RedactText(p.Error()), "\n", "\n  "))
		}
	} else {
		fmt.Fprintf(w, "basalt: %s\n", strings.TrimRight(config.RedactText(err.Error()), "\n"))
	}
	if h := hintFor(err); h != "" {
		fmt.Fprintf(w, "hint: %s\n", config.RedactText(h))
	}
}
