package provider

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/option"
)

// logMiddleware writes one line per HTTP attempt to the log (--verbose):
// the operation and model, the request's size, the status, the time to
// the response's headers and the service's request ID, so that a slow or
// failed turn can be matched to CloudTrail and to the retries around it.
// It runs closest to the wire, after signing, and logs no header: those
// carry the credentials.
func (c *Client) logMiddleware(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	start := time.Now()
	size := r.ContentLength
	resp, err := next(r)
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("model", modelOfPath(r.URL.Path)),
		slog.Int64("request_bytes", size),
		slog.Duration("latency", time.Since(start)),
	}
	if err != nil {
		c.cfg.Log.LogAttrs(r.Context(), slog.LevelInfo, "http request failed", append(attrs, slog.String("err", err.Error()))...)
		return resp, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.String("request_id", requestID(resp.Header)))
	if t := resp.Header.Get("x-amzn-ErrorType"); t != "" {
		attrs = append(attrs, slog.String("code", t))
	}
	level := slog.LevelDebug
	if resp.StatusCode >= 400 {
		level = slog.LevelInfo
	}
	c.cfg.Log.LogAttrs(r.Context(), level, "http request", attrs...)
	return resp, err
}

// modelOfPath is the model of a Bedrock runtime path
// (/model/{id}/invoke-with-response-stream); "" for other APIs, whose
// model is in the body.
func modelOfPath(p string) string {
	i := strings.Index(p, "/model/")
	if i < 0 {
		return ""
	}
	rest := p[i+len("/model/"):]
	if j := strings.LastIndexByte(rest, '/'); j >= 0 {
		rest = rest[:j] // the operation: invoke, invoke-with-response-stream
	}
	return rest
}
