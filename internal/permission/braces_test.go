package permission

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// braceWords are unquoted words whose brace expansion basalt must read as
// bash does.
var braceWords = []string{
	"{a,b}", "x{a,b}y", "{a,b}{c,d}", "{,rm}", "{a,{b,c}}", "{a..e}", "{1..5}", "{5..1}", "{01..10..3}", "{a..k..3}",
	"{x}", "{}", "{a,}", "{,a}", "a{b", "a}b", "{a,b", "{a..}", "{1..a}", ".e{n,}v", "{README.md,.env}",
	"secrets/{a,api.key}", "{-5..5..5}", "{a,b}/{c..d}", "{{a,b},c}", "x{,,}y",
}

func TestBraceExpand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"plain", []string{"plain"}, true},
		{"{a,b}", []string{"a", "b"}, true},
		{".e{n,}v", []string{".env", ".ev"}, true},
		{"a{b", []string{"a{b"}, true},
		{"a{b,c}d", []string{"abd", "acd"}, true},
		{"{a,b{c,d}}", []string{"a", "bc", "bd"}, true},
		{"x{1..3}", []string{"x1", "x2", "x3"}, true},
		{"{c..a}", []string{"c", "b", "a"}, true},
		{"{1..7..3}", []string{"1", "4", "7"}, true},
		{"{a}", []string{"{a}"}, true},
		{"${x}{a,b}", []string{"${x}a", "${x}b"}, true},
		{"{}{a,b}", []string{"{}a", "{}b"}, true},
		{"{1..100000}", nil, false},
		{"{1..40}{1..40}", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := braceExpand(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.ok {
				t.Errorf("braceExpand(%q) ok=%v mismatch (-want +got):\n%s", tt.in, ok, diff)
			}
		})
	}
}

// TestBraceExpandMatchesBash is the differential test: bash's own
// expansion of every word must equal basalt's.
func TestBraceExpandMatchesBash(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, w := range braceWords {
		t.Run(w, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), bash, "--norc", "--noprofile", "-c", "printf '%s\\n' "+w)
			cmd.Dir = t.TempDir()
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash: %v", err)
			}
			want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			got, ok := braceExpand(w)
			if !ok {
				t.Fatal("not expanded")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-bash +basalt):\n%s", diff)
			}
		})
	}
}
