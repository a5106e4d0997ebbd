package permission

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestOneVerdict: the configuration layer and the checker read every rule
// the same way. A rule config keeps with a warning is one the checker
// reports as kept in a weaker form, and the other way round; and a
// configuration that loads always gives a checker (issue 22: config show,
// doctor and a session agree).
func TestOneVerdict(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	rules := append([]string{
		"Bash(go test:*)", "Bash(git status)", "Bash(NODE_ENV=test npm test:*)", "Bash(.claude/scripts/*.sh:*)",
		"Read", "Edit(src/**)", "Read(~/x)", "Read(../shared/**)", "Edit(!x)", "Write(a//b)", "Read([)",
		"TodoWrite(x)", "mcp__github__*", "mcp__*", "mcp__github", "Web Search(*)", "Bash*", "WebFetch(domain:x.com)",
		`Bash(python -c "print\(1\)")`, "Bash()", "Bash(rm -rf", "Bash(:*)", "Bash(*)", "Bash(git * main)",
	}, uncompilableBashRules...)
	quoted := make([]string, len(rules))
	for i, r := range rules {
		quoted[i] = strconvQuote(r)
	}
	list := "[\n" + strings.Join(quoted, ",\n") + "\n]"
	settings := `{"permissions": {"allow": ` + list + `, "ask": ` + list + `, "deny": ` + list + `}}`
	if err := os.MkdirAll(filepath.Join(tr.root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(tr.root, ".claude", "settings.local.json")
	mustMkdir(t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(t.Context(), config.Input{Env: map[string]string{"HOME": tr.home}, WorkDir: tr.root, ManagedPaths: []string{filepath.Join(tr.base, "none.json")}})
	if err != nil {
		t.Fatalf("config.Load: %v", err)
	}
	c, err := New(Options{
		Mode: ModeDefault, Allow: cfg.Permissions.Allow, Ask: cfg.Permissions.Ask, Deny: cfg.Permissions.Deny,
		ProjectRoot: cfg.ProjectRoot, Home: tr.home,
	})
	if err != nil {
		t.Fatalf("permission.New on a configuration that loaded: %v", err)
	}
	reported := map[string]bool{}
	for _, p := range c.Problems() {
		reported[p.Error()] = true
	}
	check := func(kind Behavior, rs []config.Rule) {
		if len(rs) != len(rules) {
			t.Errorf("%s: config kept %d rules of %d", kind, len(rs), len(rules))
		}
		for _, r := range rs {
			found := false
			for p := range reported {
				if strings.HasPrefix(p, string(kind)+" rule ") && strings.Contains(p, "("+r.Where()+")") {
					found = true
				}
			}
			if found != (r.Problem != "") {
				t.Errorf("%s rule %s at %s: config problem %q, checker reported it: %v", kind, r, r.Where(), r.Problem, found)
			}
		}
	}
	check(Allow, cfg.Permissions.Allow)
	check(Ask, cfg.Permissions.Ask)
	check(Deny, cfg.Permissions.Deny)
}

func strconvQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
