package permission

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestPathPattern checks the gitignore-style matching of one pattern
// against paths relative to its root.
func TestPathPattern(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern string
		rel     string
		want    bool
	}{
		{"src/**", "src/a.go", true},
		{"src/**", "src/deep/er/a.go", true},
		{"src/**", "lib/src/a.go", false}, // a slash anchors the pattern
		{"src/*.go", "src/a.go", true},
		{"src/*.go", "src/sub/a.go", false}, // * stays within a directory
		{"*.env", ".env", true},
		{"*.env", "config/prod.env", true}, // no slash: any depth
		{".env", "sub/.env", true},
		{".env", ".envrc", false},
		{"./.env", ".env", true},
		{"./.env", "sub/.env", false},        // ./ anchors
		{"secrets", "secrets/key.pem", true}, // a directory covers its contents
		{"secrets/", "secrets/key.pem", true},
		{"**/*.pem", "a/b/c.pem", true},
		{"**/*.pem", "c.pem", true},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/x/y/c", false},
		{"src/[ab].go", "src/a.go", true},
		{"src/[ab].go", "src/c.go", false},
		{`src/\*.go`, "src/*.go", true},
		{`src/\*.go`, "src/a.go", false},
		{"docs", "docs", true},
		{"docs", "documents", false},
	}
	for _, c := range cases {
		t.Run(c.pattern+"~"+c.rel, func(t *testing.T) {
			t.Parallel()
			p, err := compilePathPattern(c.pattern, "/home/u", "/proj")
			if err != nil {
				t.Fatal(err)
			}
			if got := p.matchRel(c.rel, func() bool { return true }); got != c.want {
				t.Errorf("match = %v, want %v", got, c.want)
			}
		})
	}
}

func TestPathPatternRoots(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern string
		src     config.Source
		base    string
	}{
		{"//etc/hosts", config.Source{}, "/"},
		{"~/.ssh/**", config.Source{}, "/home/u"},
		{"/src/**", config.Source{Kind: config.SourceProject, Name: "/proj/.claude/settings.json"}, "/proj"},
		{"/notes/**", config.Source{Kind: config.SourceUser, Name: "/home/u/.claude/settings.json"}, "/home/u/.claude"},
		{"/x", config.Source{Kind: config.SourceSettings, Name: "/etc/team/basalt.json"}, "/etc/team"},
		{"/x", config.Source{Kind: config.SourceFlag, Name: "--allowed-tools"}, "/proj"},
		{"src/**", config.Source{}, ""},
	}
	for _, c := range cases {
		t.Run(c.pattern, func(t *testing.T) {
			t.Parallel()
			p, err := compilePathPattern(c.pattern, "/home/u", ruleSourceRoot(c.src, "/proj"))
			if err != nil {
				t.Fatal(err)
			}
			if p.base != c.base {
				t.Errorf("base = %q, want %q", p.base, c.base)
			}
		})
	}
}

