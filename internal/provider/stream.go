package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/model"
)

// Request is one Messages call. Params is the Anthropic request; Model,
// MaxTokens and Thinking are filled from the configuration when unset.
type Request struct {
	Model  string // resolved ID: an inference-profile ID or ARN on Bedrock
	Region string // "" = the client's region (the small/fast model may live elsewhere)
	Params anthropic.MessageNewParams
	Betas  []string // sent as anthropic_beta on Bedrock, the anthropic-beta header otherwise
	// Catalog is the model's catalog entry when the caller knows it (an
	// application profile's backing model); nil: looked up from Model.
	// It decides the thinking and effort fields (thinking.go).
	Catalog *model.Model
	// Fallback is the model to use, once and with a notice, when Model is
	// not accessible (access denied, not in the region). It serves the
	// small/fast model, which falls back to the primary one.
	Fallback       string
	FallbackRegion string
	// Turn marks a turn of the conversation, which gets Claude Code's
	// defaults: thinking on where the model supports it and the model's
	// default effort (thinking.go). Other requests (doctor's probes, the
	// small model's side calls) think only when the user asked for it.
	Turn bool
}

// EventKind says what an [Event] carries.
type EventKind int

// The events of a stream.
const (
	EventMessage EventKind = iota // an Anthropic streaming event
	EventRetry                    // a retry is about to happen; Retry says why and when
	EventReset                    // discard the partial message: the attempt that produced it failed
	EventNotice                   // something the user should know (a fallback); Notice says what
	// EventVoidUsage: an attempt ended without a complete message (a
	// dropped stream, an error in the stream, cancellation) after the
	// service had started answering. Usage is what it was billed: the
	// input from message_start and the output that arrived (estimated
	// from the deltas when the final count never came).
	EventVoidUsage
)

// Event is delivered to the callback of [Client.Stream], on the calling
// goroutine, in order.
type Event struct {
	Kind    EventKind
	Message anthropic.MessageStreamEventUnion
	Retry   RetryInfo
	Notice  string
	Usage   anthropic.Usage // EventVoidUsage
	Model   string          // EventVoidUsage: the model that was asked
}

// Response is a completed call.
type Response struct {
	Message   anthropic.Message
	Model     string // the model that answered (differs from the request after a fallback)
	RequestID string
	Attempts  int
	// Guardrail is true when a Bedrock guardrail replaced the answer. The
	// caller must not send the blocked exchange again on later turns.
	Guardrail bool
	Metrics   InvocationMetrics
	// MaxTokens is the max_tokens the answering request sent.
	MaxTokens int
	// ServiceTier is the tier Bedrock says served the request (its
	// X-Amzn-Bedrock-Service-Tier response header), "" when it did not say.
	ServiceTier string

	deltaBytes int // generated content that arrived (void.go)
}

// InvocationMetrics are Bedrock's own figures from the last stream event.
type InvocationMetrics struct {
	InputTokenCount           int `json:"inputTokenCount"`
	OutputTokenCount          int `json:"outputTokenCount"`
	InvocationLatency         int `json:"invocationLatency"`
	FirstByteLatency          int `json:"firstByteLatency"`
	CacheReadInputTokenCount  int `json:"cacheReadInputTokenCount"`
	CacheWriteInputTokenCount int `json:"cacheWriteInputTokenCount"`
}

var (
	errIdle           = errors.New("no data from the stream")
	errRequestTimeout = errors.New("request timeout")
)

