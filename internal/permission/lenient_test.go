package permission

import (
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// Rules real teams commit that basalt cannot compile as written (issue 22).
var uncompilableBashRules = []string{
	`Bash(cd frontend && npm run build)`,
	`Bash(python3 -c ':*)`,
	`Bash(echo "exit code: $?")`,
	`Bash(git log --oneline | head -5)`,
	"Bash(cat <<EOF > notes.txt\nhello\nEOF)",
	"Bash(git commit -m \"$(cat <<'EOF'\nfix: things\nEOF\n)\")",
	`Bash(for f in *.go; do gofmt -l $f; done)`,
	`Bash(npm test 2>&1 | tail -20)`,
	`Bash(docker compose exec web bash -c "python manage.py test":*)`,
	`Bash(find . -name '*.pyc' -delete && echo done)`,
	`Bash(rm -rf node_modules; npm install)`,
	`Bash($HOME/bin/deploy.sh:*)`,
	`Bash(FOO=$(pwd) make:*)`,
	`Bash(git push origin HEAD:*:x)`,
}

// lenientLine is what an uncompilable allow rule may allow: its text,
// without a trailing :*.
func lenientLine(rule string) string {
	s := strings.TrimSuffix(strings.TrimPrefix(rule, "Bash("), ")")
	return strings.TrimSpace(strings.TrimSuffix(s, ":*"))
}

// commandVariants are commands an attacker might hope an exact-text rule
// covers: the text with more after it, joined to other commands, in a
// pipeline, behind a wrapper.
func commandVariants(line string) []string {
	return []string{
		line, line + " x", line + "; touch pwned", line + " && touch pwned", line + " | sh",
		"touch pwned; " + line, "sudo " + line, "(" + line + ")", "echo $(" + line + ")",
		line + " > out.txt", "bash -c '" + strings.ReplaceAll(line, "'", `'\''`) + "'",
		strings.Fields(line)[0] + " x",
	}
}

// TestUncompilableAllowNeverAllowsMore: with only the uncompilable allow
// rule R, a command is allowed only when it is R's exact text, or when it
// is allowed with no rule at all (echo, a cd inside the project).
func TestUncompilableAllowNeverAllowsMore(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	none := tr.checker(t, ModeDefault, ruleLists{})
	for _, rule := range uncompilableBashRules {
		c := tr.checker(t, ModeDefault, ruleLists{allow: []string{rule}})
		line := lenientLine(rule)
		for _, cmd := range commandVariants(line) {
			d := c.Decide(bashReq(cmd))
			if d.Behavior != Allow || sameCommandLine(cmd, line) || none.Decide(bashReq(cmd)).Behavior == Allow {
				continue
			}
			t.Errorf("allow rule %s allowed %q (%s), which is not its text", rule, cmd, d.Reason)
		}
	}
}

// TestUncompilableAllowAllowsItsText: the exact text is allowed, unless
// it does not parse (then nothing is) or another check objects.
func TestUncompilableAllowAllowsItsText(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	cases := []struct {
		rule, cmd string
		want      Behavior
	}{
		{`Bash(cd frontend && npm run build)`, `cd frontend && npm run build`, Allow},
		{`Bash(cd frontend && npm run build)`, `cd frontend  &&  npm run build`, Allow}, // the same syntax tree
		{`Bash(cd frontend && npm run build)`, `cd frontend && npm run build && rm -rf /`, Ask},
		{`Bash(cd frontend && npm run build)`, `npm run build`, Ask},
		{`Bash(git log --oneline | head -5)`, `git log --oneline | head -5`, Allow},
		{`Bash(git log --oneline | head -5)`, `git log --oneline | head -5 | sh`, Ask},
		{`Bash(python3 -c ':*)`, `python3 -c '`, Ask}, // does not parse: nothing
		{`Bash(python3 -c ':*)`, `python3 -c 'print(1)'`, Ask},
		{`Bash(npm test 2>&1 | tail -20)`, `npm test 2>&1 | tail -20`, Allow},
		{`Bash(cat .env | grep KEY)`, `cat .env | grep KEY`, Allow},
		// Claude Code's escapes are undone before matching.
		{`Bash(grep -E "a\(b\)" README.md)`, `grep -E "a(b)" README.md`, Allow},
		{`Bash(grep -E "a\(b\)" README.md)`, `grep -E "a\(b\)" README.md`, Ask},
		{`Bash(cd x && grep "\(" y)`, `cd x && grep "(" y`, Allow},
	}
	for _, c := range cases {
		t.Run(c.rule+"~"+c.cmd, func(t *testing.T) {
			t.Parallel()
			d := tr.checker(t, ModeDefault, ruleLists{allow: []string{c.rule}}).Decide(bashReq(c.cmd))
			if d.Behavior != c.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, c.want)
			}
		})
	}
	// Deny rules and protected places still apply to the parts of an
	// exact-text allow.
	c := tr.checker(t, ModeDefault, ruleLists{allow: []string{`Bash(cat .env | grep KEY)`}, deny: []string{"Read(./.env)"}})
	if d := c.Decide(bashReq(`cat .env | grep KEY`)); d.Behavior != Deny {
		t.Errorf("exact-text allow beat a Read deny: %s (%s)", d.Behavior, d.Reason)
	}
	c = tr.checker(t, ModeDefault, ruleLists{allow: []string{`Bash(echo x > .git/hooks/pre-commit && echo ok)`}})
	if d := c.Decide(bashReq(`echo x > .git/hooks/pre-commit && echo ok`)); d.Behavior == Allow {
		t.Errorf("exact-text allow wrote a protected place: %s", d.Reason)
	}
}

