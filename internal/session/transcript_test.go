package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/google/go-cmp/cmp"
)

// TestRoundTripBytes checks the resume contract: what was sent comes back
// byte for byte, so the first request of a resumed session hits the cache.
func TestRoundTripBytes(t *testing.T) {
	t.Parallel()
	prompt := anthropic.NewUserMessage(anthropic.NewTextBlock("fix <the> bug & explain \u2028 naïve 🙂\n\"quoted\""))
	call := anthropic.NewAssistantMessage(
		anthropic.NewThinkingBlock("EqQBCkgIARABGAIiQL+sig==", "The test fails because x < y…"),
		anthropic.NewRedactedThinkingBlock("ZW5jcnlwdGVk"),
		anthropic.NewTextBlock("Reading the file."),
		anthropic.NewToolUseBlock("toolu_01A", map[string]any{"file_path": "/src/a.go", "limit": 20}, "Read"),
	)
	result := anthropic.NewUserMessage(anthropic.NewToolResultBlock("toolu_01A", "package a\n\nfunc A() bool { return 1 < 2 && true }\n", false))
	result.Content[0].OfToolResult.CacheControl = anthropic.NewCacheControlEphemeralParam()

	var sent [][]byte
	for _, m := range []anthropic.MessageParam{prompt, call, result} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, b)
	}
	// The same message without HTML escaping, as an encoder with
	// SetEscapeHTML(false) would send it: "<" must not come back as
	// "\u003c".
	raw := sent[0]
	for _, r := range []struct{ esc, lit string }{{`\u003c`, "<"}, {`\u003e`, ">"}, {`\u0026`, "&"}} {
		raw = bytes.ReplaceAll(raw, []byte(r.esc), []byte(r.lit))
	}
	if !bytes.Contains(raw, []byte("<the>")) || !json.Valid(raw) {
		t.Fatalf("test setup: %s", raw)
	}
	sent = append(sent, raw)

	system := json.RawMessage(`[{"type":"text","text":"You are basalt. Today is <2026-11-23>.","cache_control":{"type":"ephemeral"}}]`)
	tools := json.RawMessage(`[{"name":"Read","description":"Reads a file & returns <lines>.","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}}}}]`)
	s := newStore(t)
	entries := []Entry{user(1, string(sent[0])), assistant(1, string(sent[1])), user(1, string(sent[2])), user(2, string(sent[3]))}
	id := create(t, s, Meta{System: system, Tools: tools}, entries...)

	tr := load(t, s, id)
	got := tr.Messages()
	if len(got) != len(sent) {
		t.Fatalf("got %d messages, want %d", len(got), len(sent))
	}
	for i := range sent {
		if !bytes.Equal(sent[i], got[i]) {
			t.Errorf("message %d changed:\nsent %s\ngot  %s", i, sent[i], got[i])
		}
	}
	if !bytes.Equal(system, tr.Meta.System) || !bytes.Equal(tools, tr.Meta.Tools) {
		t.Errorf("system or tools changed:\n%s\n%s", tr.Meta.System, tr.Meta.Tools)
	}
	// And the bytes decode back to the same SDK value.
	var back anthropic.MessageParam
	if err := json.Unmarshal(got[1], &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, sent[1]) {
		t.Errorf("re-marshalled assistant message differs:\nsent %s\ngot  %s", sent[1], again)
	}
}

