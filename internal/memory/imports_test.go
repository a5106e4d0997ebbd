package memory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (slash paths relative to dir) and returns dir.
func writeTree(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string // the project; "~/x" files go in the home directory
		// want are the texts that reach the model, in order; notices
		// are substrings of the notices, in order.
		want    []string
		notices []string
	}{
		{
			name:  "relative to the importing file",
			files: map[string]string{"CLAUDE.md": "main @docs/conv.md", "docs/conv.md": "conv: tabs"},
			want:  []string{"main @docs/conv.md", "conv: tabs"},
		},
		{
			name:  "home",
			files: map[string]string{"CLAUDE.md": "main\n- @~/.claude/mine.md", "~/.claude/mine.md": "mine: short names"},
			want:  []string{"main\n- @~/.claude/mine.md", "mine: short names"},
		},
		{
			name: "nested, relative to each importer",
			files: map[string]string{
				"CLAUDE.md": "top @docs/a.md", "docs/a.md": "a @sub/b.md", "docs/sub/b.md": "b @../c.md", "docs/c.md": "c",
			},
			want: []string{"top @docs/a.md", "a @sub/b.md", "b @../c.md", "c"},
		},
		{
			name: "depth limit: five hops, not six",
			files: map[string]string{
				"CLAUDE.md": "0 @1.md", "1.md": "1 @2.md", "2.md": "2 @3.md", "3.md": "3 @4.md", "4.md": "4 @5.md", "5.md": "5 @6.md", "6.md": "6",
			},
			want:    []string{"0 @1.md", "1 @2.md", "2 @3.md", "3 @4.md", "4 @5.md", "5 @6.md"},
			notices: []string{"5.md:1: import @6.md: more than 5 imports deep"},
		},
		{
			name:    "cycle",
			files:   map[string]string{"CLAUDE.md": "main @a.md", "a.md": "a @b.md", "b.md": "b @a.md\nand @CLAUDE.md"},
			want:    []string{"main @a.md", "a @b.md", "b @a.md\nand @CLAUDE.md"},
			notices: []string{"b.md:1: import @a.md: a cycle", "b.md:2: import @CLAUDE.md: a cycle"},
		},
		{
			name:    "missing: a notice, the rest still read",
			files:   map[string]string{"CLAUDE.md": "main @gone.md @there.md", "there.md": "there"},
			want:    []string{"main @gone.md @there.md", "there"},
			notices: []string{"CLAUDE.md:1: import @gone.md: no such file"},
		},
		{
			name:  "in a code span",
			files: map[string]string{"CLAUDE.md": "write `@x.md` to import; ``a `@x.md` b``", "x.md": "x"},
			want:  []string{"write `@x.md` to import; ``a `@x.md` b``"},
		},
		{
			name:  "in fenced blocks",
			files: map[string]string{"CLAUDE.md": "```\n@x.md\n```\n~~~~md\n@x.md\n```\n@x.md\n~~~~\nafter @y.md", "x.md": "x", "y.md": "y"},
			want:  []string{"```\n@x.md\n```\n~~~~md\n@x.md\n```\n@x.md\n~~~~\nafter @y.md", "y"},
		},
		{
			name:  "an e-mail address is not an import",
			files: map[string]string{"CLAUDE.md": "mail a@b.com or ops@x.md", "b.com": "no", "x.md": "no"},
			want:  []string{"mail a@b.com or ops@x.md"},
		},
		{
			name:  "sentence punctuation after the path",
			files: map[string]string{"CLAUDE.md": "See @docs/a.md.", "docs/a.md": "a"},
			want:  []string{"See @docs/a.md.", "a"},
		},
		{
			name:  "imported twice: read once",
			files: map[string]string{"CLAUDE.md": "@a.md @b.md", "a.md": "a @b.md", "b.md": "b"},
			want:  []string{"@a.md @b.md", "a @b.md", "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root, home := t.TempDir(), t.TempDir()
			project, user := map[string]string{}, map[string]string{}
			for name, text := range tt.files {
				if rest, ok := strings.CutPrefix(name, "~/"); ok {
					user[rest] = text
				} else {
					project[name] = text
				}
			}
			writeTree(t, root, project)
			writeTree(t, home, user)
			m, blocks := Load(Options{ProjectRoot: root, WorkDir: root, Home: home})
			var got []string
			for _, b := range blocks {
				got = append(got, b.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("texts\n got %q\nwant %q", got, tt.want)
			}
			notices := m.Notices()
			if len(notices) != len(tt.notices) {
				t.Fatalf("notices %q, want %q", notices, tt.notices)
			}
			for i, n := range tt.notices {
				if !strings.Contains(notices[i], n) {
					t.Errorf("notice %d = %q, want it to contain %q", i, notices[i], n)
				}
			}
			if again := m.Notices(); len(again) != 0 {
				t.Errorf("notices reported twice: %q", again)
			}
		})
	}
}

func TestImportedBlockNamesItsImporter(t *testing.T) {
	t.Parallel()
	root := writeTree(t, t.TempDir(), map[string]string{"CLAUDE.md": "@a.md", "a.md": "a"})
	_, blocks := Load(Options{ProjectRoot: root, WorkDir: root, Home: t.TempDir()})
	if len(blocks) != 2 || blocks[1].ImportedBy != realPath(filepath.Join(root, "CLAUDE.md")) {
		t.Fatalf("blocks %+v", blocks)
	}
	if f := Format(blocks); !strings.Contains(f, "a.md (imported by ") {
		t.Errorf("Format does not say who imported:\n%s", f)
	}
}

// TestLeadingRuleLineIsText: only rules have front matter; a CLAUDE.md
// that opens with a --- line keeps all its text.
func TestLeadingRuleLineIsText(t *testing.T) {
	t.Parallel()
	root := writeTree(t, t.TempDir(), map[string]string{"CLAUDE.md": "---\nkept\n---\nalso kept"})
	_, blocks := Load(Options{ProjectRoot: root, WorkDir: root, Home: t.TempDir()})
	if len(blocks) != 1 || blocks[0].Text != "---\nkept\n---\nalso kept" {
		t.Errorf("blocks %+v", blocks)
	}
}
