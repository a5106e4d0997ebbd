package slashcmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRecordedProject(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "claude-code", "project", ".claude", "commands")
	cmds, warns := LoadCommands([]Dir{{Path: dir, Scope: ScopeProject}})
	got := map[string]string{}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
		got[c.Name] = c.Description
	}
	// The names and listed descriptions Claude Code showed for the same files.
	wantNames := []string{"badyaml", "blank", "frontend:build", "hidden", "mycmd", "nocmdargs", "plain"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("names mismatch (-want +got):\n%s", diff)
	}
	wantDesc := map[string]string{
		"badyaml": "[unclosed", "blank": "b", "frontend:build": "Build the frontend", "hidden": "Hidden from model",
		"mycmd": "My test command", "nocmdargs": "No args placeholder", "plain": "Plain command with no front matter.",
	}
	if diff := cmp.Diff(wantDesc, got); diff != "" {
		t.Errorf("descriptions mismatch (-want +got):\n%s", diff)
	}
	// Two files have headers that are not valid YAML: badyaml.md and mycmd.md
	// (argument-hint: [a] [b]); both still load, each with a warning at its line.
	var ws []string
	for _, w := range warns {
		ws = append(ws, filepath.Base(w.Path)+":"+itoa(w.Line))
	}
	if diff := cmp.Diff([]string{"badyaml.md:2", "mycmd.md:3"}, ws); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s\n%v", diff, warns)
	}
	for _, c := range cmds {
		if c.Name == "mycmd" && (c.Usage() != "/mycmd [a] [b]" || c.ArgumentHint != "[a] [b]" || strings.Join(c.AllowedTools, "|") != "Bash(echo:*)") {
			t.Errorf("mycmd = hint %q tools %q", c.ArgumentHint, c.AllowedTools)
		}
		if c.Name == "frontend:build" && (c.Label() != "(project:frontend)" || c.Usage() != "/frontend:build") {
			t.Errorf("label %q", c.Label())
		}
		if c.Name == "hidden" && !c.DisableModelInvocation {
			t.Errorf("hidden: disable-model-invocation not read")
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// facts reads what Claude Code sent (record.sh).
func facts(t *testing.T) map[string]struct {
	Messages []struct {
		Role  string         `json:"role"`
		Block map[string]any `json:"block"`
	} `json:"messages"`
} {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "claude-code", "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]struct {
		Messages []struct {
			Role  string         `json:"role"`
			Block map[string]any `json:"block"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// recordedTexts returns the text blocks of a recorded user message that
// start with the command header, and the one after it.
func recordedTexts(t *testing.T, scenario string) (header, prompt string) {
	t.Helper()
	msgs := facts(t)[scenario].Messages
	for i, m := range msgs {
		text, _ := m.Block["text"].(string)
		if strings.HasPrefix(text, "<command-message>") && i+1 < len(msgs) {
			next, _ := msgs[i+1].Block["text"].(string)
			return text, next
		}
	}
	t.Fatalf("%s: no command header recorded", scenario)
	return "", ""
}

func TestExpandMatchesRecording(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "claude-code", "project", ".claude", "commands")
	cmds, _ := LoadCommands([]Dir{{Path: dir, Scope: ScopeProject}})
	set := NewSet(nil, cmds)
	var ran []string
	opts := Options{
		Run: func(_ context.Context, cmd string) (string, error) {
			ran = append(ran, cmd)
			return "shell-ran\n", nil
		},
		Read: func(_ context.Context, p string) (string, error) {
			if p == "notes.txt" {
				return "1\tremember the milk.\n2\t", nil
			}
			return "", os.ErrNotExist
		},
	}
	for _, tc := range []struct{ scenario, input string }{
		{"command", "/mycmd alpha 'beta gamma' delta"},
		{"noargs", "/nocmdargs hello world"},
		{"blank", "/blank zz"}, // blank lines after the header are not sent
	} {
		e, ok, err := set.ExpandInput(t.Context(), tc.input, opts)
		if !ok || err != nil {
			t.Fatalf("%s: ok=%v err=%v", tc.input, ok, err)
		}
		header, prompt := recordedTexts(t, tc.scenario)
		if e.Header() != header {
			t.Errorf("%s header:\n got %q\nwant %q", tc.input, e.Header(), header)
		}
		if e.Prompt != prompt {
			t.Errorf("%s prompt:\n got %q\nwant %q", tc.input, e.Prompt, prompt)
		}
	}
	if diff := cmp.Diff([]string{"echo shell-ran"}, ran); diff != "" {
		t.Errorf("commands run mismatch (-want +got):\n%s", diff)
	}
	e, _, _ := set.ExpandInput(t.Context(), "/mycmd x", opts)
	if diff := cmp.Diff([]Attachment{{Path: "notes.txt", Content: "1\tremember the milk.\n2\t"}}, e.Attachments); diff != "" {
		t.Errorf("attachments mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Bash(echo:*)"}, e.AllowedTools); diff != "" {
		t.Errorf("grant mismatch (-want +got):\n%s", diff)
	}
}

func TestPrecedence(t *testing.T) {
	t.Parallel()
	root, home, xdg := t.TempDir(), t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(root, ".claude", "commands", "a.md"), "project claude a")
	writeFile(t, filepath.Join(root, ".basalt", "commands", "a.md"), "project basalt a")
	writeFile(t, filepath.Join(root, ".claude", "commands", "b.md"), "project claude b")
	writeFile(t, filepath.Join(home, ".claude", "commands", "b.md"), "user claude b")
	writeFile(t, filepath.Join(home, ".claude", "commands", "c.md"), "user claude c")
	writeFile(t, filepath.Join(root, ".claude", "commands", "ns", "deep", "d.md"), "deep d")
	writeFile(t, filepath.Join(root, ".claude", "commands", ".hidden", "e.md"), "dot dir")
	writeFile(t, filepath.Join(root, ".claude", "commands", "bad name.md"), "blank in name")
	writeFile(t, filepath.Join(root, ".claude", "commands", "notes.txt"), "not markdown")
	// A user commands directory that is a symlink (a dotfiles checkout).
	shared := t.TempDir()
	writeFile(t, filepath.Join(shared, "f.md"), "linked f")
	writeFile(t, filepath.Join(shared, "c.md"), "user basalt c")
	if err := os.MkdirAll(filepath.Join(xdg, "basalt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, filepath.Join(xdg, "basalt", "commands")); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": xdg}
	p := PathsFromEnv(root, func(k string) string { return env[k] })
	cmds, warns := LoadCommands(p.Dirs("commands"))
	got := map[string]string{}
	for _, c := range cmds {
		got[c.Name] = c.Body + " " + string(c.Scope)
	}
	want := map[string]string{
		"a": "project basalt a project", "b": "user claude b user", "c": "user basalt c user", "ns:deep:d": "deep d project", "f": "linked f user",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Error(), "bad name.md") || !strings.Contains(warns[0].Error(), "skipped") {
		t.Errorf("warnings = %v", warns)
	}
}

func TestExpandErrors(t *testing.T) {
	t.Parallel()
	c := &Command{Name: "x", Path: "/p/x.md", BodyLine: 5, Body: "line one\nStatus: !`git status $0`\n"}
	_, err := Expand(t.Context(), c, "", Options{})
	if !errors.Is(err, ErrNoRunner) || !strings.HasPrefix(err.Error(), "/p/x.md:6: !`git status $0`") {
		t.Errorf("no runner: %v", err)
	}
	denied := errors.New("permission denied: Bash(git status --short)")
	var got string
	_, err = Expand(t.Context(), c, "--short", Options{Run: func(_ context.Context, cmd string) (string, error) {
		got = cmd
		return "", denied
	}})
	if !errors.Is(err, denied) || !strings.HasPrefix(err.Error(), "/p/x.md:6: !`git status --short`") {
		t.Errorf("denied: %v", err)
	}
	if got != "git status --short" {
		t.Errorf("ran %q", got)
	}
}

func TestShellForms(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, want string }{
		{"a !`x` b", "a [x] b"},
		{"!`x`\n!`y`", "[x]\n[y]"},
		{"no!`x`", "no!`x`"},           // not after a blank
		{"a !`` b", "a !`` b"},         // empty
		{"a !`x\ny` b", "a !`x\ny` b"}, // spans a line
		{"`!`x``", "`!`x``"},
	}
	for _, tc := range tests {
		c := &Command{Name: "t", Body: tc.body}
		e, err := Expand(t.Context(), c, "", Options{Run: func(_ context.Context, cmd string) (string, error) { return "[" + cmd + "]", nil }})
		if err != nil || e.Prompt != tc.want {
			t.Errorf("%q -> %q, %v; want %q", tc.body, e.Prompt, err, tc.want)
		}
	}
}

func TestMentions(t *testing.T) {
	t.Parallel()
	files := map[string]string{"a.go": "A", "dir/b c.md": "B", "x.txt": "X"}
	read := func(_ context.Context, p string) (string, error) {
		if v, ok := files[p]; ok {
			return v, nil
		}
		return "", os.ErrNotExist
	}
	c := &Command{Name: "t", Body: "see @a.go, @\"dir/b c.md\" and @a.go again; mail me@x.txt or @missing.go\n@x.txt."}
	e, err := Expand(t.Context(), c, "", Options{Read: read})
	if err != nil {
		t.Fatal(err)
	}
	want := []Attachment{{"a.go", "A"}, {"dir/b c.md", "B"}, {"x.txt", "X"}}
	if diff := cmp.Diff(want, e.Attachments); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseInvocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, name, args string
		ok             bool
	}{
		{"/review src/", "review", "src/", true},
		{"  /frontend:build  --prod  x ", "frontend:build", "--prod  x", true},
		{"/tmp/foo is big", "", "", false},
		{"review", "", "", false},
		{"/", "", "", false},
		{"/a:", "", "", false},
	}
	for _, tc := range tests {
		name, args, ok := ParseInvocation(tc.in)
		if name != tc.name || args != tc.args || ok != tc.ok {
			t.Errorf("ParseInvocation(%q) = %q %q %v", tc.in, name, args, ok)
		}
	}
}

func TestUnknown(t *testing.T) {
	t.Parallel()
	set := NewSet(nil, []Command{{Name: "review", UserInvocable: true}, {Name: "frontend:build", UserInvocable: true}, {Name: "deploy", UserInvocable: true}})
	if got := set.Unknown("reveiw").Error(); got != "unknown slash command: /reveiw (did you mean /review?)" {
		t.Errorf("got %q", got)
	}
	if got := set.Unknown("build").Error(); got != "unknown slash command: /build (did you mean /frontend:build?)" {
		t.Errorf("got %q", got)
	}
}

func TestUnsupportedKeys(t *testing.T) {
	t.Parallel()
	_, warns := ParseFile("s.md", []byte("---\ndescription: d\ncontext: fork\nagent: Explore\nhooks:\n  Stop: []\n---\nbody\n"))
	var got []string
	for _, w := range warns {
		got = append(got, w.Error())
	}
	want := []string{
		"s.md:3: context: fork (run in a subagent) is not supported yet; basalt runs this prompt in the main conversation",
		"s.md:5: hooks in a command or skill are not run yet; only the hooks of settings files apply",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	// A context mapping (some teams use the key for their own data) is not fork.
	if _, warns := ParseFile("s.md", []byte("---\ncontext:\n  window: inherit\n---\n")); len(warns) != 0 {
		t.Errorf("warnings %v", warns)
	}
}
