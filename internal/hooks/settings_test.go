package hooks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	text := `{
  "hooks": {
    "PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh", "timeout": 5}]},
      {"matcher": "Edit(?=x)", "hooks": [{"type": "command", "command": "never.sh"}]}
    ],
    "PostToolUse": [{"matcher": "Edit|Write", "hooks": [
      {"type": "command"},
      {"type": "http", "url": "http://127.0.0.1:1/"},
      {"type": "command", "command": "fmt.sh", "timeout": "30"},
      {"type": "command", "command": "lint.sh", "timeout": -1}
    ]}],
    "BeforeEverything": [{"hooks": [{"type": "command", "command": "x"}]}],
    "Stop": {"hooks": []},
    "UserPromptSubmit": [{"matcher": "ignored", "hooks": [{"type": "command", "command": "ctx.sh"}]}]
  }
}`
	src := Source{Kind: config.SourceProject, Path: "/repo/.claude/settings.json"}
	start := strings.Index(text, `{
    "PreToolUse"`)
	hooks, warns := Parse(src, []byte(text[start:len(text)-2]), func(off int) (int, int) { return lineCol([]byte(text), start+off) })

	type row struct {
		Event   Event
		Matcher string
		Command string
		Timeout time.Duration
		Line    int
		Entry   string
	}
	var got []row
	for _, h := range hooks {
		got = append(got, row{h.Event, h.Matcher, h.Command, h.Timeout, h.Line, h.Entry})
	}
	want := []row{
		{PreToolUse, "Bash", "guard.sh", 5 * time.Second, 4, "hooks.PreToolUse[0].hooks[0]"},
		{PreToolUse, "Edit(?=x)", "never.sh", 0, 5, "hooks.PreToolUse[1].hooks[0]"},
		{PostToolUse, "Edit|Write", "fmt.sh", 0, 10, "hooks.PostToolUse[0].hooks[2]"},
		{PostToolUse, "Edit|Write", "lint.sh", 0, 11, "hooks.PostToolUse[0].hooks[3]"},
		{UserPromptSubmit, "ignored", "ctx.sh", 0, 15, "hooks.UserPromptSubmit[0].hooks[0]"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hooks mismatch (-want +got):\n%s", diff)
	}

	var msgs []string
	for _, w := range warns {
		msgs = append(msgs, w.Error())
	}
	wantMsgs := []string{
		`/repo/.claude/settings.json:5:19: "hooks.PreToolUse[1].matcher": "Edit(?=x)" is not a regular expression basalt can read`,
		`/repo/.claude/settings.json:8:7: "hooks.PostToolUse[0].hooks[0].command": no command to run; the hook is ignored`,
		`/repo/.claude/settings.json:9:7: "hooks.PostToolUse[0].hooks[1].type": basalt runs "command" hooks only, not "http"; the hook is ignored`,
		`/repo/.claude/settings.json:10:59: "hooks.PostToolUse[0].hooks[2].timeout": want a positive number of seconds (at most a day), got "30"; the event's default applies`,
		`/repo/.claude/settings.json:11:60: "hooks.PostToolUse[0].hooks[3].timeout": want a positive number of seconds (at most a day), got -1`,
		`/repo/.claude/settings.json:13:25: "hooks.BeforeEverything": unknown hook event "BeforeEverything"; it is ignored`,
		`/repo/.claude/settings.json:14:13: "hooks.Stop": want a list of matchers, got an object; this event is ignored`,
		`/repo/.claude/settings.json:15:38: "hooks.UserPromptSubmit[0].matcher": UserPromptSubmit has no matcher; "ignored" is ignored`,
	}
	if len(msgs) != len(wantMsgs) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(msgs), len(wantMsgs), strings.Join(msgs, "\n"))
	}
	for i := range msgs {
		if !strings.HasPrefix(msgs[i], wantMsgs[i]) {
			t.Errorf("warning %d:\n got  %s\n want %s…", i, msgs[i], wantMsgs[i])
		}
	}
}