func TestEntryFields(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	in := []Entry{
		{Type: TypeAssistant, Turn: 3, Message: json.RawMessage(`{"role":"assistant","content":"x"}`),
			Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Usage: &cost.Usage{InputTokens: 5, CacheRead: 7},
			CostUSD: ptr(0.25), Guardrail: true},
		{Type: TypeCompaction, Turn: 4, Summary: "we fixed a bug"},
		{Type: TypeNotice, Text: "retrying in 2.1s: throttled (attempt 3/10)"},
		{Type: TypeInterrupted, Turn: 4, Text: "interrupted by the user"},
	}
	id := create(t, s, Meta{}, in...)
	tr := load(t, s, id)
	got := tr.Entries[1:]
	for i := range in {
		in[i].Time = got[i].Time // set by the writer from the clock
		if got[i].Time.IsZero() {
			t.Errorf("entry %d has no time", i)
		}
	}
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestTornLastLine(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := create(t, s, Meta{},
		user(1, `{"role":"user","content":"one"}`),
		assistant(1, `{"role":"assistant","content":"two"}`),
		user(2, `{"role":"user","content":"three"}`),
	)
	path := s.path(id)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, info.Size()-12); err != nil { // mid-line, as a crash leaves it
		t.Fatal(err)
	}
	tr := load(t, s, id)
	if len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], path+":4:") {
		t.Errorf("warnings = %q, want one naming %s:4", tr.Warnings, path)
	}
	want := []string{`{"role":"user","content":"one"}`, `{"role":"assistant","content":"two"}`}
	if diff := cmp.Diff(want, raws(tr.Messages())); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}

	// Resuming cuts the torn line off, so the next entry starts a line of
	// its own and the file stays valid.
	w, err := s.Append(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(user(2, `{"role":"user","content":"three again"}`)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	tr = load(t, s, id)
	if len(tr.Warnings) != 0 {
		t.Errorf("warnings after resume = %q, want none", tr.Warnings)
	}
	want = append(want, `{"role":"user","content":"three again"}`)
	if diff := cmp.Diff(want, raws(tr.Messages())); diff != "" {
		t.Errorf("after resume mismatch (-want +got):\n%s", diff)
	}
}

func TestDamagedTails(t *testing.T) {
	t.Parallel()
	const meta = `{"type":"meta","time":"2026-11-23T18:45:00Z","meta":{"id":"x"}}`
	const u = `{"type":"user","time":"2026-11-23T18:45:01Z","message":{"role":"user","content":"hi"}}`
	tests := []struct {
		name         string
		content      string
		wantEntries  int
		wantWarnings int
		wantErr      string // a substring; "" for no error
	}{
		{name: "clean", content: meta + "\n" + u + "\n", wantEntries: 2},
		{name: "last line without newline", content: meta + "\n" + u, wantEntries: 2},
		{name: "blank lines", content: meta + "\n\n" + u + "\n\n\r\n", wantEntries: 2},
		{name: "torn", content: meta + "\n" + u[:30], wantEntries: 1, wantWarnings: 1},
		{name: "zeroed tail after power loss", content: meta + "\n" + u + "\n\x00\x00\x00\x00", wantEntries: 2, wantWarnings: 1},
		{name: "torn then whitespace", content: meta + "\n" + u[:30] + "\n \n", wantEntries: 1, wantWarnings: 1},
		{name: "corrupt middle", content: meta + "\n{oops\n" + u + "\n", wantErr: ":2: corrupt entry"},
		{name: "null in the middle", content: meta + "\nnull\n" + u + "\n", wantErr: ":2: corrupt entry: not a JSON object"},
		{name: "wrong field type in the middle", content: meta + "\n" + `{"type":"user","turn":"one"}` + "\n" + u + "\n", wantErr: ":2: corrupt entry"},
		{name: "unknown type and fields are kept", content: meta + "\n" + `{"type":"checkpoint","time":"2026-11-23T18:45:02Z","sha":"abc"}` + "\n" + u + "\n", wantEntries: 3},
		{name: "no meta", content: u + "\n", wantEntries: 1, wantWarnings: 1},
		{name: "empty file", content: "", wantEntries: 0, wantWarnings: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			const id = "20261123T184500-abcdef"
			if err := os.WriteFile(s.path(id), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			tr, err := s.Load(id)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), s.path(id)+tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, s.path(id)+tt.wantErr)
				}
				// A corrupt transcript is not reopened either.
				if _, err := s.Append(id); err == nil {
					t.Errorf("Append on a corrupt transcript succeeded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Entries) != tt.wantEntries || len(tr.Warnings) != tt.wantWarnings {
				t.Errorf("%d entries, warnings %q; want %d entries, %d warnings", len(tr.Entries), tr.Warnings, tt.wantEntries, tt.wantWarnings)
			}
			// Whatever the tail, a resumed session appends cleanly.
			w, err := s.Append(id)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Append(user(9, `{"role":"user","content":"after"}`)); err != nil {
				t.Fatal(err)
			}
			w.Close()
			tr, err = s.Load(id)
			if err != nil {
				t.Fatalf("load after resume: %v", err)
			}
			if got := len(tr.Entries); got != tt.wantEntries+1 {
				t.Errorf("after resume: %d entries, want %d", got, tt.wantEntries+1)
			}
			for _, w := range tr.Warnings {
				if strings.Contains(w, "incomplete") {
					t.Errorf("after resume: warning %q", w)
				}
			}
		})
	}
}

