package tool

import (
	"context"
	"slices"
	"strings"
)

// A traced run (telemetry's beta traces) gives the commands a tool call
// runs its span as their parent, through the W3C TRACEPARENT variable, so
// that a build or a test suite that traces itself joins basalt's trace.

type (
	traceParentKey struct{}
	callIDKey      struct{}
)

// WithTraceParent returns ctx carrying parentOf, which names the span of
// a tool call by its ID ("" when the run is not traced).
func WithTraceParent(ctx context.Context, parentOf func(callID string) string) context.Context {
	return context.WithValue(ctx, traceParentKey{}, parentOf)
}

// WithCallID returns ctx for running the tool call id.
func WithCallID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, callIDKey{}, id)
}

// withTraceParent returns env with TRACEPARENT set to the running call's
// span when the run is traced, and env itself otherwise. env is never
// modified: it is the session's shared environment.
func withTraceParent(ctx context.Context, env []string) []string {
	parentOf, _ := ctx.Value(traceParentKey{}).(func(string) string)
	id, _ := ctx.Value(callIDKey{}).(string)
	if parentOf == nil || id == "" {
		return env
	}
	tp := parentOf(id)
	if tp == "" {
		return env
	}
	out := slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "TRACEPARENT=") || strings.HasPrefix(kv, "TRACESTATE=")
	})
	return append(out, "TRACEPARENT="+tp)
}