func TestParseNotAnObject(t *testing.T) {
	t.Parallel()
	hooks, warns := Parse(Source{Kind: config.SourceUser, Path: "u.json"}, []byte(`["PreToolUse"]`), nil)
	if len(hooks) != 0 || len(warns) != 1 || !strings.Contains(warns[0].Error(), "want an object mapping event names") {
		t.Fatalf("hooks %v, warnings %v", hooks, warns)
	}
}

func TestLoadPolicy(t *testing.T) {
	t.Parallel()
	h := func(cmd string) []Hook { return []Hook{{Event: Stop, Command: cmd, match: matcher{all: true}}} }
	user := Layer{Source: Source{Kind: config.SourceUser, Path: "u"}, Hooks: h("user")}
	project := Layer{Source: Source{Kind: config.SourceProject, Path: "p"}, Hooks: h("project"), NeedsTrust: true}
	local := Layer{Source: Source{Kind: config.SourceLocal, Path: "l"}, Hooks: h("local")}
	managed := Layer{Source: Source{Kind: config.SourceManaged, Path: "m"}, Hooks: h("managed")}
	with := func(l Layer, f func(*Layer)) Layer { f(&l); return l }

	tests := []struct {
		name    string
		layers  []Layer
		trusted bool
		want    []string
	}{
		{"trusted folder: all", []Layer{user, project, local, managed}, true, []string{"user", "project", "local", "managed"}},
		{"untrusted folder: no project hooks", []Layer{user, project, local, managed}, false, []string{"user", "local", "managed"}},
		{"allowManagedHooksOnly", []Layer{user, project, with(managed, func(l *Layer) { l.AllowManagedHooksOnly = true })}, true, []string{"managed"}},
		{"allowManagedHooksOnly outside the policy counts for nothing", []Layer{with(user, func(l *Layer) { l.AllowManagedHooksOnly = true }), managed}, true, []string{"user", "managed"}},
		{"disableAllHooks in user settings keeps the policy's", []Layer{with(user, func(l *Layer) { l.DisableAllHooks = true }), project, managed}, true, []string{"managed"}},
		{"disableAllHooks in the policy: none", []Layer{user, with(managed, func(l *Layer) { l.DisableAllHooks = true })}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Load(tt.layers, Policy{Trusted: tt.trusted})
			var got []string
			for _, h := range s.Hooks {
				got = append(got, h.Command)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hooks mismatch (-want +got):\n%s\nskipped: %v", diff, s.Skipped)
			}
		})
	}
}

