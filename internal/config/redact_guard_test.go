package config

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config/secrettest"
)

// TestRedactCompilesOnlyWhatCanMatch: redacting values that cannot hold
// a secret (the variables a start-up scrubs) compiles none of the shape
// expressions. Not parallel: it swaps the package's expressions.
func TestRedactCompilesOnlyWhatCanMatch(t *testing.T) {
	var used []string
	wrap := func(name string, f *func() *regexp.Regexp) {
		orig := *f
		*f = func() *regexp.Regexp { used = append(used, name); return orig() }
		t.Cleanup(func() { *f = orig })
	}
	for i := range shapes {
		wrap(fmt.Sprintf("shape %d", i), &shapes[i].re)
	}
	wrap("userInfo", &userInfo)
	wrap("secretPair", &secretPair)
	wrap("secretHeader", &secretHeader)
	wrap("secretYAML", &secretYAML)
	wrap("tokenRun", &tokenRun)
	for _, v := range []string{"1", "true", "us-east-1", "global.anthropic.claude-sonnet-4-6", "/home/u/.aws/config", "claude-opus-4-7[1m]"} {
		if LooksSecret(v) {
			t.Errorf("LooksSecret(%q) = true", v)
		}
	}
	if len(used) > 0 {
		t.Errorf("redacting plain values compiled %v", used)
	}
}

// TestRedactGuardsHoldForEveryMatch: every text an expression matches
// passes the guard that lets RedactText skip it, over the redaction
// fixtures. The guards only look for literals or a length, so a match
// that passes makes every text around it pass.
func TestRedactGuardsHoldForEveryMatch(t *testing.T) {
	t.Parallel()
	var texts []string
	for _, s := range secrettest.Fixture() {
		texts = append(texts, s.Value, s.Name+"="+s.Value, s.Name+": "+s.Value, `{"`+s.Name+`": "`+s.Value+`"}`)
	}
	texts = append(texts,
		"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
		"Authorization: Bearer abc.def-123456", "Basic dXNlcjpwYXNzd29yZA==", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/x",
		"ghp_abcdefghijklmnop1234", "github_pat_abcdefghij0123456789abc", "glpat-abcdefghijklmnop12",
		"xoxb-12345678-abc", "xapp-1-abcdefgh", "sk-ant-api03-abcdefgh", "sk-proj-abcdefghijklmnopqrstuv",
		"rk_live_abcdefghij12", "pk_test_abcdefghij12", "npm_abcdefghijklmnopqrst12", "AIzaSyA-abcdefghijklmnopqrstuvwxyz12",
		"https://hooks.slack.com/services/T000/B000/XXXX", "https://user:pass@host/x", "password=hunter2", `"token": "abc"`,
		"api_key: 0123456789", "ASIAABCDEFGHIJKLMNOP", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
		strings.Repeat("aB3", 12),
	)
	others := []struct {
		name string
		re   func() *regexp.Regexp
		may  func(string) bool
	}{
		{"userInfo", userInfo, mayHoldUserInfo},
		{"secretPair", secretPair, mayHoldPair},
		{"secretHeader", secretHeader, mayHoldHeader},
		{"secretYAML", secretYAML, mayHoldYAML},
		{"tokenRun", tokenRun, hasTokenRun},
	}
	matched := 0
	for _, text := range texts {
		for i, sh := range shapes {
			for _, m := range sh.re().FindAllString(text, -1) {
				matched++
				if !sh.may(m) {
					t.Errorf("shape %d matches %q, which fails its guard", i, m)
				}
			}
		}
		for _, o := range others {
			for _, m := range o.re().FindAllString(text, -1) {
				matched++
				if !o.may(m) {
					t.Errorf("%s matches %q, which fails its guard", o.name, m)
				}
			}
		}
	}
	if matched < len(shapes)+len(others) {
		t.Fatalf("only %d matches: the texts do not exercise the expressions", matched)
	}
}