// TestPathForms spells the same files in every way the model might and
// checks that rules see through each spelling.
func TestPathForms(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	// A directory link inside the project pointing out, and a not yet
	// created file under it.
	cases := []struct {
		name string
		mode Mode
		rl   ruleLists
		req  Request
		want Behavior
	}{
		{"relative", ModeDefault, ruleLists{deny: []string{"Read(./.env)"}}, toolReq("Read", "file_path", ".env"), Deny},
		{"dot-dot", ModeDefault, ruleLists{deny: []string{"Read(./.env)"}}, toolReq("Read", "file_path", "src/../.env"), Deny},
		{"absolute", ModeDefault, ruleLists{deny: []string{"Read(./.env)"}}, toolReq("Read", "file_path", filepath.Join(tr.root, ".env")), Deny},
		{"symlink to denied file", ModeDefault, ruleLists{deny: []string{"Read(./.env)"}}, toolReq("Read", "file_path", "envlink"), Deny},
		{"double-slash rule, relative spelling", ModeDefault, ruleLists{deny: []string{"Edit(/" + tr.root + "/.env)"}}, toolReq("Edit", "file_path", ".env"), Deny},
		{"relative rule, absolute spelling", ModeDefault, ruleLists{deny: []string{"Edit(.env)"}}, toolReq("Write", "file_path", filepath.Join(tr.root, "src/../.env")), Deny},
		{"double-slash rule through a link", ModeDefault, ruleLists{deny: []string{"Read(/" + tr.outside + "/**)"}}, toolReq("Read", "file_path", "linkout/secret.txt"), Deny},
		{"rule on link target, read via link", ModeDefault, ruleLists{deny: []string{"Read(./linkout/**)"}}, toolReq("Read", "file_path", filepath.Join(tr.outside, "secret.txt")), Deny},
		{"home rule", ModeDefault, ruleLists{deny: []string{"Read(~/.ssh/**)"}}, toolReq("Read", "file_path", "~/.ssh/id_rsa"), Deny},
		{"home rule, absolute spelling", ModeDefault, ruleLists{deny: []string{"Read(~/.ssh/**)"}}, toolReq("Read", "file_path", filepath.Join(tr.home, ".ssh/id_rsa")), Deny},
		{"home rule does not reach the project", ModeDefault, ruleLists{deny: []string{"Read(~/.ssh/**)"}}, toolReq("Read", "file_path", "src/main.go"), Allow},
		{"read through a link out asks", ModeDefault, ruleLists{}, toolReq("Read", "file_path", "linkout/secret.txt"), Ask},
		{"dot-dot out asks", ModeDefault, ruleLists{}, toolReq("Read", "file_path", "../outside/secret.txt"), Ask},
		{"link inside stays inside", ModeAcceptEdits, ruleLists{}, toolReq("Edit", "file_path", "srclink/main.go"), Allow},
		{"new file under a link out asks in acceptEdits", ModeAcceptEdits, ruleLists{}, toolReq("Write", "file_path", "linkout/new/deeper.txt"), Ask},
		{"allow rule does not follow a link out", ModeDefault, ruleLists{allow: []string{"Edit(linkout/**)"}}, toolReq("Edit", "file_path", "linkout/secret.txt"), Ask},
		{"allow rule covering both spellings", ModeDefault, ruleLists{allow: []string{"Edit(linkout/**)", "Edit(/" + tr.outside + "/**)"}}, toolReq("Edit", "file_path", "linkout/secret.txt"), Allow},
		{"allow rule inside", ModeDefault, ruleLists{allow: []string{"Edit(src/**)"}}, toolReq("Edit", "file_path", "src/main.go"), Allow},
		{"allow rule outside", ModeDefault, ruleLists{allow: []string{"Edit(/" + tr.outside + "/**)"}}, toolReq("Edit", "file_path", filepath.Join(tr.outside, "secret.txt")), Allow},
		{"workdir is honoured", ModeDefault, ruleLists{deny: []string{"Read(./.env)"}}, Request{Tool: "Read", Input: toolReq("Read", "file_path", "../.env").Input, WorkDir: filepath.Join(tr.root, "src")}, Deny},
		{"unanchored rule at depth", ModeDefault, ruleLists{deny: []string{"Read(*.pem)"}}, toolReq("Read", "file_path", "src/certs/a.pem"), Deny},
		{"unanchored rule in additional dir", ModeDefault, ruleLists{deny: []string{"Read(notes.txt)"}}, toolReq("Read", "file_path", filepath.Join(tr.extra, "notes.txt")), Deny},
		{"grep over a denied dir", ModeDefault, ruleLists{deny: []string{"Read(/" + tr.outside + ")"}}, toolReq("Grep", "pattern", "x", "path", "linkout"), Deny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := tr.checker(t, c.mode, c.rl).Decide(c.req)
			if d.Behavior != c.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, c.want)
			}
		})
	}
}

func TestResolvePath(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	mustSymlink(t, "loop", filepath.Join(tr.root, "loop"))
	cases := []struct {
		name  string
		path  string
		forms []string
		ok    bool
	}{
		{"plain", "src/main.go", []string{filepath.Join(tr.root, "src/main.go")}, true},
		{"link out", "linkout/secret.txt", []string{filepath.Join(tr.root, "linkout/secret.txt"), filepath.Join(tr.outside, "secret.txt")}, true},
		{"not yet created under a link", "linkout/a/b.txt", []string{filepath.Join(tr.root, "linkout/a/b.txt"), filepath.Join(tr.outside, "a/b.txt")}, true},
		// The kernel resolves linkout first, so .. leaves the link's target.
		{"dot-dot after a link", "linkout/../proj/.env", []string{filepath.Join(tr.root, "proj/.env"), filepath.Join(tr.base, "proj/.env")}, true},
		{"home", "~/.ssh/id_rsa", []string{filepath.Join(tr.home, ".ssh/id_rsa")}, true},
		{"loop", "loop/x", []string{filepath.Join(tr.root, "loop/x")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := resolvePath(c.path, tr.root, tr.home)
			if r.ok != c.ok {
				t.Errorf("ok = %v, want %v", r.ok, c.ok)
			}
			if len(r.forms) != len(c.forms) {
				t.Fatalf("forms = %q, want %q", r.forms, c.forms)
			}
			for i := range c.forms {
				if r.forms[i] != c.forms[i] {
					t.Errorf("forms = %q, want %q", r.forms, c.forms)
				}
			}
		})
	}
	if _, err := os.Lstat(filepath.Join(tr.root, "loop")); err != nil {
		t.Fatal(err)
	}
}
