package permission

import (
	"strings"
	"testing"
)

// BenchmarkDecideLongCommand decides 400 kB commands of several shapes.
// The check must stay linear in the command's length (issue 11); each
// shape either is decided fully or hits a bound and is asked.
func BenchmarkDecideLongCommand(b *testing.B) {
	const size = 400 << 10
	tr := newTree(b)
	c := tr.checker(b, ModeDefault, ruleLists{
		allow: []string{"Bash(echo:*)", "Bash(ls:*)", "Bash(cat:*)", "Bash(git status)"},
		deny:  []string{"Bash(rm:*)", "Bash(curl:*)", "Read(./.env)", "Read(./secrets/**)"},
	})
	repeat := func(unit string) string { return strings.Repeat(unit, size/len(unit)) }
	for _, bc := range []struct{ name, cmd string }{
		{"list", repeat("echo a; ")},
		{"single quoted argument", "echo '" + repeat("a") + "'"},
		{"pipeline", repeat("echo a | ") + "cat"},
		{"arguments", "cat" + repeat(" src/main.go")},
		{"here-document", "cat <<'EOF'\n" + repeat("some text (with parens) and $vars\n") + "EOF"},
		{"nested substitutions", repeat("$(") + repeat(")")},
		{"arithmetic", "echo $((" + repeat("1+") + "1))"},
		{"redirections", "echo" + repeat(" >>out")},
		{"cd", repeat("cd src; ")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := bashReq(bc.cmd)
			b.SetBytes(int64(len(bc.cmd)))
			for b.Loop() {
				c.Decide(req)
			}
		})
	}
}

// BenchmarkDecideSimpleCommand is the cost of an everyday decision: one
// allowed command under a few rules, protected places included.
//
//	go test ./internal/permission -run XXX -bench DecideSimpleCommand -benchmem
func BenchmarkDecideSimpleCommand(b *testing.B) {
	tr := newTree(b)
	c := tr.checker(b, ModeDefault, ruleLists{allow: []string{"Bash(go build:*)"}, deny: []string{"Bash(rm:*)", "Read(./.env)"}})
	req := bashReq("go build ./...")
	for b.Loop() {
		if d := c.Decide(req); d.Behavior != Allow {
			b.Fatalf("got %s (%s), want allow", d.Behavior, d.Reason)
		}
	}
}

// BenchmarkDecideLenientRules is the same decision under a settings file
// with rules basalt cannot compile exactly (issue 22): every Bash decision
// also compares the command line with each exact-text allow rule and
// searches it for each lenient deny rule's words.
//
//	go test ./internal/permission -run XXX -bench DecideLenientRules -benchmem
func BenchmarkDecideLenientRules(b *testing.B) {
	tr := newTree(b)
	var allow, deny []string
	for _, r := range uncompilableBashRules {
		allow = append(allow, r)
		deny = append(deny, strings.Replace(r, "Bash(", "Bash(x", 1))
	}
	allow = append(allow, "Bash(go build:*)")
	deny = append(deny, "Bash(rm:*)", "Read(./.env)")
	c := tr.checker(b, ModeDefault, ruleLists{allow: allow, deny: deny})
	req := bashReq("go build ./...")
	for b.Loop() {
		if d := c.Decide(req); d.Behavior != Allow {
			b.Fatalf("got %s (%s), want allow", d.Behavior, d.Reason)
		}
	}
}
