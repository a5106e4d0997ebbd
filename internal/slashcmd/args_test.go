package slashcmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"alpha 'beta gamma' delta", []string{"alpha", "beta gamma", "delta"}},
		{`"My Button" React  Vue`, []string{"My Button", "React", "Vue"}},
		{`a\ b c`, []string{"a b", "c"}},
		{`"say \"hi\"" x`, []string{`say "hi"`, "x"}},
		{`'it''s'`, []string{"its"}},
		{`don't stop`, []string{"don't", "stop"}}, // unclosed quote: plain blanks
		{`''`, []string{""}},
		{"tab\tnew\nline", []string{"tab", "new", "line"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, SplitArgs(tc.in)); diff != "" {
			t.Errorf("SplitArgs(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestSubstitution(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tmpl, args string
		names            []string
		want             string
		used             bool
	}{
		// Recorded from Claude Code 2.1.197 (testdata/claude-code/facts.json): $0 is the first argument.
		{"recorded positions", "ALL=[$ARGUMENTS] ZERO=[$0] ONE=[$1] TWO=[$2] THREE=[$3] IDX=[$ARGUMENTS[1]]", "alpha 'beta gamma' delta", nil,
			"ALL=[alpha 'beta gamma' delta] ZERO=[alpha] ONE=[beta gamma] TWO=[delta] THREE=[] IDX=[beta gamma]", true},
		{"named", "Fix $issue on $branch-x ($issue)", "42 hotfix", []string{"issue", "branch"}, "Fix 42 on $branch-x (42)", true},
		{"named hyphen", "from $old-name to $new-name", "A B", []string{"old-name", "new-name"}, "from A to B", true},
		{"value not expanded again", "[$0]", `'$1 $ARGUMENTS' two`, nil, "[$1 $ARGUMENTS]", true},
		{"shell text untouched", `"$(whoami)" $HOME ${PATH} $$ $ARGUMENTSX $1abc`, "x", nil, `"$(whoami)" $HOME ${PATH} $$ $ARGUMENTSX $1abc`, false},
		{"session var", "log ${CLAUDE_SESSION_ID}", "", nil, "log S1", false},
		{"dollar at end", "cost $", "", nil, "cost $", false},
		{"index past end", "[$ARGUMENTS[9]][$12]", "a", nil, "[][]", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSubstitution(tc.args, tc.names, map[string]string{"CLAUDE_SESSION_ID": "S1"})
			got, used := s.apply(tc.tmpl)
			if got != tc.want || used != tc.used {
				t.Errorf("apply(%q) = %q, %v; want %q, %v", tc.tmpl, got, used, tc.want, tc.used)
			}
		})
	}
}

// FuzzSplitArgs checks the quoting reader against plain blanks: input
// without quotes or backslashes splits exactly like fields, and no
// input panics or yields more words than blanks allow.
func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{"a b", `"a b" c`, `'x`, `a\`, `"\""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SplitArgs(s)
		if !strings.ContainsAny(s, `'"\`) {
			if diff := cmp.Diff(fields(s), got, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") })); diff != "" {
				t.Fatalf("SplitArgs(%q) differs from fields:\n%s", s, diff)
			}
		}
		if len(got) > len(s)/1+1 {
			t.Fatalf("%d words from %d bytes", len(got), len(s))
		}
	})
}

// FuzzSubstitution checks that expansion terminates, that a template
// without '$' comes back unchanged, and that the argument string inserted
// for $ARGUMENTS is inserted verbatim (never expanded again).
func FuzzSubstitution(f *testing.F) {
	f.Add("ALL=[$ARGUMENTS] $0 $1 $ARGUMENTS[2] $name", "a 'b c' $1")
	f.Add("plain text", "x")
	f.Add("$", "$ARGUMENTS")
	f.Fuzz(func(t *testing.T, tmpl, args string) {
		s := newSubstitution(args, []string{"name"}, map[string]string{"CLAUDE_SESSION_ID": "S"})
		got, used := s.apply(tmpl)
		if !strings.Contains(tmpl, "$") && (got != tmpl || used) {
			t.Fatalf("template without $ changed: %q -> %q", tmpl, got)
		}
		if tmpl == "$ARGUMENTS" && got != args {
			t.Fatalf("$ARGUMENTS -> %q, want %q", got, args)
		}
	})
}