// Stream sends req and delivers its events to on as they arrive. Failed
// attempts are retried (throttling, 5xx, dropped connections, errors in
// the stream, a silent stream), with an EventRetry before each retry and
// an EventReset when the failed attempt had already delivered events, so
// no partial output is seen twice. Credential errors trigger one refresh
// and one retry. Cancelling ctx stops everything at once and returns
// ctx.Err().
func (c *Client) Stream(ctx context.Context, req Request, on func(Event)) (*Response, error) {
	if on == nil {
		on = func(Event) {}
	}
	if c.isUnavailable(req.Model) && req.Fallback != "" {
		req.Model, req.Region, req.Fallback = req.Fallback, req.FallbackRegion, ""
	}
	maxAttempts := c.cfg.MaxRetries + 1
	refreshed := false
	for attempt := 1; ; attempt++ {
		var gen uint64
		if c.cfg.Auth != nil {
			gen = c.cfg.Auth.Generation()
		}
		resp, emitted, err := c.attempt(ctx, req, on)
		if err == nil {
			resp.Attempts = attempt
			return resp, nil
		}
		if resp != nil && resp.Message.ID != "" {
			// The service started answering: what it read and wrote so
			// far is billed even though the message is void.
			on(Event{Kind: EventVoidUsage, Usage: resp.voidUsage(), Model: resp.Model})
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var authErr *awsauth.Error
		if errors.As(err, &authErr) {
			return nil, err // no credentials at all: nothing to retry
		}
		apiErr := c.toAPIError(err, req)
		apiErr.Attempts = attempt
		if emitted {
			on(Event{Kind: EventReset})
		}
		switch {
		case apiErr.Kind == KindAuth && c.canRefresh() && !refreshed:
			refreshed = true
			c.cfg.Log.Info("credentials refused, refreshing", "model", req.Model, "code", apiErr.Code)
			if err := c.cfg.Auth.Refresh(ctx, gen); err != nil {
				return nil, err
			}
			attempt-- // the retry after a refresh is not a backoff attempt
			continue
		case isAccessError(apiErr.Kind) && req.Fallback != "":
			c.markUnavailable(req.Model)
			on(Event{Kind: EventNotice, Notice: fmt.Sprintf("%s is not usable (%s); using %s instead for the rest of the session", req.Model, apiErr.Kind, req.Fallback)})
			req.Model, req.Region, req.Fallback = req.Fallback, req.FallbackRegion, ""
			attempt--
			continue
		case apiErr.retryable() && attempt < maxAttempts:
			delay := c.backoff(attempt, apiErr.retryAfter)
			info := RetryInfo{Attempt: attempt + 1, Max: maxAttempts, Delay: delay, Reason: apiErr.Kind.String(), Status: apiErr.Status}
			c.cfg.Log.Info("retrying", "model", req.Model, "reason", info.Reason, "attempt", info.Attempt, "delay", delay)
			on(Event{Kind: EventRetry, Retry: info})
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
			continue
		}
		c.addFix(ctx, apiErr, req)
		if apiErr.Kind == KindAuth && refreshed {
			apiErr.Fix = "the credentials were refreshed and are still refused: " + apiErr.Fix
		}
		return nil, apiErr
	}
}

func (c *Client) canRefresh() bool {
	if c.cfg.Auth == nil {
		return false
	}
	m := c.cfg.Auth.Mode()
	return m == awsauth.ModeChain || m == awsauth.ModeExport
}

func isAccessError(k Kind) bool {
	return k == KindAccessDenied || k == KindMarketplace || k == KindInvalidModel || k == KindOnDemand
}

func (c *Client) isUnavailable(model string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.unavailable[model]
}

func (c *Client) markUnavailable(model string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unavailable[model] = true
}

// backoff is exponential with full jitter, and never shorter than what the
// service asked for in retry-after.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	ceiling := c.cfg.BackoffBase << min(attempt-1, 20)
	if ceiling > c.cfg.BackoffMax || ceiling <= 0 {
		ceiling = c.cfg.BackoffMax
	}
	d := time.Duration(rand.Int64N(int64(ceiling) + 1))
	if retryAfter > d {
		d = min(retryAfter, 2*c.cfg.BackoffMax)
	}
	return d
}

