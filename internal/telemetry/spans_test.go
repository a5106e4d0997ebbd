package telemetry

import (
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// spanCollector is an OTLP traces receiver over HTTP and gRPC.
type spanCollector struct {
	coltracepb.UnimplementedTraceServiceServer
	mu    sync.Mutex
	spans []*tracepb.Span
	scope string
	res   map[string]string
}

func (c *spanCollector) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	c.add(req)
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func (c *spanCollector) add(req *coltracepb.ExportTraceServiceRequest) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		c.res = anyMap(rs.Resource.Attributes)
		for _, ss := range rs.ScopeSpans {
			c.scope = ss.Scope.Name
			c.spans = append(c.spans, ss.Spans...)
		}
	}
}

func (c *spanCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.add(&req)
}

func (c *spanCollector) named(name string) []*tracepb.Span {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*tracepb.Span
	for _, s := range c.spans {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

func newTracesRecorder(t *testing.T, env map[string]string) *Recorder {
	t.Helper()
	env["CLAUDE_CODE_ENHANCED_TELEMETRY_BETA"] = "1"
	env["OTEL_TRACES_EXPORTER"] = "otlp"
	return newEventsRecorder(t, env)
}

// TestTracesHTTP checks the span tree of runSession as a collector gets
// it: one interaction; under it each model request (the retry an event
// of the first) and each tool call; under a tool call the wait for the
// user and the execution; and that content stays out unless switched on.
func TestTracesHTTP(t *testing.T) {
	t.Parallel()
	col := &spanCollector{}
	srv := httptest.NewServer(col)
	t.Cleanup(srv.Close)
	r := newTracesRecorder(t, map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": srv.URL + "/v1/traces"})
	runSession(t, r)
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if col.scope != traceScope || col.res["team"] != "platform" {
		t.Errorf("scope %q, resource %v", col.scope, col.res)
	}
	inter := col.named(SpanInteraction)
	if len(inter) != 1 {
		t.Fatalf("%d interactions, want 1", len(inter))
	}
	root := inter[0]
	ia := anyMap(root.Attributes)
	if len(root.ParentSpanId) != 0 || ia["user_prompt_length"] != "18" || ia["interaction.sequence"] != "1" || ia["session.id"] != "sess-1" {
		t.Errorf("interaction = parent %x, %v", root.ParentSpanId, ia)
	}
	if _, leaked := ia["user_prompt"]; leaked {
		t.Error("the prompt's text is in the trace without OTEL_LOG_USER_PROMPTS")
	}
	if root.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR {
		t.Errorf("interaction ended by an API error has status %v", root.Status)
	}
	for _, s := range col.spans {
		if string(s.TraceId) != string(root.TraceId) {
			t.Errorf("span %s is in another trace", s.Name)
		}
	}

	llm := col.named(SpanLLMRequest)
	if len(llm) != 3 {
		t.Fatalf("%d llm_request spans, want 3 (two answered, one failed)", len(llm))
	}
	first := anyMap(llm[0].Attributes)
	if first["model"] != "model-a" || first["request_id"] != "req-1" || first["cache_read_tokens"] != "100" || first["attempt"] != "2" || first["success"] != "true" {
		t.Errorf("first llm_request = %v", first)
	}
	if len(llm[0].Events) != 1 || llm[0].Events[0].Name != "retry" || anyMap(llm[0].Events[0].Attributes)["error"] != "throttled" {
		t.Errorf("retry events = %v", llm[0].Events)
	}
	if last := anyMap(llm[2].Attributes); last["success"] != "false" || llm[2].Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR {
		t.Errorf("failed llm_request = %v, status %v", last, llm[2].Status)
	}

	tools := map[string]*tracepb.Span{}
	for _, s := range col.named(SpanTool) {
		if string(s.ParentSpanId) != string(root.SpanId) {
			t.Errorf("tool span %v is not under the interaction", s.Attributes)
		}
		tools[anyMap(s.Attributes)["tool_name"]] = s
	}
	bash, write, edit := tools["Bash"], tools["Write"], tools["Edit"]
	if bash == nil || write == nil || edit == nil {
		t.Fatalf("tool spans = %v", tools)
	}
	ba := anyMap(bash.Attributes)
	if ba["tool_use_id"] != "t1" || ba["decision"] != "accept" || ba["source"] != "user_permanent" || ba["success"] != "false" {
		t.Errorf("Bash span = %v", ba)
	}
	if _, leaked := ba["tool_input"]; leaked || strings.Contains(bash.Status.GetMessage(), "secret") {
		t.Error("tool input or output is in the trace without OTEL_LOG_TOOL_DETAILS")
	}
	if wa := anyMap(write.Attributes); wa["decision"] != "reject" || wa["source"] != "config" {
		t.Errorf("Write span = %v", wa)
	}
	children := func(parent *tracepb.Span) map[string]map[string]string {
		out := map[string]map[string]string{}
		for _, s := range col.spans {
			if string(s.ParentSpanId) == string(parent.SpanId) {
				out[s.Name] = anyMap(s.Attributes)
			}
		}
		return out
	}
	bc := children(bash)
	if bc[SpanBlockedOnUser]["decision"] != "accept" || bc[SpanToolExecution]["success"] != "false" {
		t.Errorf("Bash children = %v", bc)
	}
	if ec := children(edit); ec[SpanBlockedOnUser]["source"] != "user_abort" || ec[SpanToolExecution] != nil {
		t.Errorf("refused Edit children = %v", ec)
	}
}

// TestTracesGRPCAndTraceParent exports over gRPC with details on, and
// checks that the TRACEPARENT a tool call's commands get names that
// call's span.
func TestTracesGRPCAndTraceParent(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &spanCollector{}
	srv := grpc.NewServer()
	coltracepb.RegisterTraceServiceServer(srv, col)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	r := newTracesRecorder(t, map[string]string{
		"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://" + ln.Addr().String(),
		"OTEL_LOG_USER_PROMPTS":       "1",
		"OTEL_LOG_TOOL_DETAILS":       "1",
	})
	o := r.Observe(t.Context(), nil)
	if !o.Tracing() {
		t.Fatal("Tracing() = false with the beta and an exporter set")
	}
	tp := o.TraceParent("t1")
	runSession(t, r) // a second interaction, with its own trace
	o.Finish(nil)
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(col.named(SpanInteraction)) != 2 {
		t.Fatalf("interactions = %d, want 2", len(col.named(SpanInteraction)))
	}
	parts := strings.Split(tp, "-")
	if len(parts) != 4 || parts[0] != "00" || parts[3] != "01" || len(parts[1]) != 32 || len(parts[2]) != 16 {
		t.Fatalf("TraceParent = %q, want a W3C traceparent", tp)
	}
	// The first observer's interaction is the trace TRACEPARENT names.
	var found bool
	for _, s := range col.named(SpanInteraction) {
		if hex.EncodeToString(s.TraceId) == parts[1] {
			found = true
		}
	}
	if !found {
		t.Errorf("TRACEPARENT %s names no exported trace", tp)
	}
	for _, s := range col.named(SpanTool) {
		a := anyMap(s.Attributes)
		if a["tool_name"] == "Bash" && a["tool_input"] != `{"command":"cat /etc/secret"}` {
			t.Errorf("Bash span with details = %v", a)
		}
		// A tool span's ID is the one TRACEPARENT gives its commands.
		if want := toolSpanID(traceID(s.TraceId), a["tool_use_id"]); string(s.SpanId) != string(want[:]) {
			t.Errorf("tool span %s has ID %x, its commands were told %x", a["tool_use_id"], s.SpanId, want)
		}
	}
	for _, s := range col.named(SpanInteraction) {
		if a := anyMap(s.Attributes); a["interaction.sequence"] == "1" && a["user_prompt"] != "fix the secret bug" {
			t.Errorf("interaction with OTEL_LOG_USER_PROMPTS = %v", a)
		}
	}
}

func TestTraceSettings(t *testing.T) {
	t.Parallel()
	load := func(env map[string]string) Settings {
		env["CLAUDE_CODE_ENABLE_TELEMETRY"] = "1"
		return Load(func(k string) string { return env[k] })
	}
	if s := load(map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}); s.Traces.Exporter != "" || !strings.Contains(strings.Join(s.Warnings, "\n"), "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1") {
		t.Errorf("traces without the beta flag: %+v, warnings %v", s.Traces, s.Warnings)
	}
	s := load(map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "ENABLE_ENHANCED_TELEMETRY_BETA": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/", "OTEL_BSP_SCHEDULE_DELAY": "250"})
	if s.Traces.Endpoint != "http://collector:4318/v1/traces" || s.Traces.Interval.Milliseconds() != 250 {
		t.Errorf("traces = %+v", s.Traces)
	}
	if s := load(map[string]string{"OTEL_TRACES_EXPORTER": "zipkin", "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA": "1"}); s.Traces.Exporter != "" || len(s.Warnings) == 0 {
		t.Errorf("an unknown exporter: %+v, %v", s.Traces, s.Warnings)
	}
}
