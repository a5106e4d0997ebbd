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
	cases := []struct {
		in   string
		want []string
	}{
		{"{a,b}", []string{"a", "b"}},
		{".e{n,}v", []string{".env", ".ev"}},
		{"{1..3}", []string{"1", "2", "3"}},
		{"{x}", []string{"{x}"}},
		{"a{b", []string{"a{b"}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			got, ok := braceExpand(c.in)
			if !ok {
				t.Fatal("not expanded")
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
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
