package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLedger(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var ledgerOut, logOut syncBuffer
	g, _ := ParseGuardrail("gr1abc:1:forbidden")
	s, err := New(Options{
		Now:        func() time.Time { return at },
		Ledger:     &ledgerOut,
		Log:        &logOut,
		Guardrails: []Guardrail{g},
		Scenario:   scenarioFrom(t, fiveBlocks),
	})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 20000) // 5,000 tokens, above Haiku 4.5's 4,096
	streamBody := thinkingBody(map[string]any{
		"anthropic_beta": []any{" interleaved-thinking-2025-05-14", "context-1m-2025-08-07 "},
		"system": []any{
			map[string]any{"type": "text", "text": long, "cache_control": map[string]any{"type": "ephemeral", "ttl": "1h"}},
			map[string]any{"type": "text", "text": "and more", "cache_control": map[string]any{"type": "ephemeral"}},
		},
	})
	w := send(t, s, "POST", "/model/"+haiku45+"/invoke-with-response-stream", streamBody,
		append(sigv4Authorization("AKIDLEDGER"), hdrGuardrailID, "gr1abc", hdrGuardrailVersion, "1", "anthropic-beta", "ignored-header-beta")...)
	mustStatus(t, w, 200)
	frames := decodeFrames(t, w.Body.Bytes())
	var stop evMessageStop
	json.Unmarshal(frames[len(frames)-1].Raw, &stop)

	send(t, s, "POST", "/model/anthropic.claude-sonnet-4-6/invoke", reqBody(nil), "Authorization", "Bearer ABSKkey")
	send(t, s, "GET", "/inference-profiles?maxResults=2", nil, "Authorization", "Bearer ABSKkey")
	send(t, s, "POST", "/model/"+sonnet46+"/invoke", reqBody(nil)) // no Authorization, not allowed

	want := []Record{
		{
			Time: at, Method: "POST", Path: "/model/" + haiku45 + "/invoke-with-response-stream", Operation: "InvokeModelWithResponseStream",
			Model: haiku45, Status: 200, Auth: "sigv4", AccessKeyID: "AKIDLEDGER", Region: "us-west-2", Stream: true,
			MaxTokens: 4096, ThinkingBudget: 1024, ThinkingType: "enabled", AnthropicBeta: []string{"interleaved-thinking-2025-05-14", "context-1m-2025-08-07"},
			Breakpoints: 2, TTLs: []string{"1h", "5m"}, Images: []string{}, GuardrailID: "gr1abc", GuardrailVersion: "1",
			InputTokens: stop.Metrics.InputTokenCount, CacheCreationInputTokens: stop.Metrics.CacheWriteInputTokenCount,
			OutputTokens: stop.Metrics.OutputTokenCount, RequestBytes: len(streamBody),
		},
		{
			Time: at, Method: "POST", Path: "/model/anthropic.claude-sonnet-4-6/invoke", Operation: "InvokeModel",
			Model: "anthropic.claude-sonnet-4-6", Status: 400, ErrorType: "ValidationException", Auth: "bearer",
			AnthropicBeta: []string{}, TTLs: []string{}, Images: []string{}, RequestBytes: len(reqBody(nil)),
		},
		{
			Time: at, Method: "GET", Path: "/inference-profiles", Operation: "ListInferenceProfiles",
			Status: 200, Auth: "bearer", AnthropicBeta: []string{}, TTLs: []string{}, Images: []string{},
		},
		{
			Time: at, Method: "POST", Path: "/model/" + sonnet46 + "/invoke", Operation: "InvokeModel",
			Model: "global.anthropic.claude-sonnet-4-6", Status: 403, ErrorType: "AccessDeniedException", Auth: "none",
			AnthropicBeta: []string{}, TTLs: []string{}, Images: []string{}, RequestBytes: len(reqBody(nil)),
		},
	}
	if stop.Metrics.CacheWriteInputTokenCount == 0 {
		t.Errorf("the 1h breakpoint of 5,000 tokens should be written: metrics %+v", stop.Metrics)
	}
	got := s.Records()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Records mismatch (-want +got):\n%s", diff)
	}

	// The JSON lines carry the same records, with every field named as
	// DESIGN.md §7 says.
	var lines []Record
	sc := bufio.NewScanner(strings.NewReader(ledgerOut.String()))
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("ledger line %q: %v", sc.Text(), err)
		}
		lines = append(lines, r)
		if len(lines) == 1 {
			var fields map[string]any
			json.Unmarshal(sc.Bytes(), &fields)
			for _, f := range []string{"time", "method", "path", "operation", "model", "status", "error_type", "auth", "access_key_id", "region",
				"stream", "max_tokens", "thinking_budget", "anthropic_beta", "breakpoints", "ttls", "service_tier", "guardrail_id", "guardrail_version",
				"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens", "request_bytes", "images", "documents",
				"thinking_type", "effort", "guard_tagged"} {
				if _, ok := fields[f]; !ok {
					t.Errorf("ledger line has no %q", f)
				}
			}
			if len(fields) != 29 {
				t.Errorf("ledger line has %d fields, want 29", len(fields))
			}
		}
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("ledger lines mismatch (-want +got):\n%s", diff)
	}

	logLines := strings.Split(strings.TrimSpace(logOut.String()), "\n")
	wantLog := []string{
		"12:00:00.000 POST /model/" + haiku45 + "/invoke-with-response-stream 200 InvokeModelWithResponseStream auth=sigv4:AKIDLEDGER in=",
		"12:00:00.000 POST /model/anthropic.claude-sonnet-4-6/invoke 400 ValidationException InvokeModel auth=bearer\n",
		"12:00:00.000 GET /inference-profiles 200 ListInferenceProfiles auth=bearer\n",
		"12:00:00.000 POST /model/" + sonnet46 + "/invoke 403 AccessDeniedException InvokeModel\n",
	}
	if len(logLines) != len(wantLog) {
		t.Fatalf("log:\n%s", logOut.String())
	}
	for i, prefix := range wantLog {
		line := logLines[i] + "\n"
		if !strings.HasPrefix(line, prefix) {
			t.Errorf("log line %d\n got %q\nwant prefix %q", i, line, prefix)
		}
	}
	if !strings.Contains(logLines[0], "guardrail=gr1abc:1") {
		t.Errorf("log line %q: no guardrail", logLines[0])
	}
}

func TestLedgerRing(t *testing.T) {
	t.Parallel()
	l := newLedger(nil, nil)
	for i := range maxRecords + 10 {
		l.add(Record{Status: i})
	}
	got := l.records()
	if len(got) != maxRecords || got[0].Status != 10 || got[len(got)-1].Status != maxRecords+9 {
		t.Errorf("ring holds %d records from %d to %d", len(got), got[0].Status, got[len(got)-1].Status)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, bytes.ErrTooLarge }

func TestLedgerWriteFailure(t *testing.T) {
	t.Parallel()
	var logOut syncBuffer
	l := newLedger(failingWriter{}, &logOut)
	l.add(Record{Method: "GET"})
	l.add(Record{Method: "GET"})
	if n := strings.Count(logOut.String(), "ledger: write:"); n != 1 {
		t.Errorf("the write failure is reported %d times, want once:\n%s", n, logOut.String())
	}
	if len(l.records()) != 2 {
		t.Error("records lost with the file")
	}
}