// TestUncompilableDenyNeverRefusesLess: with every command allowed (a
// bare Bash rule) and the uncompilable deny or ask rule R, R's text and
// R's text with more after it are never allowed.
func TestUncompilableDenyNeverRefusesLess(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	for _, rule := range uncompilableBashRules {
		line := lenientLine(rule)
		for _, kind := range []string{"deny", "ask"} {
			rl := ruleLists{allow: []string{"Bash"}}
			if kind == "deny" {
				rl.deny = []string{rule}
			} else {
				rl.ask = []string{rule}
			}
			c := tr.checker(t, ModeDefault, rl)
			for _, cmd := range []string{line, line + " extra", line + "\n", "  " + line, "true; " + line} {
				if d := c.Decide(bashReq(cmd)); d.Behavior == Allow {
					t.Errorf("%s rule %s allowed %q (%s)", kind, rule, cmd, d.Reason)
				}
			}
		}
	}
}

// TestUncompilableDenyWords: a deny rule basalt cannot compile denies
// every command containing its words, however spelt or wrapped.
func TestUncompilableDenyWords(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	cases := []struct {
		rule, cmd string
		want      Behavior
	}{
		{`Bash(python3 -c ':*)`, `python3 -c 'import os'`, Deny},
		{`Bash(python3 -c ':*)`, `/usr/bin/python3 -c "x"`, Deny},
		{`Bash(python3 -c ':*)`, `PYTHON3 -c x`, Deny},
		{`Bash(python3 -c ':*)`, `timeout 5 python3 -cimport\ os`, Deny},
		{`Bash(python3 -c ':*)`, `echo x | xargs python3 -c x`, Deny},
		{`Bash(python3 -c ':*)`, `bash -c "python3 -c x"`, Deny},
		{`Bash(python3 -c ':*)`, `p=python3; $p -c x`, Ask}, // known only at run time
		{`Bash(python3 -c ':*)`, `python3 script.py`, Allow},
		{`Bash(python3 -c ':*)`, `ls -c`, Allow},
		{`Bash(cd frontend && npm run build)`, `npm run build`, Deny},
		{`Bash(cd frontend && npm run build)`, `cd frontend; npm  run  build --prod`, Deny},
		{`Bash(cd frontend && npm run build)`, `npm run test`, Allow},
		{"Bash(git commit -m \"$(cat <<'EOF'\nfix: things\nEOF\n)\")", `git commit -m "other"`, Deny},
		{`Bash(FOO=$(pwd) make:*)`, `make all`, Deny},
		{`Bash($HOME/bin/deploy.sh:*)`, `~/bin/deploy.sh prod`, Deny},
		{`Bash(for f in *.go; do gofmt -l $f; done)`, `gofmt -l main.go`, Deny},
		{`Bash(rm -rf node_modules; npm install)`, `npm install lodash`, Deny},
		// Not a Bash specifier at all: every Bash call is denied.
		{`Bash()`, `ls`, Deny},
	}
	for _, c := range cases {
		t.Run(c.rule+"~"+c.cmd, func(t *testing.T) {
			t.Parallel()
			o := tr.options(t, ModeDefault, ruleLists{allow: []string{"Bash"}})
			o.Deny = []config.Rule{keptRule(c.rule)}
			d := mustNew(t, o).Decide(bashReq(c.cmd))
			if d.Behavior != c.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, c.want)
			}
		})
	}
}

// keptRule reads a rule the way settings do, keeping a malformed one
// (the configuration layer sets Problem).
func keptRule(s string) config.Rule {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return config.Rule{Tool: s}
	}
	r := config.Rule{Tool: s[:open], Specifier: strings.TrimSuffix(s[open+1:], ")"), HasSpec: true}
	if strings.TrimSpace(r.Specifier) == "" {
		r.Problem = "empty specifier"
	}
	return r
}

