package permission

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// tree is a scratch filesystem for permission tests:
//
//	base/proj/             the project root
//	base/proj/src/main.go
//	base/proj/.env
//	base/proj/README.md
//	base/proj/linkout   -> base/outside     (a symlink out of the project)
//	base/proj/envlink   -> base/proj/.env   (another spelling of .env)
//	base/proj/srclink   -> src              (a symlink inside the project)
//	base/outside/secret.txt
//	base/extra/            an additional directory
//	base/home/.ssh/id_rsa  the home directory
type tree struct {
	base, root, outside, extra, home string
}

func newTree(t testing.TB) tree {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tr := tree{
		base:    base,
		root:    filepath.Join(base, "proj"),
		outside: filepath.Join(base, "outside"),
		extra:   filepath.Join(base, "extra"),
		home:    filepath.Join(base, "home"),
	}
	for _, d := range []string{"proj/src", "outside", "extra", "home/.ssh"} {
		mustMkdir(t, filepath.Join(base, d))
	}
	for _, f := range []string{"proj/src/main.go", "proj/.env", "proj/README.md", "outside/secret.txt", "home/.ssh/id_rsa", "extra/notes.txt"} {
		if err := os.WriteFile(filepath.Join(base, f), []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustSymlink(t, tr.outside, filepath.Join(tr.root, "linkout"))
	mustSymlink(t, filepath.Join(tr.root, ".env"), filepath.Join(tr.root, "envlink"))
	mustSymlink(t, "src", filepath.Join(tr.root, "srclink"))
	return tr
}

func mustMkdir(t testing.TB, d string) {
	t.Helper()
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t testing.TB, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// parseRules parses rule strings as settings would.
func parseRules(t testing.TB, specs ...string) []config.Rule {
	t.Helper()
	var out []config.Rule
	for _, s := range specs {
		r, err := config.ParseRule(s)
		if err != nil {
			t.Fatalf("parse rule %q: %v", s, err)
		}
		out = append(out, r)
	}
	return out
}

// ruleLists are the rules of one test case.
type ruleLists struct {
	allow, ask, deny []string
}

func (tr tree) checker(t testing.TB, mode Mode, rl ruleLists) *Checker {
	t.Helper()
	return mustNew(t, tr.options(t, mode, rl))
}

// options are a checker's options for the tree: its project, extra
// directory and home, with the rules rl.
func (tr tree) options(t testing.TB, mode Mode, rl ruleLists) Options {
	t.Helper()
	return Options{
		Mode:           mode,
		Allow:          parseRules(t, rl.allow...),
		Ask:            parseRules(t, rl.ask...),
		Deny:           parseRules(t, rl.deny...),
		ProjectRoot:    tr.root,
		AdditionalDirs: []string{tr.extra},
		Home:           tr.home,
	}
}

func mustNew(t testing.TB, opts Options) *Checker {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatalf("new checker: %v", err)
	}
	return c
}

func bashReq(cmd string) Request {
	return toolReq("Bash", "command", cmd)
}

// toolReq builds a request from key/value pairs of string fields.
func toolReq(tool string, kv ...string) Request {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	in, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return Request{Tool: tool, Input: in}
}
