package tool

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// denyPolicy hides every path whose base name is .env and everything in a
// directory named secrets, and records what it was asked.
type denyPolicy struct {
	mu    sync.Mutex
	asked []string
}

func (p *denyPolicy) ReadDeniedFilter() func(string) bool { return p.denied }

func (p *denyPolicy) denied(path string) bool {
	p.mu.Lock()
	p.asked = append(p.asked, path)
	p.mu.Unlock()
	if filepath.Base(path) == ".env" {
		return true
	}
	for _, seg := range strings.Split(path, string(filepath.Separator)) {
		if seg == "secrets" {
			return true
		}
	}
	return false
}

// hiddenTree writes a project where the word TOKEN appears in allowed and
// in hidden files.
func hiddenTree(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"a.txt":              "TOKEN here\n",
		"src/app.go":         "// TOKEN read from the environment\n",
		".env":               "TOKEN=sk-live-abc123\n",
		"sub/.env":           "TOKEN=sk-live-def456\n",
		"secrets/key.txt":    "TOKEN=sk-live-ghi789\nTOKEN again\n",
		"secrets/deep/x.txt": "TOKEN\n",
	})
	return dir
}

// noLeak fails when a result names or quotes a hidden file.
func noLeak(t *testing.T, res Result) {
	t.Helper()
	for _, leak := range []string{".env", "secrets", "sk-live"} {
		if strings.Contains(res.Content, leak) {
			t.Errorf("result shows %q, which a Read deny rule covers:\n%s", leak, res.Content)
		}
	}
}

func TestGrepLeavesOutReadDenied(t *testing.T) {
	t.Parallel()
	dir := hiddenTree(t)
	tests := []struct {
		name  string
		input map[string]any
		want  []string // substrings of the result
	}{
		{"content", map[string]any{"pattern": "TOKEN", "output_mode": "content"}, []string{"a.txt:1:TOKEN here", "app.go:1:"}},
		{"files", map[string]any{"pattern": "TOKEN", "output_mode": "files_with_matches"}, []string{"a.txt", "app.go"}},
		{"count", map[string]any{"pattern": "TOKEN", "output_mode": "count"}, []string{"a.txt:1", "app.go:1"}},
		{"secret value as oracle", map[string]any{"pattern": "sk-live-[a-z]+1", "output_mode": "count"}, []string{"No matches found."}},
		{"glob naming the hidden file", map[string]any{"pattern": "TOKEN", "glob": ".env"}, []string{"No matches found."}},
		{"hidden directory as path", map[string]any{"pattern": "TOKEN", "path": "secrets"}, []string{"No matches found."}},
		{"hidden file as path", map[string]any{"pattern": "TOKEN", "path": ".env", "output_mode": "content"}, []string{"No matches found."}},
		{"context lines", map[string]any{"pattern": "here", "output_mode": "content", "-C": 3}, []string{"a.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, dir, func(o *SessionOptions) { o.NoRipgrep = true; o.ReadPolicy = &denyPolicy{} })
			res := call(t, s, Grep{}, tt.input)
			wantResult(t, res, false, tt.want...)
			noLeak(t, res)
		})
	}
}

// TestGrepWalkSkipsHiddenDirectories: a directory a deny rule covers is
// not entered, so nothing below it is even opened.
func TestGrepWalkSkipsHiddenDirectories(t *testing.T) {
	t.Parallel()
	dir := hiddenTree(t)
	p := &denyPolicy{}
	s := newSession(t, dir, func(o *SessionOptions) { o.NoRipgrep = true; o.ReadPolicy = p })
	call(t, s, Grep{}, map[string]any{"pattern": "TOKEN"})
	call(t, s, Glob{}, map[string]any{"pattern": "**/*"})
	call(t, s, LS{}, map[string]any{"path": dir})
	for _, a := range p.asked {
		if strings.Contains(a, filepath.Join("secrets", "")) && filepath.Base(a) != "secrets" {
			t.Errorf("the walk entered a hidden directory: asked about %s", a)
		}
	}
}

