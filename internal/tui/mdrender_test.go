package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
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
			[]string{"  Title", "", "  Some words and bold `code`."}},
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
			[]string{"  before", "", "  name │  n", "  ─────┼───", "  a    │  1", "  `bb` │ 22", "", "  after"}},
		{"a pipe in a code fence is not a table", "```\na | b\n--|--\n```\n", 80,
			[]string{"    a | b", "    --|--"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := trimBlank(renderMarkdown(tc.src, tc.width, newMDStyles("notty")))
			for i := range got {
				got[i] = ansi.Strip(got[i]) // NO_COLOR keeps bold and italics
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRenderMarkdownStyled checks that a styled render has the same
// text as the plain one (which marks inline code with its backticks) and
// colours code.
func TestRenderMarkdownStyled(t *testing.T) {
	t.Parallel()
	src := "## Fix\n\n```python\n# note\nx = \"s\" if True else 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	plain := renderMarkdown(src, 80, newMDStyles("notty"))
	for i := range plain {
		plain[i] = ansi.Strip(plain[i])
	}
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

// TestMarkdownMarks: headings are styled, not spelt with hashes; under
// NO_COLOR (notty) inline code keeps its backticks and emphasis its
// attributes, so both stay distinguishable; lists hang their wrapped
// lines under the text, and tables are as wide as their content.
func TestMarkdownMarks(t *testing.T) {
	t.Parallel()
	src := "# Title\n\n## Sub\n\nSome `code` and *emph* and **strong**.\n\n- a long item that wraps around because it is longer than the width\n\n| a | b |\n|---|---|\n| 1 | two |\n"
	for _, style := range []string{"notty", "dark"} {
		md := &markdown{style: style}
		lines := md.render(src, 50)
		plain := ansi.Strip(strings.Join(lines, "\n"))
		if strings.Contains(plain, "#") {
			t.Errorf("%s: literal hashes in\n%s", style, plain)
		}
		if style == "notty" {
			if !strings.Contains(plain, "`code`") {
				t.Errorf("notty: inline code is not marked:\n%s", plain)
			}
			joined := strings.Join(lines, "\n")
			for name, want := range map[string]string{"emph": lipgloss.NewStyle().Italic(true).Render("emph"), "strong": lipgloss.NewStyle().Bold(true).Render("strong"), "heading": lipgloss.NewStyle().Bold(true).Render("Sub")} {
				if !strings.Contains(joined, want) {
					t.Errorf("notty: %s not styled (%q) in %q", name, want, joined)
				}
			}
		}
		var item []string
		for _, l := range strings.Split(plain, "\n") {
			if strings.Contains(l, "long item") || len(item) > 0 && strings.HasPrefix(l, "    ") {
				item = append(item, l)
			}
		}
		if len(item) < 2 || !strings.HasPrefix(item[1], "    ") || strings.HasPrefix(item[1], "     ") {
			t.Errorf("%s: list item does not hang under its text:\n%s", style, plain)
		}
		if !strings.Contains(plain, "  a │ b\n  ──┼────\n  1 │ two") {
			t.Errorf("%s: table not sized to its content:\n%s", style, plain)
		}
	}
}
