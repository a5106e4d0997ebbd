package rulespec

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnescape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`python -c "print\(1\)"`: `python -c "print(1)"`,
		`a\\b`:                   `a\b`,
		`grep foo\ bar`:          `grep foo\ bar`, // not one of Claude Code's escapes
		`x\`:                     `x\`,
		`plain`:                  `plain`,
	} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range []string{`python -c 'print(1)'`, `a\b`, `x\(y\)`, `plain`, `\`, `src/\*.go`} {
		if got := Unescape(Escape(s)); got != s {
			t.Errorf("Unescape(Escape(%q)) = %q", s, got)
		}
	}
}

func TestWidenPath(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"../secrets/**":  "//**/secrets/**",
		"a/*/../b":       "//**/b",
		"~bob/.ssh/":     "//**/.ssh/",
		"src//x":         "//**/src/x",
		"~/x":            "//**/x",
		"!*.md":          "",
		"..":             "",
		"../[":           "",
		"./../../a/b/**": "//**/a/b/**",
	} {
		got, ok := WidenPath(spec)
		if got != want || ok != (want != "") {
			t.Errorf("WidenPath(%q) = %q, %v; want %q", spec, got, ok, want)
		}
	}
}

func TestParseTool(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		prefix  string
		wantErr bool
		matches []string
		misses  []string
	}{
		{name: "Bash", matches: []string{"Bash"}, misses: []string{"BashOutput"}},
		{name: "mcp__github__*", prefix: "mcp__github__", matches: []string{"mcp__github__create_issue"}, misses: []string{"mcp__gitlab__x", "Bash"}},
		{name: "mcp__*", prefix: "mcp__", matches: []string{"mcp__a__b"}, misses: []string{"Read"}},
		{name: "mcp__plugin_context7_*", prefix: "mcp__plugin_context7_", matches: []string{"mcp__plugin_context7_context7__docs"}},
		{name: "mcp__github", prefix: "mcp__github__", matches: []string{"mcp__github", "mcp__github__x"}, misses: []string{"mcp__githubx__y"}},
		{name: "Web Search", wantErr: true},
		{name: "Bash*", wantErr: true},
		{name: "mcp__a*b*", wantErr: true},
		{name: "", wantErr: true},
	}
	for _, c := range cases {
		tool, err := ParseTool(c.name)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseTool(%q) error = %v, want error %v", c.name, err, c.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if tool.Prefix != c.prefix {
			t.Errorf("ParseTool(%q).Prefix = %q, want %q", c.name, tool.Prefix, c.prefix)
		}
		for _, m := range c.matches {
			if !tool.Matches(m) {
				t.Errorf("%q does not match %q", c.name, m)
			}
		}
		for _, m := range c.misses {
			if tool.Matches(m) {
				t.Errorf("%q matches %q", c.name, m)
			}
		}
	}
}

func TestLenientParts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		spec string
		line string
		want []Part
	}{
		{"cd frontend && npm run build", "cd frontend && npm run build",
			[]Part{{Name: []string{"cd"}, Args: []string{"frontend"}}, {Name: []string{"npm"}, Args: []string{"run", "build"}}}},
		{"python3 -c ':*", "python3 -c '", []Part{{Name: []string{"python3"}, Args: []string{"-c"}}}},
		{`echo "exit code: $?"`, `echo "exit code: $?"`, []Part{{Name: []string{"echo"}, Args: []string{"exit code:"}}}},
		{"NODE_ENV=test npm test:*", "NODE_ENV=test npm test", []Part{{Name: []string{"npm"}, Args: []string{"test"}}}},
		{".claude/scripts/*.sh:*", ".claude/scripts/*.sh", []Part{{Name: []string{".claude/scripts/", ".sh"}}}},
		{"npm test 2>&1 | tail -20", "npm test 2>&1 | tail -20",
			[]Part{{Name: []string{"npm"}, Args: []string{"test"}}, {Name: []string{"tail"}, Args: []string{"-20"}}}},
		{"cat <<EOF > out.txt\nhi\nEOF", "cat <<EOF > out.txt\nhi\nEOF",
			[]Part{{Name: []string{"cat"}}, {Name: []string{"hi"}}, {Name: []string{"EOF"}}}},
		{"echo $(date) *", "echo $(date)", []Part{{Name: []string{"echo"}}, {Name: []string{"date"}}}},
		{"for f in *.go; do gofmt -l $f; done", "for f in *.go; do gofmt -l $f; done",
			[]Part{{Name: []string{"f"}, Args: []string{"in", ".go"}}, {Name: []string{"gofmt"}, Args: []string{"-l"}}}},
		{"git commit -m \"$(cat <<'EOF'\nmsg\nEOF\n)\":*", "git commit -m \"$(cat <<'EOF'\nmsg\nEOF\n)\"",
			[]Part{{Name: []string{"git"}, Args: []string{"commit", "-m"}}}},
		{"$CMD --flag", "$CMD --flag", []Part{{Name: nil, Args: []string{"--flag"}}}},
	}
	for _, c := range cases {
		b := Lenient(c.spec)
		if b.Line != c.line {
			t.Errorf("Lenient(%q).Line = %q, want %q", c.spec, b.Line, c.line)
		}
		if diff := cmp.Diff(c.want, b.Parts); diff != "" {
			t.Errorf("Lenient(%q).Parts mismatch (-want +got):\n%s", c.spec, diff)
		}
	}
}

// TestCheck is the verdict config show prints and the checker enforces.
func TestCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		kind      Kind
		tool      string
		spec      string
		syntaxErr error
		want      string // "" compiles; else a word of the effect
		inert     bool
		broad     bool
	}{
		{Allow, "Bash", "go test:*", nil, "", false, false},
		{Allow, "Bash", "NODE_ENV=test npm test:*", nil, "", false, false},
		{Allow, "Bash", ".claude/scripts/*.sh:*", nil, "", false, false},
		{Deny, "Bash", ".claude/scripts/*.sh:*", nil, "denies any command that contains", false, false},
		{Allow, "Bash", "cd frontend && npm run build", nil, "exact command `cd frontend && npm run build`", false, false},
		{Ask, "Bash", "cd frontend && npm run build", nil, "asks before any command that contains the words `cd frontend` or `npm run build`", false, false},
		{Allow, "Bash", ":*", nil, "never allows anything", true, false},
		{Allow, "Read", "../shared/**", nil, "never allows anything", true, false},
		{Deny, "Read", "../shared/**", nil, "denies every Read call on a path matching //**/shared/**", false, false},
		{Deny, "Read", "!*.md", nil, "denies every Read call", false, true},
		{Deny, "TodoWrite", "x", nil, "denies every TodoWrite call", false, true},
		{Deny, "Web Search", "*", nil, "never matches", true, false},
		{Allow, "mcp__github__*", "", nil, "", false, false},
		{Allow, "WebFetch", "domain:github.com", nil, "", false, false},
		{Allow, "WebFetch", "domain:*.github.com", nil, "", false, false},
		{Allow, "WebFetch", "domain:*", nil, "", false, false},
		{Allow, "WebFetch", "domain:[::1]", nil, "", false, false},
		{Allow, "WebFetch", "github.com", nil, "never allows anything", true, false},
		{Deny, "WebFetch", "https://github.com/x", nil, "denies every WebFetch call", false, true},
		{Ask, "WebFetch", "domain:github.com/x", nil, "asks before every WebFetch call", false, true},
		{Allow, "WebFetch", "domain:", nil, "never allows anything", true, false},
		{Allow, "Bash", "rm -rf", errors.New("missing ')' at the end"), "exact command `rm -rf`", false, false},
		{Deny, "Read", `secret\(1\).txt`, nil, "", false, false},
	}
	for _, c := range cases {
		v := Check(c.kind, c.tool, c.spec, c.spec != "" || c.syntaxErr != nil, c.syntaxErr, true)
		name := string(c.kind) + " " + c.tool + "(" + c.spec + ")"
		if c.want == "" {
			if !v.OK() {
				t.Errorf("%s: %s; want it to compile", name, v.Problem)
			}
			continue
		}
		if v.OK() || !strings.Contains(v.Effect, c.want) || v.Inert != c.inert || v.Broad != c.broad {
			t.Errorf("%s: %+v; want effect with %q, inert %v, broad %v", name, v, c.want, c.inert, c.broad)
		}
	}
}