// fakeRG writes a stand-in for rg that prints, in rg's --null format, a
// match in every file of the tree, hidden ones included, as rg would
// without knowing the deny rules.
func fakeRG(t *testing.T) string {
	t.Helper()
	script := `#!/bin/bash
mode=content
for a in "$@"; do
  case $a in
    --files-with-matches) mode=files ;;
    --count) mode=count ;;
  esac
done
for f in ./a.txt ./.env ./sub/.env ./secrets/key.txt ./src/app.go; do
  case $mode in
    files) printf '%s\0' "$f" ;;
    count) printf '%s\0%s\n' "$f" 1 ;;
    content) printf '%s\0%s\n' "$f" "1:TOKEN=$(head -c 40 "$f" | tr -d '\n')" ;;
  esac
done
`
	p := filepath.Join(t.TempDir(), "rg")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGrepRipgrepLeavesOutReadDenied(t *testing.T) {
	t.Parallel()
	dir := hiddenTree(t)
	rg := fakeRG(t)
	for _, mode := range []string{"content", "files_with_matches", "count"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, dir, func(o *SessionOptions) { o.Ripgrep = rg; o.ReadPolicy = &denyPolicy{} })
			if !s.UsesRipgrep() {
				t.Fatal("session does not use the fake rg")
			}
			res := call(t, s, Grep{}, map[string]any{"pattern": "TOKEN", "output_mode": mode})
			wantResult(t, res, false, "a.txt", "app.go")
			noLeak(t, res)
		})
	}
}

func TestGlobLeavesOutReadDenied(t *testing.T) {
	t.Parallel()
	dir := hiddenTree(t)
	tests := []struct {
		name  string
		input map[string]any
		want  []string
	}{
		{"everything", map[string]any{"pattern": "**/*"}, []string{"a.txt", "app.go"}},
		{"dotfiles", map[string]any{"pattern": "**/.*"}, []string{"No files found."}},
		{"the hidden name", map[string]any{"pattern": ".env"}, []string{"No files found."}},
		{"inside a hidden directory", map[string]any{"pattern": "secrets/**/*.txt"}, []string{"No files found."}},
		{"hidden directory as path", map[string]any{"pattern": "*", "path": "secrets"}, []string{"No files found."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, dir, func(o *SessionOptions) { o.ReadPolicy = &denyPolicy{} })
			res := call(t, s, Glob{}, tt.input)
			wantResult(t, res, false, tt.want...)
			noLeak(t, res)
		})
	}
}

func TestLSLeavesOutReadDenied(t *testing.T) {
	t.Parallel()
	dir := hiddenTree(t)
	s := newSession(t, dir, func(o *SessionOptions) { o.ReadPolicy = &denyPolicy{} })
	res := call(t, s, LS{}, map[string]any{"path": dir})
	wantResult(t, res, false, "a.txt", "src/", "app.go", "sub/")
	noLeak(t, res)

	res = call(t, s, LS{}, map[string]any{"path": filepath.Join(dir, "secrets")})
	wantResult(t, res, true, "Read deny rule")
	if strings.Contains(res.Content, "key.txt") {
		t.Errorf("listing of a hidden directory shows its files:\n%s", res.Content)
	}
}

// TestGrepRipgrepTooMuchIsNoOracle: a hidden file whose matches alone
// would pass the collect limit does not turn rg's answer into "too many".
func TestGrepRipgrepTooMuchIsNoOracle(t *testing.T) {
	t.Parallel()
	dir := hiddenTree(t)
	writeFiles(t, dir, map[string]string{"secrets/big.txt": strings.Repeat("TOKEN=sk-live-xyz\n", 2000)})
	script := "#!/bin/bash\ntrap '' PIPE\nfor i in $(seq 2000); do printf './secrets/big.txt\\0%d:TOKEN=sk-live-xyz\\n' $i; done\nprintf './a.txt\\0001:TOKEN here\\n' 2>/dev/null\nexit 0\n"
	rg := filepath.Join(t.TempDir(), "rg")
	if err := os.WriteFile(rg, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, dir, func(o *SessionOptions) { o.Ripgrep = rg; o.ReadPolicy = &denyPolicy{} })
	s.grepMaxCollect = 10_000
	res := call(t, s, Grep{}, map[string]any{"pattern": "TOKEN", "output_mode": "content"})
	wantResult(t, res, false, "a.txt:1:TOKEN here")
	noLeak(t, res)
}
