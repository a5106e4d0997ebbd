package session

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func rewind(turn int) Entry { return Entry{Type: TypeRewind, Turn: turn} }

// A rewind entry takes the conversation back to before a prompt; the
// file is only appended to, and every load honours it.
func TestMessagesAfterRewind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		entries []Entry
		want    []string
	}{
		{
			name:    "back to before the second prompt",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, a2), rewind(2)},
			want:    []string{p1, a1},
		},
		{
			name: "the conversation goes on after the rewind with new numbers",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, a2), rewind(2),
				user(3, p4), assistant(3, a4)},
			want: []string{p1, a1, p4, a4},
		},
		{
			name: "back to the first prompt, tool loop and all",
			entries: []Entry{user(1, p1), assistant(1, call), user(1, res), assistant(1, after), rewind(1),
				user(2, p2), assistant(2, a2)},
			want: []string{p2, a2},
		},
		{
			name: "two rewinds in a row",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, a2), rewind(2),
				user(3, p4), assistant(3, a4), rewind(3)},
			want: []string{p1, a1},
		},
		{
			name: "rewinding to before a compaction brings back what it summarised",
			entries: []Entry{user(1, p1), assistant(1, a1), user(2, p2), assistant(2, a2),
				{Type: TypeCompaction, Turn: 3, Summary: "fixed the test", Usage: &cost.Usage{InputTokens: 900}},
				user(3, p4), assistant(3, a4), rewind(3)},
			want: []string{p1, a1, p2, a2},
		},
		{
			name:    "entries without a number (older transcripts) stay",
			entries: []Entry{user(0, p1), assistant(0, a1), user(1, p2), assistant(1, a2), rewind(1)},
			want:    []string{p1, a1},
		},
		{
			name:    "a rewind without a prompt number is ignored",
			entries: []Entry{user(1, p1), assistant(1, a1), rewind(0)},
			want:    []string{p1, a1},
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
			if tr.Unfinished() {
				t.Error("Unfinished after a rewind to a prompt boundary")
			}
		})
	}
}

func TestRewoundUsageStillCounts(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	paid := assistant(2, a2)
	paid.Usage = &cost.Usage{InputTokens: 10, OutputTokens: 5}
	tr := load(t, s, create(t, s, Meta{}, user(1, p1), assistant(1, a1), user(2, p2), paid, rewind(2)))
	if got := tr.Usage(); got.InputTokens != 10 || got.OutputTokens != 5 {
		t.Errorf("Usage = %+v: a rewound exchange was still paid for", got)
	}
	if n := len(tr.Live()); n != 3 { // meta, p1, a1
		t.Errorf("Live has %d entries, want 3", n)
	}
}