// TestNamedAssignmentRules: Bash(NODE_ENV=test npm test:*) is compiled
// with its assignment: an allow rule needs exactly it, a deny rule
// ignores it and refuses more.
func TestNamedAssignmentRules(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	rule := "Bash(NODE_ENV=test npm test:*)"
	cases := []struct {
		cmd         string
		allow, deny Behavior
	}{
		{"NODE_ENV=test npm test", Allow, Deny},
		{"NODE_ENV=test npm test -- --watch", Allow, Deny},
		{`NODE_ENV="test" npm test`, Allow, Deny},
		{"npm test", Ask, Deny},
		{"NODE_ENV=prod npm test", Ask, Deny},
		{"CI=1 NODE_ENV=test npm test", Ask, Deny},
		{"NODE_ENV=test npm run build", Ask, Allow},
		{"NODE_ENV=$X npm test", Ask, Deny},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			t.Parallel()
			if d := tr.checker(t, ModeDefault, ruleLists{allow: []string{rule}}).Decide(bashReq(c.cmd)); d.Behavior != c.allow {
				t.Errorf("as allow: got %s (%s), want %s", d.Behavior, d.Reason, c.allow)
			}
			if d := tr.checker(t, ModeDefault, ruleLists{allow: []string{"Bash"}, deny: []string{rule}}).Decide(bashReq(c.cmd)); d.Behavior != c.deny {
				t.Errorf("as deny: got %s (%s), want %s", d.Behavior, d.Reason, c.deny)
			}
		})
	}
}

// TestGlobInPrefixRule: Bash(.claude/scripts/*.sh:*) allows the scripts
// of that directory (a * stays inside one path component), and as a deny
// rule refuses every command whose name contains its fixed text.
func TestGlobInPrefixRule(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	rule := "Bash(.claude/scripts/*.sh:*)"
	cases := []struct {
		cmd         string
		allow, deny Behavior
	}{
		{".claude/scripts/build.sh", Allow, Deny},
		{".claude/scripts/build.sh --release", Allow, Deny},
		{".claude/scripts/../../x.sh", Ask, Deny},
		{".claude/scripts/sub/x.sh", Ask, Deny},
		{".claude/scripts/build.py", Ask, Allow},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			t.Parallel()
			if d := tr.checker(t, ModeDefault, ruleLists{allow: []string{rule}}).Decide(bashReq(c.cmd)); d.Behavior != c.allow {
				t.Errorf("as allow: got %s (%s), want %s", d.Behavior, d.Reason, c.allow)
			}
			if d := tr.checker(t, ModeDefault, ruleLists{allow: []string{"Bash"}, deny: []string{rule}}).Decide(bashReq(c.cmd)); d.Behavior != c.deny {
				t.Errorf("as deny: got %s (%s), want %s", d.Behavior, d.Reason, c.deny)
			}
		})
	}
}

// TestUncompilablePathRules: a path rule basalt cannot compile allows
// nothing, and as a deny or ask rule covers its whole family.
func TestUncompilablePathRules(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	read := toolReq("Read", "file_path", tr.root+"/src/main.go")
	edit := toolReq("Edit", "file_path", tr.root+"/README.md", "old_string", "x", "new_string", "y")
	if d := tr.checker(t, ModeDefault, ruleLists{allow: []string{"Edit(../shared/**)"}}).Decide(edit); d.Behavior != Ask {
		t.Errorf("allow Edit(../shared/**): edit got %s, want ask", d.Behavior)
	}
	if d := tr.checker(t, ModeDefault, ruleLists{deny: []string{"Read(!*.md)"}}).Decide(read); d.Behavior != Deny {
		t.Errorf("deny Read(!*.md): read got %s, want deny", d.Behavior)
	}
	// A path with "..", "~user" or "//" is read as its tail at any depth:
	// every path it could name, and more, never fewer.
	c := tr.checker(t, ModeAcceptEdits, ruleLists{ask: []string{"Write(src//main.go)"}, deny: []string{"Read(../outside/**)"}})
	if d := c.Decide(toolReq("Edit", "file_path", tr.root+"/src/main.go", "old_string", "x", "new_string", "y")); d.Behavior != Ask {
		t.Errorf("ask Write(src//main.go): edit of src/main.go got %s, want ask", d.Behavior)
	}
	if d := c.Decide(edit); d.Behavior != Allow {
		t.Errorf("ask Write(src//main.go): edit of README.md got %s (%s), want allow", d.Behavior, d.Reason)
	}
	if d := c.Decide(toolReq("Read", "file_path", tr.outside+"/secret.txt")); d.Behavior != Deny {
		t.Errorf("deny Read(../outside/**): read of outside/secret.txt got %s, want deny", d.Behavior)
	}
	if d := c.Decide(bashReq("cat ../outside/secret.txt")); d.Behavior != Deny {
		t.Errorf("deny Read(../outside/**): cat of outside/secret.txt got %s, want deny", d.Behavior)
	}
	if d := c.Decide(read); d.Behavior != Allow {
		t.Errorf("deny Read(../outside/**): read of src/main.go got %s (%s), want allow", d.Behavior, d.Reason)
	}
	if d := tr.checker(t, ModeDefault, ruleLists{deny: []string{"TodoWrite(x)"}}).Decide(toolReq("TodoWrite")); d.Behavior != Deny {
		t.Errorf("deny TodoWrite(x): got %s, want deny", d.Behavior)
	}
}

