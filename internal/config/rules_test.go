package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A settings file as teams commit it for Claude Code, with rules basalt
// cannot compile exactly (issue 22). Line numbers matter to the test.
const lenientSettings = `{
  "permissions": {
    "allow": [
      "Bash(go test:*)",
      "Bash(cd frontend && npm run build)",
      "Bash(NODE_ENV=test npm test:*)",
      "Bash(python3 -c ':*)",
      "mcp__github__*",
      "Web Search(*)",
      "Bash(.claude/scripts/*.sh:*)", "Bash(echo \"exit code: $?\")"
    ],
    "deny": ["Bash(git push --force origin main && echo done)", "Read(../secrets/**)"],
    "ask": [
      "WebFetch(domain:example.com)",
      ""
    ],
    "defaultMode": "auto"
  },
  "skipDangerousModePermissionPrompt": true
}
`

func TestLenientRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.write(f.user(), lenientSettings)
	c, err := f.load()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	var got []string
	for _, w := range c.Warnings {
		if strings.Contains(w, "unknown key") {
			continue // another part of config reports those
		}
		got = append(got, strings.ReplaceAll(w, path, "USER"))
	}
	want := []string{
		"USER:5:7: allow rule Bash(cd frontend && npm run build): a rule names one simple command: ;, &&, ||, |, redirections and comments have no exact meaning in a rule; kept: it allows only the exact command `cd frontend && npm run build`",
		"USER:7:7: allow rule Bash(python3 -c ':*): not a shell command (reached EOF without closing quote `'`); kept: it allows only the exact command `python3 -c '`",
		`USER:9:7: allow rule Web Search(*): "Web Search" is not a tool name; kept: it never matches`,
		"USER:10:39: allow rule Bash(echo \"exit code: $?\"): word \"exit code: $?\": expansions ($…, `…`) have no fixed text to match; kept: it allows only the exact command `echo \"exit code: $?\"`",
		"USER:15:7: ask rule \"\" is empty; it is ignored",
		"USER:12:14: deny rule Bash(git push --force origin main && echo done): a rule names one simple command: ;, &&, ||, |, redirections and comments have no exact meaning in a rule; kept: it denies any command that contains the words `git push --force origin main` or `echo done`",
		`USER:12:65: deny rule Read(../secrets/**): ".." components are not allowed; write the path it leads to; kept: it denies every Read call on a path matching //**/secrets/** (any directory)`,
		`permission mode "auto" (user USER (permissions.defaultMode)): basalt has no classifier that approves calls on its own, so it runs in default mode and asks before edits and commands instead`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	if c.Permissions.DefaultMode.Value != "default" {
		t.Errorf("mode = %q, want default", c.Permissions.DefaultMode.Value)
	}
	// Every rule is kept, in order, with its place and problem.
	if n := len(c.Permissions.Allow); n != 8 {
		t.Fatalf("%d allow rules kept, want 8", n)
	}
	r := c.Permissions.Allow[2]
	if r.String() != "Bash(NODE_ENV=test npm test:*)" || r.Line != 6 || r.Problem != "" {
		t.Errorf("allow[2] = %+v", r)
	}
	if r := c.Permissions.Allow[1]; r.Problem == "" || r.Where() != path+":5:7" {
		t.Errorf("allow[1] = %+v, where %s", r, r.Where())
	}
	if len(c.Permissions.Ask) != 1 || len(c.Permissions.Deny) != 2 {
		t.Errorf("ask %v, deny %v", c.Permissions.Ask, c.Permissions.Deny)
	}
}

func TestRuleFlagsLenient(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.flags.AllowedTools = []string{`Bash(cd x && make),mcp__*`}
	c, err := f.load()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	w := strings.Join(c.Warnings, "\n")
	if !strings.Contains(w, "--allowed-tools: allow rule Bash(cd x && make)") || !strings.Contains(w, "it allows only the exact command `cd x && make`") {
		t.Errorf("warnings = %q", c.Warnings)
	}
	// Parentheses that do not balance are still a usage error.
	f.flags.AllowedTools = []string{`Bash(x`}
	if _, err := f.load(); err == nil {
		t.Error("unbalanced --allowed-tools loaded")
	}
}

func TestPermissionModes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		user     string
		managed  string
		flag     string
		wantMode string
		wantErr  string
		wantWarn string
	}{
		{name: "manual is default", user: `{"permissions": {"defaultMode": "manual"}}`, wantMode: "default"},
		{name: "dontAsk kept", user: `{"permissions": {"defaultMode": "dontAsk"}}`, wantMode: "dontAsk"},
		{name: "auto runs as default", user: `{"permissions": {"defaultMode": "auto"}}`, wantMode: "default", wantWarn: "asks before edits and commands instead"},
		{name: "auto flag", flag: "auto", wantMode: "default", wantWarn: `permission mode "auto" (flag --permission-mode)`},
		{name: "bypass flag refused", managed: `{"permissions": {"disableBypassPermissionsMode": "disable"}}`, flag: "bypassPermissions",
			wantErr: "--permission-mode bypassPermissions is disabled by permissions.disableBypassPermissionsMode (managed MANAGED"},
		{name: "bypass in a file falls back", user: `{"permissions": {"defaultMode": "bypassPermissions", "disableBypassPermissionsMode": "disable"}}`,
			wantMode: "default", wantWarn: "permission mode bypassPermissions (user USER (permissions.defaultMode)) is disabled"},
		{name: "other modes unaffected by the lock", managed: `{"permissions": {"disableBypassPermissionsMode": "disable"}}`, flag: "acceptEdits", wantMode: "acceptEdits"},
		{name: "unknown lock value", user: `{"permissions": {"disableBypassPermissionsMode": "yes"}}`, flag: "bypassPermissions",
			wantMode: "bypassPermissions", wantWarn: `permissions.disableBypassPermissionsMode "yes": the only value is "disable"`},
		{name: "unknown mode in a file", user: "{\n\"permissions\": {\"defaultMode\": \"yolo\"}}", wantMode: "default",
			wantWarn: `USER:2: permissions.defaultMode "yolo" is not a mode basalt knows`},
		{name: "unknown mode flag", flag: "yolo", wantErr: `permission mode "yolo" (flag --permission-mode): want one of default, acceptEdits, plan, bypassPermissions, dontAsk, manual, auto`},
		{name: "UI keys load", user: `{"skipDangerousModePermissionPrompt": true, "permissions": {"defaultMode": "plan"}}`, wantMode: "plan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if c.user != "" {
				f.write(f.user(), c.user)
			}
			if c.managed != "" {
				f.write(f.managed, c.managed)
			}
			f.flags.PermissionMode = c.flag
			cfg, err := f.load()
			clean := func(s string) string {
				return strings.NewReplacer(f.user(), "USER", f.managed, "MANAGED").Replace(s)
			}
			if c.wantErr != "" {
				if err == nil || !strings.Contains(clean(err.Error()), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if cfg.Permissions.DefaultMode.Value != c.wantMode {
				t.Errorf("mode = %q, want %q", cfg.Permissions.DefaultMode.Value, c.wantMode)
			}
			w := clean(strings.Join(cfg.Warnings, "\n"))
			if c.wantWarn != "" && !strings.Contains(w, c.wantWarn) {
				t.Errorf("warnings = %q, want %q", w, c.wantWarn)
			}
			if c.wantWarn == "" && strings.Contains(w, "permission mode") {
				t.Errorf("unexpected mode warning: %q", w)
			}
		})
	}
}
