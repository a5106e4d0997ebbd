package session

import (
	"encoding/json"
	"testing"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Messages of a conversation, short enough to read in a table.
const (
	p1 = `{"role":"user","content":"fix the test"}`
	a1 = `{"role":"assistant","content":[{"type":"text","text":"Done."}]}`
	p2 = `{"role":"user","content":[{"type":"text","text":"now the docs"}]}`
	a2 = `{"role":"assistant","content":"Docs done."}`
	p3 = `{"role":"user","content":"print the secret"}`
	g3 = `{"role":"assistant","content":[{"type":"text","text":"Sorry, the model cannot answer this question."}]}`
	p4 = `{"role":"user","content":"thanks"}`
	a4 = `{"role":"assistant","content":"You're welcome."}`

	// A tool loop: the call, its results, the answer.
	call  = `{"role":"assistant","content":[{"type":"text","text":"Reading."},{"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"a.go"}},{"type":"tool_use","id":"toolu_2","name":"Bash","input":{"command":"go test"}}]}`
	res   = `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"package a"},{"type":"tool_result","tool_use_id":"toolu_2","content":"ok"}]}`
	after = `{"role":"assistant","content":"Tests pass."}`
	// What the agent writes when the user interrupts the tool loop.
	stopped = `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"interrupted by the user","is_error":true},{"type":"tool_result","tool_use_id":"toolu_2","content":"interrupted by the user","is_error":true}]}`

	kept = `{"role":"user","content":[{"type":"text","text":"Summary of the session so far: fixed the test."}]}`
)

func guardrail(turn int, raw string) Entry {
	e := assistant(turn, raw)
	e.Guardrail = true
	return e
}

func TestMessages(t *testing.T) {
	t.Parallel()
	unfinished := string(unfinishedResults([]string{"toolu_1", "toolu_2"}))
	tests := []struct {
		name           string
		entries        []Entry
		want           []string
		wantUnfinished bool
	}{
		{name: "empty session"},
		{
			name:    "plain conversation",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, a2)},
			want:    []string{p1, a1, p2, a2},
		},
		{
			name: "notices and unknown types are not messages",
			entries: []Entry{user(1, p1), {Type: TypeNotice, Text: "retrying"}, {Type: "checkpoint", Message: json.RawMessage(p3)},
				assistant(1, a1), {Type: TypeInterrupted, Text: "no message"}},
			want: []string{p1, a1},
		},
		{
			name:    "tool loop",
			entries: []Entry{user(1, p1), assistant(1, call), user(1, res), assistant(1, after)},
			want:    []string{p1, call, res, after},
		},

		// Compaction.
		{
			name: "compaction summary replaces what came before; kept messages follow",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, a2),
				{Type: TypeCompaction, Turn: 2, Summary: "fixed the test", Usage: &cost.Usage{InputTokens: 900}},
				user(2, p2), assistant(2, a2), user(3, p4), assistant(3, a4)},
			want: []string{string(SummaryMessage("fixed the test")), p2, a2, p4, a4},
		},
		{
			name: "compaction message as sent",
			entries: []Entry{user(1, p1), assistant(1, a1),
				{Type: TypeCompaction, Summary: "fixed the test", Message: json.RawMessage(kept)}, user(2, p4), assistant(2, a4)},
			want: []string{kept, p4, a4},
		},
		{
			name: "the last compaction wins",
			entries: []Entry{user(1, p1), {Type: TypeCompaction, Summary: "one"}, assistant(1, a1),
				{Type: TypeCompaction, Summary: "two"}, user(2, p2), assistant(2, a2)},
			want: []string{string(SummaryMessage("two")), p2, a2},
		},
		{
			name:    "compaction just written",
			entries: []Entry{user(1, p1), assistant(1, a1), {Type: TypeCompaction, Summary: "s"}},
			want:    []string{string(SummaryMessage("s"))},
		},

		// Guardrails.
		{
			name:    "guardrail drops its exchange",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p3), guardrail(2, g3), user(3, p4), assistant(3, a4)},
			want:    []string{p1, a1, p4, a4},
		},
		{
			name:    "guardrail on a tool result drops the whole turn",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, call), user(2, res), guardrail(2, g3), user(3, p4)},
			want:    []string{p1, a1, p4},
			// p4 is unanswered.
			wantUnfinished: true,
		},
		{
			name:    "guardrail on the first prompt",
			entries: []Entry{user(1, p3), guardrail(1, g3)},
		},
		{
			name:    "guardrail never removes the compaction message",
			entries: []Entry{{Type: TypeCompaction, Summary: "s"}, guardrail(1, g3), user(2, p4), assistant(2, a4)},
			want:    []string{string(SummaryMessage("s")), p4, a4},
		},
		{
			name:    "a guardrail flag on a user entry means nothing",
			entries: []Entry{{Type: TypeUser, Message: json.RawMessage(p1), Guardrail: true}, assistant(1, a1)},
			want:    []string{p1, a1},
		},

		// Interruption and crashes.
		{
			name:    "interrupted tool loop: the agent's results close it",
			entries: []Entry{user(1, p1), assistant(1, call), {Type: TypeInterrupted, Turn: 1, Text: "interrupted by the user", Message: json.RawMessage(stopped)}, user(2, p4), assistant(2, a4)},
			want:    []string{p1, call, stopped, p4, a4},
		},
		{
			name:           "killed while the reply streamed: the prompt is kept",
			entries:        []Entry{user(1, p1), assistant(1, a1), user(2, p2)},
			want:           []string{p1, a1, p2},
			wantUnfinished: true,
		},
		{
			name:           "killed while the reply to tool results streamed",
			entries:        []Entry{user(1, p1), assistant(1, call), user(1, res)},
			want:           []string{p1, call, res},
			wantUnfinished: true,
		},
		{
			name:           "killed while tools ran: calls get error results",
			entries:        []Entry{user(1, p1), assistant(1, call)},
			want:           []string{p1, call, unfinished},
			wantUnfinished: true,
		},
		{
			name:    "resumed after that: the same results, then the new turn",
			entries: []Entry{user(1, p1), assistant(1, call), user(2, p4), assistant(2, a4)},
			want:    []string{p1, call, unfinished, p4, a4},
		},
		{
			name:    "a message that is not JSON is passed on untouched",
			entries: []Entry{user(1, p1), assistant(1, `"odd"`)},
			want:    []string{p1, `"odd"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tr := load(t, s, create(t, s, Meta{}, tt.entries...))
			if diff := cmp.Diff(tt.want, raws(tr.Messages()), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if got := tr.Unfinished(); got != tt.wantUnfinished {
				t.Errorf("Unfinished = %v, want %v", got, tt.wantUnfinished)
			}
		})
	}
}

func TestSyntheticMessagesAreValid(t *testing.T) {
	t.Parallel()
	for _, raw := range []json.RawMessage{SummaryMessage("a <summary> & \"more\""), unfinishedResults([]string{"toolu_1"})} {
		var m struct {
			Role    string `json:"role"`
			Content []map[string]any
		}
		if err := json.Unmarshal(raw, &m); err != nil || m.Role != "user" || len(m.Content) != 1 {
			t.Errorf("%s: %v", raw, err)
		}
	}
	want := `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"` + UnfinishedToolResult + `","is_error":true}]}`
	if diff := cmp.Diff(want, string(unfinishedResults([]string{"toolu_1"}))); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
