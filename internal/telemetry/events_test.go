package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/tool"
)

// event is one received log record: its body and attributes as strings,
// and the resource attributes it came with.
type event struct {
	body     string
	scope    string
	unknown  []byte // fields the generated types (proto 1.4) do not know: event_name
	attrs    map[string]string
	resource map[string]string
}

// logCollector keeps the events of the ExportLogsServiceRequests it
// decodes with the generated OTLP types.
type logCollector struct {
	collogspb.UnimplementedLogsServiceServer
	mu     sync.Mutex
	events []event
	paths  []string
}

func (c *logCollector) Export(_ context.Context, req *collogspb.ExportLogsServiceRequest) (*collogspb.ExportLogsServiceResponse, error) {
	c.add(req)
	return &collogspb.ExportLogsServiceResponse{}, nil
}

func (c *logCollector) add(req *collogspb.ExportLogsServiceRequest) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rl := range req.ResourceLogs {
		res := anyMap(rl.GetResource().GetAttributes())
		for _, sl := range rl.ScopeLogs {
			for _, lr := range sl.LogRecords {
				c.events = append(c.events, event{body: lr.GetBody().GetStringValue(), scope: sl.GetScope().GetName(), attrs: anyMap(lr.Attributes), resource: res, unknown: lr.ProtoReflect().GetUnknown()})
			}
		}
	}
}

func (c *logCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req collogspb.ExportLogsServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.paths = append(c.paths, r.URL.Path)
	c.mu.Unlock()
	c.add(&req)
}

func (c *logCollector) named(name string) []event {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []event
	for _, e := range c.events {
		if e.body == name {
			out = append(out, e)
		}
	}
	return out
}

func anyMap(kvs []*commonpb.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		v := kv.GetValue()
		switch x := v.GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			m[kv.Key] = x.StringValue
		case *commonpb.AnyValue_IntValue:
			m[kv.Key] = jsonNum(float64(x.IntValue))
		case *commonpb.AnyValue_DoubleValue:
			m[kv.Key] = jsonNum(x.DoubleValue)
		case *commonpb.AnyValue_BoolValue:
			m[kv.Key] = boolString(x.BoolValue)
		default:
			m[kv.Key] = "?"
		}
	}
	return m
}

func jsonNum(f float64) string { b, _ := json.Marshal(f); return string(b) }

// runSession drives an observer through a session with every kind of
// event: a prompt, two answered requests, a retried failure, a tool
// allowed by the user that fails, one denied by config, one the user
// refused, and a run that ends on an API error. It returns the session's
// cost as the last usage event reported it.
func runSession(t *testing.T, r *Recorder) float64 {
	t.Helper()
	ctx := t.Context()
	r.Begin(ctx, "sess-1", "model-a")
	r.UserPrompt("fix the secret bug")
	o := r.Observe(ctx, nil)
	o.RequestStarted()
	o.Event(agent.Event{Kind: agent.EventAssistant, Message: json.RawMessage(`{"model":"model-a"}`)})
	o.Event(agent.Event{Kind: agent.EventRetry, Retry: provider.RetryInfo{Attempt: 2, Max: 3, Reason: "throttled", Status: 429, Delay: 1500 * time.Millisecond}})
	o.Event(agent.Event{Kind: agent.EventUsage, RequestID: "req-1", Usage: cost.TurnReport{
		Turn: cost.Usage{InputTokens: 10, OutputTokens: 5, CacheRead: 100}, TurnCost: cost.Cost{USD: 0.25, Known: true},
		SessionCost: cost.Cost{USD: 0.25, Known: true},
	}})
	bash := &agent.ToolCall{ID: "t1", Name: "Bash", Input: json.RawMessage(`{"command":"cat /etc/secret"}`)}
	o.Event(agent.Event{Kind: agent.EventPermission, Tool: bash, Decision: &permission.Decision{Behavior: permission.Ask}})
	o.Event(agent.Event{Kind: agent.EventDecision, Tool: bash, Source: agent.SourceUserPermanent})
	o.Event(agent.Event{Kind: agent.EventToolStart, Tool: bash})
	o.Event(agent.Event{Kind: agent.EventToolEnd, Tool: bash, Result: &tool.Result{Content: "secret-output", IsError: true}})
	write := &agent.ToolCall{ID: "t2", Name: "Write", Input: json.RawMessage(`{"file_path":"/x"}`)}
	o.Event(agent.Event{Kind: agent.EventPermission, Tool: write, Decision: &permission.Decision{Behavior: permission.Deny}})
	edit := &agent.ToolCall{ID: "t3", Name: "Edit"}
	o.Event(agent.Event{Kind: agent.EventPermission, Tool: edit, Decision: &permission.Decision{Behavior: permission.Ask}})
	o.Event(agent.Event{Kind: agent.EventDecision, Tool: edit, Source: agent.SourceUserAbort})
	grep := &agent.ToolCall{ID: "t4", Name: "Grep"}
	o.Event(agent.Event{Kind: agent.EventPermission, Tool: grep, Source: agent.SourceHook, Decision: &permission.Decision{Behavior: permission.Deny}})
	glob := &agent.ToolCall{ID: "t5", Name: "Glob"}
	o.Event(agent.Event{Kind: agent.EventDecision, Tool: glob, Source: agent.SourceHook})
	o.Event(agent.Event{Kind: agent.EventToolStart, Tool: glob})
	o.Event(agent.Event{Kind: agent.EventToolEnd, Tool: glob, Result: &tool.Result{Content: "a.go"}})
	ls := &agent.ToolCall{ID: "t6", Name: "LS"}
	o.Event(agent.Event{Kind: agent.EventPermission, Tool: ls, Decision: &permission.Decision{Behavior: permission.Ask}})
	o.Event(agent.Event{Kind: agent.EventToolResults})
	o.Event(agent.Event{Kind: agent.EventUsage, Usage: cost.TurnReport{
		Turn: cost.Usage{InputTokens: 20, OutputTokens: 7}, TurnCost: cost.Cost{USD: 0.125, Known: true},
		SessionCost: cost.Cost{USD: 0.375, Known: true},
	}})
	o.RequestStarted()
	o.Finish(&provider.APIError{Kind: provider.KindThrottled, Status: 429, Message: "Too many requests", RequestID: "req-9", Attempts: 3})
	return 0.375
}

