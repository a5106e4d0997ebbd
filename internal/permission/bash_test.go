package permission

import (
	"testing"
)

// TestBashPattern matches specifiers against single commands, word by
// word, for allow rules (deny false) and deny rules.
func TestBashPattern(t *testing.T) {
	t.Parallel()
	cases := []struct {
		spec, cmd string
		allow     result // as an allow rule
		deny      result // as a deny rule
	}{
		{"git status", "git status", yes, yes},
		{"git status", "git  status", yes, yes},
		{"git status", `git "status"`, yes, yes},
		{"git status", "git status --short", no, no},
		{"git status", "git", no, no},
		{"git status", "git status $EXTRA", no, maybe}, // $EXTRA may be empty
		{"go test:*", "go test", yes, yes},
		{"go test:*", "go test ./...", yes, yes},
		{"go test:*", "go testify", no, no},
		{"go test:*", "go test $(go list ./...)", yes, yes},
		{"go test:*", "go $SUB ./...", no, maybe},
		{"go test:*", "g? test", no, maybe},
		{"npm run test:*", "npm run test:unit", no, no}, // word boundary, as in Claude Code
		{"npm run test:*", "npm run test -- --watch", yes, yes},
		{"rm:*", "RM -rf x", no, yes}, // case-insensitive file systems
		{"rm:*", `\rm -rf x`, yes, yes},
		{"rm:*", `r''m -rf x`, yes, yes},
		{"rm:*", "$'rm' -rf x", no, maybe},
		{"ls *", "ls", yes, yes},
		{"ls *", "ls -la", yes, yes},
		{"ls *", "lsof", no, no},
		{"ls*", "lsof -i", yes, yes},
		{"git * main", "git checkout main", yes, yes},
		{"git * main", "git push --force origin main", yes, yes},
		{"git * main", "git push origin dev", no, no},
		{"* --version", "node --version", yes, yes},
		{"git push *", "git push $REMOTE", no, yes},
		{"*", "anything at all", yes, yes},
		{`echo \*`, "echo '*'", yes, yes},
	}
	for _, c := range cases {
		t.Run(c.spec+"~"+c.cmd, func(t *testing.T) {
			t.Parallel()
			p, err := compileBashPattern(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			s, err := scanCommand(c.cmd, "/proj", "/home/u")
			if err != nil {
				t.Fatal(err)
			}
			if len(s.cmds) == 0 {
				t.Fatal("no command scanned")
			}
			ws := s.cmds[0].words
			if got := p.match(ws, false); got != c.allow {
				t.Errorf("as allow rule: %v, want %v", got, c.allow)
			}
			if got := p.match(ws, true); got != c.deny {
				t.Errorf("as deny rule: %v, want %v", got, c.deny)
			}
		})
	}
}

func TestBashPatternErrors(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{
		":*", "git:*:x", "git status; rm x", "git status && ls", "echo $(id)", "FOO=1", "FOO=$x make",
		"echo x > f", "ls *:*", "$'x'", "a\nb", "ls # comment", "if true; then ls; fi",
	} {
		if _, err := compileBashPattern(spec); err == nil {
			t.Errorf("compileBashPattern(%q) succeeded", spec)
		}
	}
}

// TestBashDecisions covers command lines that must be allowed, asked or
// denied as a whole.
func TestBashDecisions(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	std := ruleLists{allow: []string{"Bash(go test:*)", "Bash(git status)", "Bash(git diff:*)", "Bash(npm run:*)", "Bash(make)"}}
	cases := []struct {
		name string
		mode Mode
		rl   ruleLists
		cmd  string
		want Behavior
	}{
		{"single allowed", ModeDefault, std, "go test ./...", Allow},
		{"every part allowed", ModeDefault, std, "git status && go test ./... || git diff HEAD; make", Allow},
		{"pipeline with an unlisted part", ModeDefault, std, "go test ./... | tee out.txt", Ask},
		{"subshell and substitution", ModeDefault, std, "(git status) && go test ./$(echo internal)", Allow},
		{"cd inside then allowed", ModeDefault, std, "cd src && go test .", Allow},
		{"cd outside", ModeDefault, std, "cd /etc && go test .", Ask},
		{"cd with computed target", ModeDefault, std, "cd $DIR && go test .", Ask},
		{"harmless builtins", ModeDefault, std, "set -euo pipefail; echo start; pwd; true", Allow},
		{"printf -v", ModeDefault, std, "printf -v PATH /tmp", Ask},
		{"timeout wrapper", ModeDefault, std, "timeout 60 go test ./...", Allow},
		{"nohup and nice", ModeDefault, std, "nohup nice -n 5 go test ./...", Allow},
		{"env with harmless variable", ModeDefault, std, "env GOOS=linux go test ./...", Allow},
		{"env with PATH", ModeDefault, std, "env PATH=/tmp/evil go test ./...", Ask},
		{"safe assignment prefix", ModeDefault, std, "CGO_ENABLED=0 go test ./...", Allow},
		{"lower-case assignment prefix", ModeDefault, std, "count=3 go test ./...", Allow},
		{"unsafe assignment prefix", ModeDefault, std, "LD_PRELOAD=/tmp/x.so go test ./...", Ask},
		{"bare assignment of PATH", ModeDefault, std, "PATH=.:$PATH; git status", Ask},
		{"bare lower-case assignment", ModeDefault, std, "pkg=internal; go test ./$pkg", Allow},
		{"for loop", ModeDefault, std, "for p in a b; do go test ./$p; done", Allow},
		{"for loop over PATH", ModeDefault, std, "for PATH in /tmp; do git status; done", Ask},
		{"sudo needs a rule naming more than sudo", ModeDefault, ruleLists{allow: []string{"Bash(sudo:*)"}}, "sudo make install", Ask},
		{"sudo with a specific rule", ModeDefault, ruleLists{allow: []string{"Bash(sudo make install)"}}, "sudo make install", Allow},
		{"wrapper rule does not allow the wrapped", ModeDefault, ruleLists{allow: []string{"Bash(timeout:*)"}}, "timeout 5 rm -rf x", Ask},
		{"script file", ModeDefault, ruleLists{allow: []string{"Bash(bash scripts/check.sh)"}}, "bash scripts/check.sh", Allow},
		{"shell string", ModeDefault, ruleLists{allow: []string{"Bash(bash:*)"}}, "bash -c 'make'", Ask},
		{"redirect inside, default", ModeDefault, std, "go test ./... > out.txt", Ask},
		{"redirect inside, acceptEdits", ModeAcceptEdits, std, "go test ./... > out.txt 2>&1", Allow},
		{"redirect outside, acceptEdits", ModeAcceptEdits, std, "go test ./... > ../out.txt", Ask},
		{"redirect after cd", ModeAcceptEdits, std, "cd src && go test . > ../out.txt", Allow},
		{"redirect to /dev/null", ModeDefault, std, "go test ./... > /dev/null 2>&1", Allow},
		{"read redirect outside", ModeDefault, std, "make < /etc/passwd", Ask},
		{"here-doc", ModeDefault, ruleLists{allow: []string{"Bash(cat)"}}, "cat <<'EOF'\nhello $(world)\nEOF", Allow},
		{"here-doc with substitution", ModeDefault, ruleLists{allow: []string{"Bash(cat)"}}, "cat <<EOF\nhello $(whoami)\nEOF", Ask},
		{"acceptEdits mkdir inside", ModeAcceptEdits, ruleLists{}, "mkdir -p src/new && touch src/new/a.go", Allow},
		{"acceptEdits rm outside", ModeAcceptEdits, ruleLists{}, "rm -rf ../outside", Ask},
		{"acceptEdits rm of the root", ModeAcceptEdits, ruleLists{}, "rm -rf .", Ask},
		{"acceptEdits rm through a link out", ModeAcceptEdits, ruleLists{}, "rm linkout/secret.txt", Ask},
		{"acceptEdits rm of a denied file", ModeAcceptEdits, ruleLists{deny: []string{"Edit(.env)"}}, "rm .env", Deny},
		{"acceptEdits glob inside", ModeAcceptEdits, ruleLists{}, "rm src/*.go", Allow},
		{"acceptEdits sed is not a filesystem command", ModeAcceptEdits, ruleLists{}, "sed -i s/a/b/ src/main.go", Ask},
		{"acceptEdits mkdir in default mode", ModeDefault, ruleLists{}, "mkdir src/x", Ask},
		{"parse error", ModeDefault, std, "git status && (", Ask},
		{"parse error, bypass, no rules", ModeBypass, ruleLists{}, "git status && (", Allow},
		{"parse error, bypass, deny rules", ModeBypass, ruleLists{deny: []string{"Bash(rm:*)"}}, "git status && (", Ask},
		{"bypass, hidden command, deny rules", ModeBypass, ruleLists{deny: []string{"Bash(rm:*)"}}, "$CMD x", Ask},
		{"bypass, hidden command, no deny rules", ModeBypass, ruleLists{}, "eval \"$CMD\"", Allow},
		{"bypass ignores ask rules", ModeBypass, ruleLists{ask: []string{"Bash(git push:*)"}}, "git push", Allow},
		{"bare Bash allows opaque commands", ModeDefault, ruleLists{allow: []string{"Bash"}}, "xargs -n1 echo < list.txt", Allow},
		{"bare Bash still honours deny", ModeDefault, ruleLists{allow: []string{"Bash"}, deny: []string{"Bash(rm:*)"}}, "echo x | xargs rm", Deny},
		{"bare Bash still honours path deny", ModeDefault, ruleLists{allow: []string{"Bash"}, deny: []string{"Read(./.env)"}}, "cat .env", Deny},
		{"bare Bash deny", ModeBypass, ruleLists{deny: []string{"Bash"}}, "echo hi", Deny},
		{"Bash(*) allows all", ModeDefault, ruleLists{allow: []string{"Bash(*)"}}, "anything --goes", Allow},
		{"arithmetic on literals", ModeDefault, std, "echo $((1 + 2))", Allow},
		{"arithmetic on variables", ModeDefault, std, "echo $((n + 1))", Ask},
		{"literal test", ModeDefault, std, "[[ -f go.mod ]] && go test ./...", Allow},
		{"test -v", ModeDefault, std, "[[ -v 'a[$(id)]' ]]", Ask},
		{"path arg asks for non-file programs", ModeDefault, ruleLists{allow: []string{"Bash(python3:*)"}, deny: []string{"Read(./.env)"}}, "python3 load.py .env", Ask},
		{"path arg option value", ModeDefault, ruleLists{allow: []string{"Bash(tool:*)"}, deny: []string{"Read(./.env)"}}, "tool --config=.env", Ask},
		{"path arg through a glob", ModeDefault, ruleLists{allow: []string{"Bash(cat:*)"}, deny: []string{"Read(./.env)"}}, "cat .e*", Deny},
		{"path arg through a link", ModeDefault, ruleLists{allow: []string{"Bash(cat:*)"}, deny: []string{"Read(./.env)"}}, "cat envlink", Deny},
		{"unrelated path arg", ModeDefault, ruleLists{allow: []string{"Bash(cat:*)"}, deny: []string{"Read(./.env)"}}, "cat README.md", Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := tr.checker(t, c.mode, c.rl).Decide(bashReq(c.cmd))
			if d.Behavior != c.want {
				t.Errorf("%q: got %s (%s), want %s", c.cmd, d.Behavior, d.Reason, c.want)
			}
		})
	}
}

// git's own options and their values are skipped the same way wherever
// git's command line is read: `git -C src status` is a status, which makes
// no links, so the paths after it are still decided; `-c color.ui=never`
// runs nothing, so Bash(git:*) allows it.
func TestGitGlobalOptionsReadOnce(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{allow: []string{"Bash(git:*)", "Bash(cat:*)"}})
	for _, cmd := range []string{
		"git -C src status && cat README.md",
		"git -c color.ui=never log && cat README.md",
	} {
		if d := c.Decide(bashReq(cmd)); d.Behavior != Allow {
			t.Errorf("%s: got %s (%s), want allow", cmd, d.Behavior, d.Reason)
		}
	}
}