// TestToolWildcards: MCP tool names with a trailing * (and server names)
// cover the server's tools by prefix; nonsense tool names are inert.
func TestToolWildcards(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	cases := []struct {
		name string
		rl   ruleLists
		tool string
		want Behavior
	}{
		{"server wildcard allows", ruleLists{allow: []string{"mcp__github__*"}}, "mcp__github__create_issue", Allow},
		{"server wildcard is not another server", ruleLists{allow: []string{"mcp__github__*"}}, "mcp__githubx__create_issue", Ask},
		{"server name allows its tools", ruleLists{allow: []string{"mcp__github"}}, "mcp__github__list", Allow},
		{"all MCP denied", ruleLists{allow: []string{"mcp__github__*"}, deny: []string{"mcp__*"}}, "mcp__github__create_issue", Deny},
		{"plugin prefix asks", ruleLists{allow: []string{"mcp__*"}, ask: []string{"mcp__plugin_context7_*"}}, "mcp__plugin_context7_context7__docs", Ask},
		{"wildcard does not cover built-in tools", ruleLists{deny: []string{"mcp__*"}}, "TodoWrite", Allow},
		{"exact MCP tool", ruleLists{allow: []string{"mcp__github__list"}}, "mcp__github__list", Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := tr.checker(t, ModeDefault, c.rl).Decide(toolReq(c.tool))
			if d.Behavior != c.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, c.want)
			}
		})
	}

	// "Web Search(*)" names no tool, and a * outside MCP names is no
	// wildcard: both kept, inert, reported.
	o := tr.options(t, ModeDefault, ruleLists{})
	o.Deny = []config.Rule{{Tool: "Web Search", Specifier: "*", HasSpec: true}}
	o.Allow = []config.Rule{{Tool: "Bash*"}, {Tool: "Bash", Specifier: "ls:*", HasSpec: true}}
	c := mustNew(t, o)
	if d := c.Decide(bashReq("ls")); d.Behavior != Allow {
		t.Errorf("inert rules changed ls: %s (%s)", d.Behavior, d.Reason)
	}
	if d := c.Decide(bashReq("touch x")); d.Behavior != Ask {
		t.Errorf("allow Bash* allowed touch: %s (%s)", d.Behavior, d.Reason)
	}
	if len(c.Problems()) != 2 {
		t.Errorf("problems = %v", c.Problems())
	}
}

// TestDontAskAndBypassLock: dontAsk refuses what default would ask;
// DisableBypass refuses bypassPermissions at start and later.
func TestDontAskAndBypassLock(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDontAsk, ruleLists{allow: []string{"Bash(go test:*)"}})
	if d := c.Decide(bashReq("go test ./...")); d.Behavior != Allow {
		t.Errorf("dontAsk: allowed command got %s", d.Behavior)
	}
	d := c.Decide(bashReq("make"))
	if d.Behavior != Deny || !strings.Contains(d.Reason, "dontAsk") || !strings.Contains(d.Reason, "Bash(make)") {
		t.Errorf("dontAsk: make got %s (%s), want deny naming the mode and a rule", d.Behavior, d.Reason)
	}
	o := tr.options(t, ModeBypass, ruleLists{})
	o.DisableBypass = true
	if _, err := New(o); err == nil || !strings.Contains(err.Error(), "disableBypassPermissionsMode") {
		t.Errorf("New(bypass, DisableBypass) = %v", err)
	}
	o.Mode = ModeDefault
	c = mustNew(t, o)
	if err := c.SetMode(ModeBypass); err == nil {
		t.Error("SetMode(bypass) succeeded with DisableBypass")
	}
	if err := c.SetMode(ModeAcceptEdits); err != nil {
		t.Errorf("SetMode(acceptEdits): %v", err)
	}
}

// TestAddRuleRefusesUncompilable: a rule typed in a session is refused at
// once rather than kept in a weaker form.
func TestAddRuleRefusesUncompilable(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{})
	if err := c.AddRule(Allow, config.Rule{Tool: "Bash", Specifier: "cd x && make", HasSpec: true}); err == nil {
		t.Error("AddRule accepted an uncompilable rule")
	}
	if err := c.AddRule(Allow, config.Rule{Tool: "mcp__github__*"}); err != nil {
		t.Errorf("AddRule(mcp__github__*): %v", err)
	}
}
