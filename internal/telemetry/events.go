package telemetry

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
)

// emit queues one event with the attributes Claude Code puts on every
// event: event.name, event.timestamp, event.sequence, session.id,
// app.version and, once a prompt was sent, prompt.id.
func (r *Recorder) emit(name string, attrs ...attribute.KeyValue) {
	if r == nil || r.events == nil {
		return
	}
	now := time.Now()
	r.mu.Lock()
	r.seq++
	common := []attribute.KeyValue{
		attribute.String("event.name", strings.TrimPrefix(name, "claude_code.")),
		attribute.String("event.timestamp", now.UTC().Format("2006-01-02T15:04:05.000Z07:00")),
		attribute.Int64("event.sequence", r.seq),
		attribute.String("session.id", r.sessionID),
		attribute.String("app.version", r.version),
	}
	if r.prompt != "" {
		common = append(common, attribute.String("prompt.id", r.prompt))
	}
	r.mu.Unlock()
	r.events.add(logRecord{time: now, name: name, attrs: append(common, attrs...)})
}

// Decision sources, Claude Code's tool_decision vocabulary: "config" for
// the permission rules and mode; the others come from the agent's
// [agent.EventDecision] (hook, user_temporary, user_permanent,
// user_reject, user_abort).
const sourceConfig = "config"

// UserPrompt records a prompt sent to the model and starts a new
// prompt.id for the events that answer it. Only its length leaves the
// process unless OTEL_LOG_USER_PROMPTS is on.
func (r *Recorder) UserPrompt(text string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.prompt = newUUID()
	r.interactions++
	r.promptText = text
	r.mu.Unlock()
	if r.events == nil {
		return
	}
	attrs := []attribute.KeyValue{attribute.Int("prompt_length", utf8.RuneCountInString(text))}
	if r.logs.UserPrompts {
		attrs = append(attrs, attribute.String("prompt", text))
	}
	r.emit(EventUserPrompt, attrs...)
}

// ToolCall is what a claude_code.tool_result event reports about one
// finished tool call.
type ToolCall struct {
	ID       string // the tool_use block's ID
	Name     string
	Success  bool
	Duration time.Duration
	Decision string // "accept" or "reject"
	Source   string // "config", "hook", "user_temporary", "user_permanent", "user_reject", "user_abort"
	// ResultSize is the size of the result the model sees, in bytes.
	ResultSize int
	// Input and Error are exported only with OTEL_LOG_TOOL_DETAILS: they
	// hold commands, paths and file contents.
	Input string
	Error string
}

// ToolResult records a finished (or refused) tool call.
func (r *Recorder) ToolResult(c ToolCall) {
	if r == nil || r.events == nil {
		return
	}
	attrs := []attribute.KeyValue{
		attribute.String("tool_name", c.Name),
		attribute.String("success", boolString(c.Success)),
		attribute.Int64("duration_ms", c.Duration.Milliseconds()),
		attribute.String("decision_type", c.Decision),
		attribute.String("decision_source", c.Source),
		attribute.Int("tool_input_size_bytes", len(c.Input)),
		attribute.Int("tool_result_size_bytes", c.ResultSize),
	}
	if c.ID != "" {
		attrs = append(attrs, attribute.String("tool_use_id", c.ID))
	}
	if !c.Success && c.Decision == "reject" {
		attrs = append(attrs, attribute.String("error_type", "permission_denied"))
	} else if !c.Success {
		attrs = append(attrs, attribute.String("error_type", "tool_error"))
	}
	if r.logs.ToolDetails {
		if c.Input != "" {
			attrs = append(attrs, attribute.String("tool_input", c.Input))
		}
		if c.Error != "" {
			attrs = append(attrs, attribute.String("error", c.Error))
		}
	}
	r.emit(EventToolResult, attrs...)
}

// APIFailure is what a claude_code.api_error event reports about one
// failed model request attempt.
type APIFailure struct {
	Model      string
	Error      string // the provider's message or error kind, never the prompt
	StatusCode int    // 0 when no HTTP status came back
	Attempt    int
	Duration   time.Duration
	RequestID  string
}

// APIError records a failed attempt of a model request as an event; the
// error count is [Recorder.Error].
func (r *Recorder) APIError(f APIFailure) {
	if r == nil || r.events == nil {
		return
	}
	if f.Model == "" {
		f.Model = r.sessionModel()
	}
	attrs := []attribute.KeyValue{
		attribute.String("model", f.Model),
		attribute.String("error", f.Error),
		attribute.Int("attempt", f.Attempt),
		attribute.Int64("duration_ms", f.Duration.Milliseconds()),
	}
	attrs = append(attrs, statusCode(f.StatusCode))
	if f.RequestID != "" {
		attrs = append(attrs, attribute.String("request_id", f.RequestID))
	}
	r.emit(EventAPIError, attrs...)
}

// statusCode is the status_code attribute: the HTTP status as a string,
// "undefined" when none came back, as Claude Code writes it.
func statusCode(code int) attribute.KeyValue {
	if code == 0 {
		return attribute.String("status_code", "undefined")
	}
	return attribute.String("status_code", strconv.Itoa(code))
}

// RetriesExhausted records a model request that failed after more than
// one attempt: Claude Code's api_retries_exhausted event. total is the
// time from the first attempt to the last failure.
func (r *Recorder) RetriesExhausted(f APIFailure, total time.Duration) {
	if r == nil || r.events == nil {
		return
	}
	if f.Model == "" {
		f.Model = r.sessionModel()
	}
	r.emit(EventRetriesExhausted,
		attribute.String("model", f.Model),
		attribute.String("error", f.Error),
		statusCode(f.StatusCode),
		attribute.Int("total_attempts", f.Attempt),
		attribute.Int64("total_retry_duration_ms", total.Milliseconds()),
	)
}

// newUUID returns a random (version 4) UUID, the form of Claude Code's
// prompt.id.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