func TestMetaMerge(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	w, err := s.Create(Meta{Model: "global.anthropic.claude-sonnet-4-6", Region: "us-east-1", System: json.RawMessage(`[1]`)})
	if err != nil {
		t.Fatal(err)
	}
	// A resume that switched models writes what changed.
	if err := w.Append(Entry{Type: TypeMeta, Meta: &Meta{ID: "other", Model: "global.anthropic.claude-opus-4-6-v1", Created: t0.AddDate(1, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	got := load(t, s, w.ID()).Meta
	want := Meta{
		ID: w.ID(), ProjectRoot: "/home/ana/src/basalt", Region: "us-east-1",
		Model: "global.anthropic.claude-opus-4-6-v1", Created: t0.Add(time.Second), System: json.RawMessage(`[1]`),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestTranscriptUsageAndCost(t *testing.T) {
	t.Parallel()
	call := func(u cost.Usage, usd *float64) Entry {
		return Entry{Type: TypeAssistant, Message: json.RawMessage(`{"role":"assistant","content":"x"}`), Usage: &u, CostUSD: usd}
	}
	tests := []struct {
		name      string
		entries   []Entry
		wantUsage cost.Usage
		wantCost  cost.Cost
	}{
		{name: "no calls", wantCost: cost.Cost{Known: true}},
		{
			name:      "known",
			entries:   []Entry{call(cost.Usage{InputTokens: 10}, ptr(0.5)), {Type: TypeNotice, Text: "x"}, call(cost.Usage{CacheRead: 20}, ptr(0.25))},
			wantUsage: cost.Usage{InputTokens: 10, CacheRead: 20}, wantCost: cost.Cost{USD: 0.75, Known: true},
		},
		{
			name: "compaction's own call counts",
			entries: []Entry{call(cost.Usage{InputTokens: 10}, ptr(0.5)),
				{Type: TypeCompaction, Summary: "s", Usage: &cost.Usage{InputTokens: 100, OutputTokens: 30}, CostUSD: ptr(1.0)}},
			wantUsage: cost.Usage{InputTokens: 110, OutputTokens: 30}, wantCost: cost.Cost{USD: 1.5, Known: true},
		},
		{
			name:      "one unknown price",
			entries:   []Entry{call(cost.Usage{InputTokens: 10}, ptr(0.5)), call(cost.Usage{InputTokens: 5}, nil)},
			wantUsage: cost.Usage{InputTokens: 15}, wantCost: cost.Cost{USD: 0.5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tr := load(t, s, create(t, s, Meta{}, tt.entries...))
			if diff := cmp.Diff(tt.wantUsage, tr.Usage()); diff != "" {
				t.Errorf("usage mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCost, tr.Cost()); diff != "" {
				t.Errorf("cost mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriterConcurrent: one Writer shared by goroutines (the turn loop and
// a side call, say) writes whole lines.
func TestWriterConcurrent(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	w, err := s.Create(Meta{})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 70_000) // more than a pipe buffer, page or bufio default
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := range 100 {
				msg := fmt.Sprintf(`{"role":"user","content":"g%d-%d %s"}`, g, i, big[:i*700])
				if err := w.Append(user(i, msg)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tr := load(t, s, w.ID())
	if len(tr.Entries) != 201 || len(tr.Warnings) != 0 {
		t.Errorf("%d entries, warnings %q; want 201 and none", len(tr.Entries), tr.Warnings)
	}
}

func TestWriterRejects(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	w, err := s.Create(Meta{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Append(Entry{}); err == nil {
		t.Error("an entry without a type was written")
	}
	if err := w.Append(Entry{Type: TypeUser, Message: json.RawMessage(`{"role":`)}); err == nil {
		t.Error("invalid message JSON was written")
	}
	// Nothing half-written: the file still loads cleanly.
	if tr := load(t, s, w.ID()); len(tr.Entries) != 1 || len(tr.Warnings) != 0 {
		t.Errorf("%d entries, warnings %q; want the meta entry alone", len(tr.Entries), tr.Warnings)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.Sync(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Sync after Close: err = %v, want os.ErrClosed", err)
	}
}
