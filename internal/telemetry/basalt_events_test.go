package telemetry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
)

// basalt's own events: names under basalt., their attributes, and the
// cache savings on api_request.
func TestBasaltEvents(t *testing.T) {
	t.Parallel()
	col := &logCollector{}
	srv := httptest.NewServer(col)
	t.Cleanup(srv.Close)
	env := map[string]string{
		"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "none",
		"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL,
	}
	r, err := New(t.Context(), Load(func(k string) string { return env[k] }), Options{Version: "1", GuardrailID: "gr1abc", GuardrailVersion: "3"})
	if err != nil || r == nil {
		t.Fatalf("New: %v, %v", r, err)
	}
	ctx := t.Context()
	r.Begin(ctx, "s", "model-a")
	o := r.Observe(ctx, nil)
	o.RequestStarted()
	o.Event(agent.Event{Kind: agent.EventAssistant, Message: json.RawMessage(`{"model":"model-a"}`)})
	o.Event(agent.Event{Kind: agent.EventUsage, RequestID: "req-1", Usage: cost.TurnReport{
		Turn: cost.Usage{InputTokens: 10, CacheRead: 1000}, TurnCost: cost.Cost{USD: 0.01, Known: true},
		TurnSavings: cost.Cost{USD: 0.27, Known: true},
	}})
	o.Event(agent.Event{Kind: agent.EventUsage, RequestID: "req-2", Guardrail: true, Usage: cost.TurnReport{
		Turn: cost.Usage{InputTokens: 10}, TurnCost: cost.Cost{USD: 0.01, Known: true},
	}})
	refreshed := r.CredentialRefreshFunc()
	refreshed("awsAuthRefresh", 1200*time.Millisecond, nil)
	refreshed("awsAuthRefresh", 30*time.Second, fmt.Errorf("run awsAuthRefresh (secret-cmd): %w", errors.New("timed out after 10m0s")))
	refreshed("reload", time.Millisecond, fmt.Errorf("wrapped: %w", context.Canceled))
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}

	reqs := col.named(EventAPIRequest)
	if len(reqs) != 2 {
		t.Fatalf("%d api_request events", len(reqs))
	}
	if got := reqs[0].attrs["basalt.cache_savings_usd"]; got != "0.27" {
		t.Errorf("basalt.cache_savings_usd = %q, want 0.27", got)
	}
	if _, ok := reqs[1].attrs["basalt.cache_savings_usd"]; ok {
		t.Error("cache savings reported though unknown")
	}

	g := col.named(EventGuardrailIntervention)
	if len(g) != 1 {
		t.Fatalf("%d guardrail events, want 1", len(g))
	}
	want := map[string]string{"event.name": "basalt.guardrail_intervention", "model": "model-a", "action": "intervened", "guardrail_id": "gr1abc", "guardrail_version": "3", "request_id": "req-2"}
	for k, v := range want {
		if g[0].attrs[k] != v {
			t.Errorf("guardrail %s = %q, want %q", k, g[0].attrs[k], v)
		}
	}

	refs := col.named(EventCredentialRefresh)
	if len(refs) != 3 {
		t.Fatalf("%d credential_refresh events, want 3", len(refs))
	}
	for i, w := range []map[string]string{
		{"method": "awsAuthRefresh", "success": "true", "duration_ms": "1200"},
		{"method": "awsAuthRefresh", "success": "false", "duration_ms": "30000", "error_type": "timeout"},
		{"method": "reload", "success": "false", "error_type": "cancelled"},
	} {
		for k, v := range w {
			if refs[i].attrs[k] != v {
				t.Errorf("credential_refresh #%d %s = %q, want %q", i, k, refs[i].attrs[k], v)
			}
		}
		for _, v := range refs[i].attrs {
			if v == "secret-cmd" || len(v) > 12 && v[:12] == "run awsAuthR" {
				t.Errorf("credential_refresh #%d leaks the error text: %v", i, refs[i].attrs)
			}
		}
	}
	if _, ok := refs[0].attrs["error_type"]; ok {
		t.Error("a successful refresh has an error_type")
	}
}

// A nil recorder gives awsauth no callback at all.
func TestCredentialRefreshFuncNil(t *testing.T) {
	var r *Recorder
	if r.CredentialRefreshFunc() != nil {
		t.Error("nil recorder returned a callback")
	}
}
