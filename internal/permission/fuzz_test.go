package permission

import (
	"strings"
	"testing"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// FuzzDecideBash checks, for any command line, that deciding never panics,
// that an unparseable command is never allowed, and that a command in which
// the parser itself finds an `rm` is always denied under a Bash(rm:*) deny
// rule, also when `; rm -rf x` or a new line with it is appended, whatever
// allow rules a naive prefix matcher would be fooled by.
func FuzzDecideBash(f *testing.F) {
	for _, c := range securityCases {
		f.Add(c.cmd)
	}
	for _, s := range []string{
		"", "#", "git status", "echo '", `echo "`, "cat <<EOF", "x() {", "$(", "`", "\\", "a && b || c | d",
		"for i in 1 2; do echo $i; done", "case $x in a) rm;; esac", "if rm; then :; fi", "while rm; do :; done",
		"select x in a; do rm; done", "[[ $(rm) ]]", "echo ${x:-$(rm)}", "echo ${x/$(rm)/}", "a=( $(rm) )",
		"declare x=$(rm)", "let x=$(rm)", "(( $(rm) ))", "echo $(( $(rm) ))", "! rm", "time -p rm", "rm &",
	} {
		f.Add(s)
	}
	c, err := New(Options{
		ProjectRoot: "/nonexistent/basalt-fuzz/proj",
		Home:        "/nonexistent/basalt-fuzz/home",
		Allow:       parseRules(f, securityAllow...),
		Deny:        parseRules(f, "Bash(rm:*)", "Read(./.env)"),
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		if !utf8.ValidString(cmd) {
			return // tool inputs arrive as JSON text, which cannot carry it
		}
		for _, line := range []string{cmd, cmd + "; rm -rf x", cmd + "\nrm -rf x"} {
			d := c.Decide(bashReq(line))
			file, err := newParser().Parse(strings.NewReader(line), "")
			if err != nil {
				if d.Behavior == Allow {
					t.Fatalf("%q does not parse (%v) but was allowed", line, err)
				}
				continue
			}
			calls, hasRm := oracle(file)
			if hasRm && d.Behavior != Deny && calls <= maxCommands {
				t.Fatalf("%q runs rm but got %s (%s)", line, d.Behavior, d.Reason)
			}
		}
	})
}

// oracle counts simple commands and looks for an rm among them with the
// parser's own walker, independently of the checker's.
func oracle(f *syntax.File) (calls int, hasRm bool) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 {
			calls++
			if analyzeWord(c.Args[0]).text == "rm" {
				hasRm = true
			}
		}
		return true
	})
	return calls, hasRm
}
