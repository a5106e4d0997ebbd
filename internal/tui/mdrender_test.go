package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
)

func TestRenderMarkdownPlain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src string
		width     int
		want      []string
	}{
		{"heading and paragraph", "# Title\n\nSome *words* and **bold** `code`.\n", 80,
			[]string{"  # Title", "", "  Some words and bold code."}},
		{"wraps at the width less 4 and the margins", "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo", 30,
			[]string{"  aaa bbb ccc ddd eee", "  fff ggg hhh iii jjj", "  kkk lll mmm nnn ooo"}},
		{"tight and ordered lists", "- one\n- two\n  - nested\n\n3. three\n4. four\n", 80,
			[]string{"  • one", "  • two", "    • nested", "", "  3. three", "  4. four"}},
		{"code block keeps its indentation", "```go\nfunc f() {\n    return\n}\n```\n", 80,
			[]string{"    func f() {", "        return", "    }"}},
		{"quote and rule", "> said\n\n---\n", 80,
			[]string{"  │ said", "", "  " + strings.Repeat("─", 40)}},
		{"link shows its destination", "see [docs](https://x.dev) or <https://y.dev>", 80,
			[]string{"  see docs https://x.dev or https://y.dev"}},
		{"table", "before\n\n| name | n |\n|---|--:|\n| a | 1 |\n| `bb` | 22 |\n\nafter\n", 80,
			[]string{"  before", "", "  name │  n", "  ─────┼───", "  a    │  1", "  bb   │ 22", "", "  after"}},
		{"a pipe in a code fence is not a table", "```\na | b\n--|--\n```\n", 80,
			[]string{"    a | b", "    --|--"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := trimBlank(renderMarkdown(tc.src, tc.width, newMDStyles("notty")))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRenderMarkdownStyled checks that a styled render has the same
// text as the plain one and colours code.
func TestRenderMarkdownStyled(t *testing.T) {
	t.Parallel()
	src := "## Fix\n\n```python\n# note\nx = \"s\" if True else 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	plain := renderMarkdown(src, 80, newMDStyles("notty"))
	dark := renderMarkdown(src, 80, newMDStyles("dark"))
	stripped := make([]string, len(dark))
	for i, l := range dark {
		stripped[i] = ansi.Strip(l)
	}
	if diff := cmp.Diff(plain, stripped); diff != "" {
		t.Errorf("styled text differs from plain (-plain +styled):\n%s", diff)
	}
	if strings.Join(dark, "\n") == strings.Join(plain, "\n") {
		t.Error("the dark style added no colour")
	}
}

func TestHighlighter(t *testing.T) {
	t.Parallel()
	st := newMDStyles("dark").syntax
	h := highlighter{lang: "go", st: st}
	if got, want := h.line(`x := "a // b" // c`), `x := `+st.str.Render(`"a // b"`)+` `+st.comment.Render(`// c`); got != want {
		t.Errorf("strings before comments:\n got %q\nwant %q", got, want)
	}
	h.line("/* open")
	if got := h.line("still */ return"); got != st.comment.Render("still */")+" "+st.keyword.Render("return") {
		t.Errorf("a block comment does not carry over lines: %q", got)
	}
	unknown := highlighter{lang: "brainfuck", st: st}
	if got := unknown.line("+[->+<]"); got != "+[->+<]" {
		t.Errorf("an unknown language was changed: %q", got)
	}
}