// TestFromConfig loads a real configuration: the project's hooks run only
// once the folder is trusted, warnings name the file's line and column,
// and the managed policy can keep its own hooks only.
func TestFromConfig(t *testing.T) {
	root := t.TempDir()
	home := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(home, ".claude", "settings.json"), `{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "user-stop"}]}]}}`)
	write(filepath.Join(root, ".claude", "settings.json"), `{
  "hooks": {
    "PreToolUse": [{"matcher": "Bash", "hooks": [
      {"type": "command", "command": "project-guard"},
      {"type": "command"}
    ]}]
  }
}`)
	managed := filepath.Join(t.TempDir(), "managed-settings.json")
	load := func(trust bool, managedText string) (*config.Config, []Layer, []error) {
		t.Helper()
		write(managed, managedText)
		cfg, _ := config.Load(context.Background(), config.Input{
			Env: map[string]string{"HOME": home}, WorkDir: root, ManagedPaths: []string{managed},
			TrustProject: func(string, string) bool { return trust },
		})
		layers, warns := FromConfig(cfg)
		return cfg, layers, warns
	}
	commands := func(s *Set) []string {
		var out []string
		for _, h := range s.Hooks {
			out = append(out, h.Command)
		}
		return out
	}

	cfg, layers, warns := load(false, `{}`)
	if got := commands(Load(layers, Policy{Trusted: cfg.Trust.Trusted})); !cmp.Equal(got, []string{"user-stop"}) {
		t.Errorf("untrusted folder: hooks %v, want the user's only", got)
	}
	if len(warns) != 1 || !strings.HasPrefix(warns[0].Error(), filepath.Join(root, ".claude", "settings.json")+`:5:7: "hooks.PreToolUse[0].hooks[1].command"`) {
		t.Errorf("warnings %v, want one naming line 5 column 7", warns)
	}

	cfg, layers, _ = load(true, `{}`)
	if got := commands(Load(layers, Policy{Trusted: cfg.Trust.Trusted})); !cmp.Equal(got, []string{"user-stop", "project-guard"}) {
		t.Errorf("trusted folder: hooks %v", got)
	}

	cfg, layers, _ = load(true, `{"allowManagedHooksOnly": true, "hooks": {"SessionStart": [{"matcher": "startup", "hooks": [{"type": "command", "command": "policy-start"}]}]}}`)
	s := Load(layers, Policy{Trusted: cfg.Trust.Trusted})
	if got := commands(s); !cmp.Equal(got, []string{"policy-start"}) {
		t.Errorf("allowManagedHooksOnly: hooks %v", got)
	}
	if len(s.Skipped) != 2 {
		t.Errorf("skipped %v, want the user's and the project's hooks named", s.Skipped)
	}
	if snap, _ := Snapshot(cfg); Diff(s, snap) != nil {
		t.Errorf("Snapshot differs from FromConfig+Load: %v", Diff(s, snap))
	}
}

func TestDiffAndList(t *testing.T) {
	t.Parallel()
	old := parseSet(t, `{"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "a"}, {"type": "command", "command": "b"}]}]}`)
	cur := parseSet(t, `{"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "a"}, {"type": "command", "command": "c", "timeout": 5}]}],
		"SessionStart": [{"matcher": "startup", "hooks": [{"type": "command", "command": "d"}]}]}`)
	var got []string
	for _, c := range Diff(old, cur) {
		got = append(got, c.String())
	}
	want := []string{
		"- PreToolUse [Bash] b (user settings.json, timeout 10m0s)",
		"+ PreToolUse [Bash] c (user settings.json, timeout 5s)",
		"+ SessionStart [startup] d (user settings.json, timeout 10m0s)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff mismatch (-want +got):\n%s", diff)
	}
	if Diff(cur, cur) != nil {
		t.Error("a set differs from itself")
	}
	list := cur.List()
	if len(list) != 3 || list[2].Event != SessionStart || !list[2].Fired || list[1].Timeout != 5*time.Second {
		t.Errorf("List() = %+v", list)
	}
}

func TestParseBadGroups(t *testing.T) {
	t.Parallel()
	hooks, warns := Parse(Source{Kind: config.SourceUser, Path: "u.json"}, []byte(`{"PreToolUse": [
  {"matcher": 5, "hooks": [{"type": "command", "command": "a"}]},
  "Bash",
  {"matcher": "Bash"},
  {"matcher": "Bash", "hooks": {"type": "command"}},
  {"matcher": "Bash", "hooks": [{"type": "command", "command": "kept"}]}
]}`), nil)
	want := []string{
		`u.json:2:15: "hooks.PreToolUse[0].matcher": want a string, got a number; this matcher group is ignored`,
		`u.json:3:3: "hooks.PreToolUse[1]": want an object with "matcher" and "hooks", got a string; it is ignored`,
		`u.json:4:3: "hooks.PreToolUse[2]": no "hooks" list; it is ignored`,
		`u.json:5:32: "hooks.PreToolUse[3].hooks": want a list of hooks, got an object; it is ignored`,
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	if len(hooks) != 1 || hooks[0].Command != "kept" || hooks[0].Line != 6 {
		t.Errorf("hooks %+v", hooks)
	}
}
