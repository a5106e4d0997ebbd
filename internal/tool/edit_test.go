package tool

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const goFile = `package main

import "fmt"

func main() {
	fmt.Println("hello")
	fmt.Println("hello")
}
`

func TestEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   map[string]string
		noRead  bool
		input   map[string]any
		isError bool
		want    []string
		after   string // f.go afterwards; "" means unchanged
	}{
		{name: "unique replacement",
			input: map[string]any{"old_string": `import "fmt"`, "new_string": `import "log"`},
			want:  []string{"Edited", "     3\timport \"log\""},
			after: strings.Replace(goFile, `"fmt"`, `"log"`, 1)},
		{name: "ambiguous", isError: true,
			input: map[string]any{"old_string": `fmt.Println("hello")`, "new_string": `x()`},
			want:  []string{"occurs 2 times", "lines 6, 7", "replace_all"}},
		{name: "replace_all",
			input: map[string]any{"old_string": `fmt.Println("hello")`, "new_string": `log.Print("bye")`, "replace_all": true},
			want:  []string{"2 replacements", "     6\t\tlog.Print(\"bye\")", "     7\t\tlog.Print(\"bye\")"},
			after: strings.ReplaceAll(goFile, `fmt.Println("hello")`, `log.Print("bye")`)},
		{name: "identical strings", isError: true,
			input: map[string]any{"old_string": "main", "new_string": "main"},
			want:  []string{"identical"}},
		{name: "not found", isError: true,
			input: map[string]any{"old_string": "func nope()", "new_string": "x"},
			want:  []string{"not found", "exactly"}},
		{name: "not found, whitespace differs", isError: true,
			input: map[string]any{"old_string": "    fmt.Println(\"hello\")\n    fmt.Println(\"hello\")", "new_string": "x"},
			want:  []string{"Line 6 has similar text with different whitespace"}},
		{name: "line-number prefix copied from Read", isError: true,
			input: map[string]any{"old_string": "     5\tfunc main() {", "new_string": "x"},
			want:  []string{"line-number prefixes"}},
		{name: "not read", noRead: true, isError: true,
			input: map[string]any{"old_string": "main", "new_string": "x"},
			want:  []string{"has not been read"}},
		{name: "empty old_string on a file with content", isError: true,
			input: map[string]any{"old_string": "", "new_string": "x"},
			want:  []string{"old_string is empty"}},
		{name: "missing fields", isError: true,
			input: map[string]any{"old_string": "x"},
			want:  []string{"required"}},
		{name: "multi-line replacement",
			input: map[string]any{"old_string": "func main() {\n\tfmt.Println(\"hello\")\n\tfmt.Println(\"hello\")\n}", "new_string": "func main() {}"},
			want:  []string{"     5\tfunc main() {}"},
			after: "package main\n\nimport \"fmt\"\n\nfunc main() {}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			dir := s.WorkDir()
			writeFiles(t, dir, map[string]string{"f.go": goFile})
			if !tt.noRead {
				call(t, s, Read{}, map[string]any{"file_path": "f.go"})
			}
			in := map[string]any{"file_path": filepath.Join(dir, "f.go")}
			for k, v := range tt.input {
				in[k] = v
			}
			res := call(t, s, Edit{}, in)
			wantResult(t, res, tt.isError, tt.want...)
			want := tt.after
			if want == "" {
				want = goFile
			}
			if got := readFile(t, filepath.Join(dir, "f.go")); got != want {
				t.Errorf("file mismatch (-want +got):\n%s", cmp.Diff(want, got))
			}
		})
	}
}

func TestEditCreatesAndEditsAgain(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	p := filepath.Join(s.WorkDir(), "pkg", "new.go")
	wantResult(t, call(t, s, Edit{}, map[string]any{"file_path": p, "old_string": "x", "new_string": "y"}), true, "does not exist")
	wantResult(t, call(t, s, Edit{}, map[string]any{"file_path": p, "old_string": "", "new_string": "package pkg\n"}), false, "Created")
	// The session wrote it, so it may edit it again without a Read.
	wantResult(t, call(t, s, Edit{}, map[string]any{"file_path": p, "old_string": "pkg", "new_string": "other"}), false, "Edited")
	if got := readFile(t, p); got != "package other\n" {
		t.Errorf("file = %q", got)
	}
}

