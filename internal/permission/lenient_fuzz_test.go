package permission

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/rulespec"
)

// FuzzLenientAllow: for any rule text R that basalt cannot compile as an
// allow rule and any command C, the rule allows C only when C is R's
// exact text (or C needs no rule at all).
//
//	go test ./internal/permission -run XXX -fuzz FuzzLenientAllow
func FuzzLenientAllow(f *testing.F) {
	for _, r := range uncompilableBashRules {
		line := lenientLine(r)
		for _, c := range commandVariants(line) {
			f.Add(strings.TrimSuffix(strings.TrimPrefix(r, "Bash("), ")"), c)
		}
	}
	tr := newTree(f)
	none := tr.checker(f, ModeDefault, ruleLists{})
	f.Fuzz(func(t *testing.T, spec, cmd string) {
		if !utf8.ValidString(spec) || !utf8.ValidString(cmd) {
			return // JSON (settings, tool input) cannot carry it
		}
		if rulespec.Check(rulespec.Allow, "Bash", spec, true, nil, true).OK() {
			return // compiled exactly: the other tests' business
		}
		o := tr.options(t, ModeDefault, ruleLists{})
		o.Allow = []config.Rule{{Tool: "Bash", Specifier: spec, HasSpec: true}}
		c, err := New(o)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		d := c.Decide(bashReq(cmd))
		if d.Behavior != Allow || none.Decide(bashReq(cmd)).Behavior == Allow {
			return
		}
		if !sameCommandLine(cmd, rulespec.Lenient(rulespec.Unescape(spec)).Line) {
			t.Errorf("allow rule Bash(%s) allowed %q (%s)", spec, cmd, d.Reason)
		}
	})
}

// FuzzLenientDeny: for any rule text R that basalt cannot compile as a
// deny rule, with every other command allowed, R's own text and R's text
// followed by more are never allowed.
//
//	go test ./internal/permission -run XXX -fuzz FuzzLenientDeny
func FuzzLenientDeny(f *testing.F) {
	for _, r := range uncompilableBashRules {
		f.Add(strings.TrimSuffix(strings.TrimPrefix(r, "Bash("), ")"), " --more")
	}
	tr := newTree(f)
	f.Fuzz(func(t *testing.T, spec, more string) {
		if !utf8.ValidString(spec) || !utf8.ValidString(more) {
			return // JSON (settings, tool input) cannot carry it
		}
		if rulespec.Check(rulespec.Deny, "Bash", spec, true, nil, true).OK() {
			return
		}
		line := rulespec.Lenient(rulespec.Unescape(spec)).Line
		if strings.TrimSpace(line) == "" {
			return
		}
		o := tr.options(t, ModeDefault, ruleLists{allow: []string{"Bash"}})
		o.Deny = []config.Rule{{Tool: "Bash", Specifier: spec, HasSpec: true}}
		c, err := New(o)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		for _, cmd := range []string{line, line + more} {
			if d := c.Decide(bashReq(cmd)); d.Behavior == Allow {
				t.Errorf("deny rule Bash(%s) allowed %q (%s)", spec, cmd, d.Reason)
			}
		}
	})
}
