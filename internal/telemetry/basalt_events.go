package telemetry

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/basalt-dev/basalt/internal/provider"
)

// APIRetry records basalt.api_retry: a model request attempt failed and
// another starts after a delay. Claude Code has no such event (its
// api_error carries the attempt); this one adds the delay basalt waited.
func (r *Recorder) APIRetry(model string, info provider.RetryInfo) {
	if r == nil || r.events == nil {
		return
	}
	if model == "" {
		model = r.sessionModel()
	}
	r.emit(EventAPIRetry,
		attribute.String("model", model),
		attribute.Int("attempt", info.Attempt),
		attribute.Int("max_attempts", info.Max),
		attribute.String("reason", info.Reason),
		statusCode(info.Status),
		attribute.Int64("delay_ms", info.Delay.Milliseconds()),
	)
}

// CredentialRefresh is what a basalt.credential_refresh event reports:
// basalt obtained AWS credentials again (awsAuthRefresh, awsCredentialExport,
// the SDK's chain) because the old ones expired or were refused.
type CredentialRefresh struct {
	Method   string // how: "awsAuthRefresh", "awsCredentialExport", "sdk", …
	Success  bool
	Duration time.Duration
	// ErrorKind is a short class of the failure ("timeout", "exit_status",
	// "invalid_output"), never the command's output: it may hold secrets.
	ErrorKind string
}

// CredentialRefreshed records basalt.credential_refresh.
func (r *Recorder) CredentialRefreshed(c CredentialRefresh) {
	if r == nil || r.events == nil {
		return
	}
	attrs := []attribute.KeyValue{
		attribute.String("method", c.Method),
		attribute.String("success", boolString(c.Success)),
		attribute.Int64("duration_ms", c.Duration.Milliseconds()),
	}
	if !c.Success && c.ErrorKind != "" {
		attrs = append(attrs, attribute.String("error_type", c.ErrorKind))
	}
	r.emit(EventCredentialRefresh, attrs...)
}

// Guardrail is what a basalt.guardrail_intervention event reports: a
// Bedrock guardrail replaced (or masked) a model request's answer.
type Guardrail struct {
	Model     string
	ID        string // the guardrail identifier from the settings; "" when unknown
	Version   string
	Action    string // "intervened"
	RequestID string
}

// GuardrailIntervened records basalt.guardrail_intervention.
func (r *Recorder) GuardrailIntervened(g Guardrail) {
	if r == nil || r.events == nil {
		return
	}
	if g.Model == "" {
		g.Model = r.sessionModel()
	}
	attrs := []attribute.KeyValue{
		attribute.String("model", g.Model),
		attribute.String("action", cmpOr(g.Action, "intervened")),
	}
	if g.ID != "" {
		attrs = append(attrs, attribute.String("guardrail_id", g.ID))
	}
	if g.Version != "" {
		attrs = append(attrs, attribute.String("guardrail_version", g.Version))
	}
	if g.RequestID != "" {
		attrs = append(attrs, attribute.String("request_id", g.RequestID))
	}
	r.emit(EventGuardrailIntervention, attrs...)
}

// CredentialRefreshFunc returns the callback awsauth calls after each
// credential refresh; it records basalt.credential_refresh. nil for a
// nil recorder, so that nothing is called.
func (r *Recorder) CredentialRefreshFunc() func(method string, took time.Duration, err error) {
	if r == nil || r.events == nil {
		return nil
	}
	return func(method string, took time.Duration, err error) {
		r.CredentialRefreshed(CredentialRefresh{Method: method, Success: err == nil, Duration: took, ErrorKind: refreshErrorKind(err)})
	}
}

// refreshErrorKind classes a refresh failure without its text, which may
// quote what the command printed.
func refreshErrorKind(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded), strings.Contains(msg, "timed out"):
		return "timeout"
	case strings.Contains(msg, "command not found"):
		return "command_not_found"
	case strings.Contains(msg, "exit status"), strings.Contains(msg, "killed ("):
		return "exit_status"
	}
	return "credentials_unavailable"
}