func TestEditCRLF(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	writeFiles(t, s.WorkDir(), map[string]string{"w.txt": "one\r\ntwo\r\nthree\r\n"})
	call(t, s, Read{}, map[string]any{"file_path": "w.txt"})
	res := call(t, s, Edit{}, map[string]any{"file_path": "w.txt", "old_string": "one\ntwo", "new_string": "1\n2\n2.5"})
	wantResult(t, res, false)
	if got, want := readFile(t, filepath.Join(s.WorkDir(), "w.txt")), "1\r\n2\r\n2.5\r\nthree\r\n"; got != want {
		t.Errorf("file = %q, want %q", got, want)
	}
	if strings.Contains(res.Content, "\r") {
		t.Errorf("snippet shows CR: %q", res.Content)
	}
}

func TestEditDisplay(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	writeFiles(t, s.WorkDir(), map[string]string{"f.go": goFile})
	call(t, s, Read{}, map[string]any{"file_path": "f.go"})
	res := call(t, s, Edit{}, map[string]any{"file_path": "f.go", "old_string": `import "fmt"`, "new_string": `import "log"`})
	d, ok := res.Display.(*FileDiff)
	if !ok {
		t.Fatalf("Display = %T, want *FileDiff", res.Display)
	}
	want := []Hunk{{OldStart: 1, OldLines: 6, NewStart: 1, NewLines: 6, Lines: []string{
		" package main", " ", `-import "fmt"`, `+import "log"`, " ", " func main() {", " \tfmt.Println(\"hello\")",
	}}}
	if diff := cmp.Diff(want, d.Hunks); diff != "" {
		t.Errorf("hunks mismatch (-want +got):\n%s", diff)
	}
}

func TestMultiEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edits   []map[string]any
		isError bool
		want    []string
		after   string
	}{
		{name: "in order, each on the previous result",
			edits: []map[string]any{
				{"old_string": `import "fmt"`, "new_string": `import "log"`},
				{"old_string": `fmt.Println("hello")`, "new_string": `log.Print("hi")`, "replace_all": true},
				{"old_string": `log.Print("hi")` + "\n\tlog", "new_string": `log.Print("one")` + "\n\tlog"},
			},
			want:  []string{"Edited", "4 replacements"},
			after: "package main\n\nimport \"log\"\n\nfunc main() {\n\tlog.Print(\"one\")\n\tlog.Print(\"hi\")\n}\n"},
		{name: "all or nothing",
			edits: []map[string]any{
				{"old_string": `import "fmt"`, "new_string": `import "log"`},
				{"old_string": "absent", "new_string": "x"},
			},
			isError: true, want: []string{"edit 2 of 2", "not found", "No edit was applied"}},
		{name: "a later edit sees the earlier one",
			edits: []map[string]any{
				{"old_string": `import "fmt"`, "new_string": `import "log"`},
				{"old_string": `import "fmt"`, "new_string": `import "os"`},
			},
			isError: true, want: []string{"edit 2 of 2", "not found"}},
		{name: "identical strings refused",
			edits:   []map[string]any{{"old_string": "main", "new_string": "main"}},
			isError: true, want: []string{"identical"}},
		{name: "no edits", edits: []map[string]any{}, isError: true, want: []string{"edits is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			writeFiles(t, s.WorkDir(), map[string]string{"f.go": goFile})
			call(t, s, Read{}, map[string]any{"file_path": "f.go"})
			res := call(t, s, MultiEdit{}, map[string]any{"file_path": "f.go", "edits": tt.edits})
			wantResult(t, res, tt.isError, tt.want...)
			want := tt.after
			if want == "" {
				want = goFile
			}
			if got := readFile(t, filepath.Join(s.WorkDir(), "f.go")); got != want {
				t.Errorf("file mismatch (-want +got):\n%s", cmp.Diff(want, got))
			}
		})
	}
}

func TestMultiEditCreates(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	res := call(t, s, MultiEdit{}, map[string]any{"file_path": "n.txt", "edits": []map[string]any{
		{"old_string": "", "new_string": "a b c\n"},
		{"old_string": "b", "new_string": "B"},
	}})
	wantResult(t, res, false, "Created")
	if got := readFile(t, filepath.Join(s.WorkDir(), "n.txt")); got != "a B c\n" {
		t.Errorf("file = %q", got)
	}
}