// attempt makes one call. emitted reports whether any event reached on.
func (c *Client) attempt(ctx context.Context, req Request, on func(Event)) (_ *Response, emitted bool, _ error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := time.AfterFunc(c.cfg.IdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	if c.cfg.RequestTimeout > 0 { // API_TIMEOUT_MS: the whole attempt
		whole := time.AfterFunc(c.cfg.RequestTimeout, func() { cancel(errRequestTimeout) })
		defer whole.Stop()
	}

	params, betas := c.params(req)
	var httpResp *http.Response
	opts := []option.RequestOption{option.WithResponseInto(&httpResp)}
	if len(betas) > 0 {
		opts = append(opts, option.WithHeader("anthropic-beta", strings.Join(betas, ",")))
	}
	opts = append(opts, c.bodyOptions()...)
	stream := c.sdkClient(req.Region).Messages.NewStreaming(actx, params, opts...)
	defer stream.Close()

	resp := &Response{Model: req.Model, MaxTokens: int(params.MaxTokens)}
	for stream.Next() {
		idle.Reset(c.cfg.IdleTimeout)
		ev := stream.Current()
		resp.countDelta(ev)
		if err := resp.Message.Accumulate(ev); err != nil {
			return resp, emitted, fmt.Errorf("accumulate %s: %w", ev.Type, err)
		}
		c.inspect(ev, resp)
		emitted = true
		on(Event{Kind: EventMessage, Message: ev})
	}
	if httpResp != nil {
		resp.RequestID = requestID(httpResp.Header)
		resp.ServiceTier = httpResp.Header.Get(ServiceTierHeader)
	}
	err := stream.Err()
	if cause := context.Cause(actx); (errors.Is(cause, errIdle) || errors.Is(cause, errRequestTimeout)) && ctx.Err() == nil {
		return resp, emitted, cause
	}
	if err != nil {
		return resp, emitted, err
	}
	if resp.Message.StopReason == "" {
		// The body ended without message_stop: a cut connection that
		// looked like a clean end.
		return resp, emitted, io.ErrUnexpectedEOF
	}
	return resp, emitted, nil
}

// params fills what the configuration decides, and the betas the
// request carries: the caller's, then thinking's, then ANTHROPIC_BETAS.
func (c *Client) params(req Request) (anthropic.MessageNewParams, []string) {
	p := req.Params
	p.Model = anthropic.Model(req.Model)
	if p.MaxTokens == 0 {
		p.MaxTokens = int64(c.cfg.MaxOutputTokens)
	}
	m := req.Catalog
	if m == nil {
		m, _ = model.Lookup(req.Model)
	}
	betas := slices.Clone(req.Betas)
	c.thinking().apply(&p, m, &betas, req.Turn)
	for _, b := range c.cfg.Betas {
		if !slices.Contains(betas, b) {
			betas = append(betas, b)
		}
	}
	c.tagGuardContent(&p)
	return p, betas
}

// inspect picks Bedrock's additions out of the events: the guardrail
// action and the invocation metrics, which the SDK keeps only as raw JSON.
func (c *Client) inspect(ev anthropic.MessageStreamEventUnion, resp *Response) {
	if ev.Type != "message_start" && ev.Type != "message_stop" {
		return
	}
	var extra struct {
		Message struct {
			Guardrail string `json:"amazon-bedrock-guardrailAction"`
		} `json:"message"`
		Guardrail string             `json:"amazon-bedrock-guardrailAction"`
		Metrics   *InvocationMetrics `json:"amazon-bedrock-invocationMetrics"`
	}
	if json.Unmarshal([]byte(ev.RawJSON()), &extra) != nil {
		return
	}
	if extra.Message.Guardrail == "INTERVENED" || extra.Guardrail == "INTERVENED" {
		resp.Guardrail = true
	}
	if extra.Metrics != nil {
		resp.Metrics = *extra.Metrics
	}
}

func requestID(h http.Header) string {
	for _, k := range []string{"x-amzn-RequestId", "request-id", "x-request-id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// toAPIError turns whatever the SDK or the network returned into an
// *APIError with a kind.
func (c *Client) toAPIError(err error, req Request) *APIError {
	region := req.Region
	if region == "" {
		region = c.cfg.Region
	}
	e := &APIError{Model: req.Model, Region: region}
	if c.cfg.Provider == Anthropic {
		e.Region = ""
	}
	var sdkErr *anthropic.Error
	switch {
	case errors.As(err, &sdkErr):
		e.Status = sdkErr.StatusCode
		e.Code, e.Message = errorBody(sdkErr.RawJSON())
		if sdkErr.Response != nil {
			if t := sdkErr.Response.Header.Get("x-amzn-ErrorType"); t != "" && e.Status >= 400 {
				e.Code, _, _ = strings.Cut(t, ":")
			}
			e.RequestID = requestID(sdkErr.Response.Header)
			e.retryAfter = retryAfter(sdkErr.Response.Header)
		}
		if e.Code == "" {
			e.Code = string(sdkErr.Type())
		}
		e.Kind = classify(e.Status, e.Code, e.Message)
	case errors.Is(err, errIdle):
		e.Kind, e.Message = KindTimeout, fmt.Sprintf("no data for %s", c.cfg.IdleTimeout)
	case errors.Is(err, errRequestTimeout):
		e.Kind, e.Message = KindTimeout, fmt.Sprintf("the request took longer than %s (API_TIMEOUT_MS)", c.cfg.RequestTimeout)
	case c.unreachableError(err, req) != nil: // before isConnectionError: not retried
		return c.unreachableError(err, req)
	case isConnectionError(err):
		e.Kind, e.Message = KindConnection, err.Error()
	default:
		e.Kind, e.Message = KindUnknown, err.Error()
	}
	return e
}

// errorBody reads Bedrock's {"message":…} or the Anthropic
// {"error":{"type","message"}} shape.
func errorBody(raw string) (code, message string) {
	var b struct {
		Message  string `json:"message"`
		MessageU string `json:"Message"`
		Error    struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(raw), &b) != nil {
		return "", strings.TrimSpace(raw)
	}
	switch {
	case b.Error.Message != "" || b.Error.Type != "":
		return b.Error.Type, b.Error.Message
	case b.Message != "":
		return "", b.Message
	}
	return "", b.MessageU
}

func retryAfter(h http.Header) time.Duration {
	if ms, err := strconv.Atoi(h.Get("retry-after-ms")); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	if s, err := strconv.Atoi(h.Get("retry-after")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

func isConnectionError(err error) bool {
	var ne net.Error
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		errors.As(err, &ne) || strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "unexpected EOF")
}