func newEventsRecorder(t *testing.T, env map[string]string) *Recorder {
	t.Helper()
	env["CLAUDE_CODE_ENABLE_TELEMETRY"] = "1"
	env["OTEL_METRICS_EXPORTER"] = "none"
	env["OTEL_RESOURCE_ATTRIBUTES"] = "team=platform,cost_center=cc-42"
	s := Load(func(k string) string { return env[k] })
	if len(s.Warnings) > 0 {
		t.Fatalf("warnings: %v", s.Warnings)
	}
	r, err := New(t.Context(), s, Options{Version: "9.9.9"})
	if err != nil || r == nil {
		t.Fatalf("New = %v, %v", r, err)
	}
	return r
}

// TestEventsHTTP checks every event's name and attributes as an
// http/protobuf collector receives them, with prompts and tool details
// off, and that the api_request costs add up to the session's.
func TestEventsHTTP(t *testing.T) {
	t.Parallel()
	col := &logCollector{}
	srv := httptest.NewServer(col)
	t.Cleanup(srv.Close)
	r := newEventsRecorder(t, map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL})
	sessionCost := runSession(t, r)
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(col.paths) == 0 || col.paths[0] != "/v1/logs" {
		t.Errorf("paths = %v, want /v1/logs", col.paths)
	}

	want := map[string]int{EventUserPrompt: 1, EventAPIRequest: 2, EventAPIError: 2, EventToolDecision: 6, EventToolResult: 6, EventRetriesExhausted: 1, EventAPIRetry: 1}
	for name, n := range want {
		if got := len(col.named(name)); got != n {
			t.Errorf("%s: %d events, want %d", name, got, n)
		}
	}
	for _, e := range col.events {
		for k, v := range map[string]string{"session.id": "sess-1", "app.version": "9.9.9", "event.name": strings.TrimPrefix(e.body, "claude_code.")} {
			if e.attrs[k] != v {
				t.Errorf("%s: %s = %q, want %q", e.body, k, e.attrs[k], v)
			}
		}
		if !uuidRE.MatchString(e.attrs["prompt.id"]) {
			t.Errorf("%s: prompt.id %q is not a UUID", e.body, e.attrs["prompt.id"])
		}
		if _, err := time.Parse(time.RFC3339, e.attrs["event.timestamp"]); err != nil {
			t.Errorf("%s: event.timestamp: %v", e.body, err)
		}
		for _, k := range []string{"event.timestamp", "event.sequence", "prompt.id"} {
			if e.attrs[k] == "" {
				t.Errorf("%s: no %s", e.body, k)
			}
		}
		if e.resource["team"] != "platform" || e.resource["cost_center"] != "cc-42" || e.resource["service.name"] != "basalt" {
			t.Errorf("%s: resource = %v, want OTEL_RESOURCE_ATTRIBUTES and service.name", e.body, e.resource)
		}
		// LogRecord.event_name is field 12, a string: tag 12<<3|2.
		if want := append([]byte{12<<3 | 2, byte(len(e.body))}, e.body...); !bytes.Equal(e.unknown, want) {
			t.Errorf("%s: event_name field = %q, want %q", e.body, e.unknown, want)
		}
		if e.scope != eventScope {
			t.Errorf("%s: scope %q", e.body, e.scope)
		}
		for k, v := range e.attrs {
			if strings.Contains(v, "secret") {
				t.Errorf("%s: %s = %q leaks the prompt or a tool's content", e.body, k, v)
			}
		}
	}

	p := col.named(EventUserPrompt)[0]
	if p.attrs["prompt_length"] != "18" {
		t.Errorf("prompt_length = %q, want 18", p.attrs["prompt_length"])
	}
	if _, ok := p.attrs["prompt"]; ok {
		t.Error("prompt text exported without OTEL_LOG_USER_PROMPTS")
	}

	req := col.named(EventAPIRequest)[0].attrs
	for k, v := range map[string]string{"model": "model-a", "input_tokens": "10", "output_tokens": "5", "cache_read_tokens": "100", "cache_creation_tokens": "0", "cost_usd": "0.25", "request_id": "req-1"} {
		if req[k] != v {
			t.Errorf("api_request %s = %q, want %q", k, req[k], v)
		}
	}
	if req["duration_ms"] == "" {
		t.Error("api_request has no duration_ms")
	}
	var total float64
	for _, e := range col.named(EventAPIRequest) {
		var c float64
		_ = json.Unmarshal([]byte(e.attrs["cost_usd"]), &c)
		total += c
	}
	if math.Abs(total-sessionCost) > 1e-9 {
		t.Errorf("api_request cost_usd adds up to %v, the session cost %v", total, sessionCost)
	}

	errs := col.named(EventAPIError)
	if a := errs[0].attrs; a["model"] != "model-a" || a["error"] != "throttled" || a["attempt"] != "1" || a["status_code"] != "429" {
		t.Errorf("retried api_error = %v", a)
	}
	if a := errs[1].attrs; a["status_code"] != "429" || a["error"] != "Too many requests" || a["attempt"] != "3" || a["request_id"] != "req-9" {
		t.Errorf("final api_error = %v", a)
	}

	if ex := col.named(EventRetriesExhausted); len(ex) != 1 {
		t.Errorf("%d api_retries_exhausted events, want 1", len(ex))
	} else if a := ex[0].attrs; a["status_code"] != "429" || a["total_attempts"] != "3" || a["model"] != "model-a" || a["error"] != "Too many requests" || a["total_retry_duration_ms"] == "" {
		t.Errorf("api_retries_exhausted = %v", a)
	}
	if rs := col.named(EventAPIRetry); len(rs) != 1 {
		t.Errorf("%d basalt.api_retry events, want 1", len(rs))
	} else if a := rs[0].attrs; a["event.name"] != "basalt.api_retry" || a["attempt"] != "2" || a["max_attempts"] != "3" || a["reason"] != "throttled" || a["status_code"] != "429" || a["delay_ms"] != "1500" || a["model"] != "model-a" {
		t.Errorf("basalt.api_retry = %v", a)
	}

	decisions := map[string]string{}
	ids := map[string]string{}
	for _, e := range col.named(EventToolDecision) {
		decisions[e.attrs["tool_name"]] = e.attrs["decision"] + "/" + e.attrs["source"]
		ids[e.attrs["tool_name"]] = e.attrs["tool_use_id"]
	}
	wantDecisions := map[string]string{
		"Bash": "accept/user_permanent", "Write": "reject/config", "Edit": "reject/user_abort",
		"Grep": "reject/hook", "Glob": "accept/hook", "LS": "reject/user_reject",
	}
	if !equalMaps(decisions, wantDecisions) {
		t.Errorf("tool_decision = %v, want %v", decisions, wantDecisions)
	}
	if want := map[string]string{"Bash": "t1", "Write": "t2", "Edit": "t3", "Grep": "t4", "Glob": "t5", "LS": "t6"}; !equalMaps(ids, want) {
		t.Errorf("tool_decision tool_use_id = %v, want %v", ids, want)
	}
	results := map[string]map[string]string{}
	for _, e := range col.named(EventToolResult) {
		results[e.attrs["tool_name"]] = e.attrs
	}
	for name, id := range map[string]string{"Bash": "t1", "Write": "t2", "Edit": "t3", "Grep": "t4", "Glob": "t5", "LS": "t6"} {
		if got := results[name]["tool_use_id"]; got != id {
			t.Errorf("%s tool_result tool_use_id = %q, want %q", name, got, id)
		}
	}
	bash := results["Bash"]
	if bash["success"] != "false" || bash["decision_type"] != "accept" || bash["decision_source"] != "user_permanent" || bash["tool_result_size_bytes"] != "13" || bash["tool_input_size_bytes"] != "29" || bash["error_type"] != "tool_error" || bash["duration_ms"] == "" {
		t.Errorf("Bash tool_result = %v", bash)
	}
	for _, k := range []string{"tool_input", "error"} {
		if _, ok := bash[k]; ok {
			t.Errorf("tool_result has %s without OTEL_LOG_TOOL_DETAILS", k)
		}
	}
	if w := results["Write"]; w["decision_type"] != "reject" || w["decision_source"] != "config" || w["success"] != "false" {
		t.Errorf("Write tool_result = %v", w)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestEventsDetailsGRPC checks the gRPC path and that the prompt and the
// tool's input and error are exported when switched on.
func TestEventsDetailsGRPC(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &logCollector{}
	srv := grpc.NewServer()
	collogspb.RegisterLogsServiceServer(srv, col)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	r := newEventsRecorder(t, map[string]string{
		"OTEL_LOGS_EXPORTER":               "otlp",
		"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "grpc",
		"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://" + ln.Addr().String(),
		"OTEL_LOG_USER_PROMPTS":            "1",
		"OTEL_LOG_TOOL_DETAILS":            "1",
	})
	runSession(t, r)
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if p := col.named(EventUserPrompt); len(p) != 1 || p[0].attrs["prompt"] != "fix the secret bug" {
		t.Errorf("user_prompt = %v, want the prompt text", p)
	}
	var bash map[string]string
	for _, e := range col.named(EventToolResult) {
		if e.attrs["tool_name"] == "Bash" {
			bash = e.attrs
		}
	}
	if bash["tool_input"] != `{"command":"cat /etc/secret"}` || bash["error"] != "secret-output" {
		t.Errorf("Bash tool_result with details = %v", bash)
	}
}

// TestEventsConsole checks OTEL_LOGS_EXPORTER=console: one JSON object a
// line, and that the interval flushes without waiting for the end.
func TestEventsConsole(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var out bytes.Buffer
	s := Load(func(k string) string {
		return map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "console", "OTEL_LOGS_EXPORT_INTERVAL": "20"}[k]
	})
	r, err := New(t.Context(), s, Options{Version: "v", Console: lockedWriter{&mu, &out}})
	if err != nil {
		t.Fatal(err)
	}
	r.Begin(t.Context(), "s", "m")
	r.UserPrompt("hi")
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := out.Len()
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	var line struct {
		Name       string         `json:"name"`
		Attributes map[string]any `json:"attributes"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &line); err != nil {
		t.Fatalf("console output %q: %v", out.String(), err)
	}
	if line.Name != EventUserPrompt || line.Attributes["prompt_length"] != float64(2) || line.Attributes["session.id"] != "s" {
		t.Errorf("console event = %+v", line)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestEventsExportError checks that a collector's refusal reaches the
// caller of Shutdown.
func TestEventsExportError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	r := newEventsRecorder(t, map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": srv.URL + "/v1/logs"})
	r.UserPrompt("x")
	err := r.Shutdown(t.Context())
	if err == nil || !strings.Contains(err.Error(), "export events: otlp http export: 403 Forbidden: nope") {
		t.Errorf("Shutdown error = %v", err)
	}
}

// A call the OS sandbox allowed without a question is reported with the
// decision source "sandbox".
func TestEventsSandboxSource(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var out bytes.Buffer
	s := Load(func(k string) string {
		return map[string]string{"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "console", "OTEL_LOGS_EXPORT_INTERVAL": "20"}[k]
	})
	r, err := New(t.Context(), s, Options{Version: "v", Console: lockedWriter{&mu, &out}})
	if err != nil {
		t.Fatal(err)
	}
	r.Begin(t.Context(), "s", "m")
	o := r.Observe(t.Context(), nil)
	bash := &agent.ToolCall{ID: "t1", Name: "Bash", Input: json.RawMessage(`{"command":"make"}`)}
	o.Event(agent.Event{Kind: agent.EventToolStart, Tool: bash, Decision: &permission.Decision{Behavior: permission.Allow, Source: permission.SourceSandbox}})
	o.Event(agent.Event{Kind: agent.EventToolEnd, Tool: bash, Result: &tool.Result{Content: "ok"}})
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	text := out.String()
	mu.Unlock()
	found := false
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		var line struct {
			Name       string         `json:"name"`
			Attributes map[string]any `json:"attributes"`
		}
		if json.Unmarshal([]byte(l), &line) != nil || line.Name != EventToolDecision {
			continue
		}
		found = true
		if line.Attributes["source"] != "sandbox" {
			t.Errorf("tool_decision source = %v, want sandbox", line.Attributes["source"])
		}
	}
	if !found {
		t.Errorf("no tool_decision event in %q", text)
	}
}
