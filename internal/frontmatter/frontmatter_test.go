package frontmatter

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		strings  map[string]string
		lists    map[string][]string
		body     string
		bodyLine int
		warns    []string
	}{
		{
			name: "no header", in: "just a prompt\n$ARGUMENTS\n",
			body: "just a prompt\n$ARGUMENTS\n", bodyLine: 1,
		},
		{
			name:    "plain yaml",
			in:      "---\ndescription: Review code\nallowed-tools: Bash(git diff:*), Read\nmodel: haiku\n---\nBody\n",
			strings: map[string]string{"description": "Review code", "model": "haiku"},
			lists:   map[string][]string{"allowed-tools": {"Bash(git diff:*)", "Read"}},
			body:    "Body\n", bodyLine: 6,
		},
		{
			name:    "yaml list keeps its raw text for display",
			in:      "---\nargument-hint: [message]\nallowed-tools:\n  - Read\n  - Bash(git add:*)\n---\nx",
			strings: map[string]string{"argument-hint": "[message]"},
			lists:   map[string][]string{"allowed-tools": {"Read", "Bash(git add:*)"}, "argument-hint": {"message"}},
			body:    "x", bodyLine: 7,
		},
		{
			name:    "invalid yaml falls back to lines",
			in:      "---\ndescription: Fix it\nargument-hint: [a] [b]\n---\nB\n",
			strings: map[string]string{"description": "Fix it", "argument-hint": "[a] [b]"},
			body:    "B\n", bodyLine: 5,
			warns: []string{"x.md:3: front matter is not valid YAML"},
		},
		{
			name:    "unclosed flow sequence as Claude Code reads it",
			in:      "---\ndescription: [unclosed\n---\nB\n",
			strings: map[string]string{"description": "[unclosed"},
			body:    "B\n", bodyLine: 4,
			warns: []string{"x.md:"},
		},
		{
			name:    "folded description, CRLF and BOM",
			in:      "\uFEFF---\r\ndescription: >\r\n  one\r\n  two\r\n---\r\nB\r\n",
			strings: map[string]string{"description": "one two\n"},
			body:    "B\n", bodyLine: 6,
		},
		{
			name: "blank lines after the header are not body", in: "---\na: b\n---\n\n  \nB\n\n",
			strings: map[string]string{"a": "b"}, body: "B\n\n", bodyLine: 6,
		},
		{
			name: "unclosed header is all body",
			in:   "---\ndescription: x\nB\n", body: "---\ndescription: x\nB\n", bodyLine: 1,
			warns: []string{"x.md:1:1: front matter opened"},
		},
		{
			name: "not a mapping", in: "---\n- a\n- b\n---\nB", body: "B", bodyLine: 5,
			warns: []string{"x.md:2:1: front matter is not a YAML mapping"},
		},
		{
			name: "empty header", in: "---\n---\nB", body: "B", bodyLine: 3,
		},
		{
			name:     "space separated tools",
			in:       "---\nallowed-tools: Read Grep Bash(go test:*)\n---\n",
			lists:    map[string][]string{"allowed-tools": {"Read", "Grep", "Bash(go test:*)"}},
			bodyLine: 4,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, body, bodyLine, warns := Parse("x.md", []byte(tc.in))
			if body != tc.body || bodyLine != tc.bodyLine {
				t.Errorf("body = %q line %d, want %q line %d", body, bodyLine, tc.body, tc.bodyLine)
			}
			for k, want := range tc.strings {
				if got := doc.String(k); got != want {
					t.Errorf("String(%q) = %q, want %q", k, got, want)
				}
			}
			for k, want := range tc.lists {
				if diff := cmp.Diff(want, doc.List(k)); diff != "" {
					t.Errorf("List(%q) mismatch (-want +got):\n%s", k, diff)
				}
			}
			if len(warns) != len(tc.warns) {
				t.Fatalf("warnings = %v, want %d", warns, len(tc.warns))
			}
			for i, w := range warns {
				if !strings.HasPrefix(w.Error(), tc.warns[i]) {
					t.Errorf("warning %q, want prefix %q", w.Error(), tc.warns[i])
				}
			}
		})
	}
}

func TestBool(t *testing.T) {
	t.Parallel()
	doc, _, _, _ := Parse("c.md", []byte("---\na: true\nb: \"false\"\nc: maybe\n---\n"))
	if v, w := doc.Bool("a", false); !v || w != nil {
		t.Errorf("a = %v %v", v, w)
	}
	if v, w := doc.Bool("b", true); v || w != nil {
		t.Errorf("b = %v %v", v, w)
	}
	v, w := doc.Bool("c", false)
	if v || w == nil || w.Error() != `c.md:4:1: c: "maybe" is not true or false; using false` {
		t.Errorf("c = %v %v", v, w)
	}
	if v, w := doc.Bool("absent", true); !v || w != nil {
		t.Errorf("absent = %v %v", v, w)
	}
}

// FuzzParse checks that no header, however broken, panics, loses the body
// or yields a warning without a file name.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ndescription: x\n---\nbody",
		"---\nargument-hint: [a] [b]\n---\n",
		"---\na: &x [1\n---\n",
		"---\n: :\n---\n",
		"---\r\nk: 'it''s'\r\n---\r\n",
		"no header",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, body, line, warns := Parse("f.md", data)
		if line < 1 {
			t.Fatalf("body line %d", line)
		}
		for _, w := range warns {
			if !strings.HasPrefix(w.Error(), "f.md") {
				t.Fatalf("warning without path: %v", w)
			}
		}
		for _, k := range doc.Keys() {
			_ = doc.List(k)
			_, _ = doc.Bool(k, false)
		}
		if len(body) > len(data)+3*len(data) {
			t.Fatalf("body longer than input")
		}
	})
}
