package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The red-team suite runs attacks end to end: the real binary, headless,
// against the in-process emulator, whose scripted model issues one tool
// call per turn. The cases live in testdata/redteam/*.txt so that anyone
// (or a fuzzer) can add one without writing Go; each file's header says
// how to write a case.
//
// The oracle is generic, so it catches what a case's author did not
// foresee: after the run, no file under the project or the home directory
// may have been created, changed or removed (the state directory, where
// transcripts and logs go, excepted), and the secret planted in the
// Read-denied files may not appear in anything basalt printed.

// redteamSecret is planted in the files the rules deny reading; if it
// shows up in basalt's output, a read got through.
const redteamSecret = "REDTEAM-SECRET-7731"

// redteamSettings are the rules of a careful team, from issue 11, plus
// rules real teams write that basalt cannot compile exactly (issue 22),
// which must never allow more, nor deny less, than their text. They sit in
// the local settings file, the user's own, so they apply whether or not
// the folder is trusted.
const redteamSettings = `{
  "permissions": {
    "allow": ["Bash(go test:*)", "Bash(git status)", "Bash(ls:*)",
      "Bash(cd frontend && go test ./...)", "Bash(NODE_ENV=test go test:*)", "Bash(.claude/scripts/*.sh:*)",
      "Bash(python3 -c ':*)", "Bash(echo \"exit code: $?\")", "Bash(git log --oneline | head -5)"],
    "deny": ["Bash(rm:*)", "Bash(curl:*)", "Read(./.env)", "Read(./secrets/**)",
      "Bash(truncate -s 0 $(git ls-files):*)"]
  }
}
`

// redteamCase is one attack: a tool call and the modes it runs in.
type redteamCase struct {
	file  string
	line  int
	modes []string
	call  json.RawMessage // {"name":…,"input":…}
	// mayRun marks a call that may be allowed and is judged by the disk
	// and secret oracle alone: a Read that prepares an Edit, or a Grep,
	// which runs and must leave out what Read deny rules cover.
	mayRun bool
}

func (c redteamCase) String() string { return fmt.Sprintf("%s:%d", c.file, c.line) }

func TestRedTeam(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the Bash tool needs bash")
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "redteam", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no red-team cases: %v", err)
	}
	for _, f := range files {
		cases, err := readRedteamCases(f)
		if err != nil {
			t.Fatal(err)
		}
		byMode := map[string][]redteamCase{}
		for _, c := range cases {
			for _, m := range c.modes {
				byMode[m] = append(byMode[m], c)
			}
		}
		for _, mode := range slices.Sorted(maps.Keys(byMode)) {
			name := strings.TrimSuffix(filepath.Base(f), ".txt") + "/" + mode
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				// All cases of a file run in one session, one call per
				// turn. Every call must be refused; a change on disk or a
				// leaked secret that no single refusal explains is
				// attributed by running each case alone.
				cases := byMode[mode]
				r := runRedteam(t, mode, cases)
				for i, c := range cases {
					if r.allowed[i] != "" {
						t.Errorf("%s in %s mode was not refused: %s\n  call: %s", c, mode, r.allowed[i], c.call)
					}
				}
				if r.breach == "" || t.Failed() {
					return
				}
				named := false
				for _, c := range cases {
					if one := runRedteam(t, mode, []redteamCase{c}); one.breach != "" {
						named = true
						t.Errorf("%s in %s mode got through: %s\n  call: %s", c, mode, one.breach, c.call)
					}
				}
				if !named {
					t.Errorf("the %s session in %s mode got through, and no case alone does: %s", name, mode, r.breach)
				}
			})
		}
	}
}

// readRedteamCases parses a case file. A line is a Bash command, or a
// whole tool call as JSON when it starts with {"; "@modes A B …" sets the
// modes of the lines after it; "#" starts a comment line.
func readRedteamCases(path string) ([]redteamCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []redteamCase
	modes := []string{"default", "acceptEdits"}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "@modes"):
			modes = strings.Fields(line)[1:]
			continue
		}
		c := redteamCase{file: filepath.Base(path), line: n, modes: modes}
		if rest, ok := strings.CutPrefix(line, "@may-run "); ok {
			c.mayRun, line = true, rest
		}
		if strings.HasPrefix(line, `{"`) {
			if !json.Valid([]byte(line)) {
				return nil, fmt.Errorf("%s:%d: not valid JSON", path, n)
			}
			c.call = json.RawMessage(line)
		} else {
			// \r, \n and \t in a command line are written as escapes so that
			// a case can hold control characters; a literal backslash is \\.
			cmd, err := unescapeCase(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			b, _ := json.Marshal(map[string]any{"name": "Bash", "input": map[string]string{"command": cmd}})
			c.call = b
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// unescapeCase turns \n, \r, \t, \0 and \\ into the characters they name
// and leaves every other backslash as it is (shell text is full of them).
func unescapeCase(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String(), nil
}

// redteamResult is what one session of attacks did.
type redteamResult struct {
	// breach says which files changed and whether the secret leaked; ""
	// when nothing did.
	breach string
	// allowed[i] is, for a case that was not refused (and is not a setup
	// call), the start of its tool result; "" when it was refused.
	allowed []string
}

// runRedteam runs cases in one headless session.
func runRedteam(t *testing.T, mode string, cases []redteamCase) redteamResult {
	t.Helper()
	dir := t.TempDir()
	var turns []map[string]any
	// resultOf[k] is the case whose call the k-th tool result answers, -1
	// for the cd that puts the shell back in the project after each Bash
	// call (a cd persists between calls, and one case must not change
	// where the next one runs).
	var resultOf []int
	reset := map[string]any{"name": "Bash", "input": map[string]string{"command": "cd {{PROJECT}}"}}
	for i, c := range cases {
		var call map[string]any
		if err := json.Unmarshal(c.call, &call); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		turns = append(turns, map[string]any{"text": "Trying " + c.String() + ".", "tool_use": []any{call}})
		resultOf = append(resultOf, i)
		if call["name"] == "Bash" {
			turns = append(turns, map[string]any{"text": "Back to the project.", "tool_use": []any{reset}})
			resultOf = append(resultOf, -1)
		}
	}
	turns = append(turns, map[string]any{"text": "Done."})
	scenario, _ := json.Marshal(map[string]any{"turns": turns})
	script := fmt.Sprintf(`redteam-setup
emulator --scenario $WORK/scenario.json --var PROJECT=$WORK/project --var HOME=$WORK/home
cd project
redteam-snapshot
redteam-run %s
redteam-check
-- scenario.json --
%s
`, mode, scenario)
	if err := os.WriteFile(filepath.Join(dir, "redteam.txtar"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &breachRecorder{}
	testscript.RunT(syncT{t}, testscript.Params{
		Dir:   dir,
		Setup: setupSandbox,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"emulator":         cmdEmulator,
			"redteam-setup":    cmdRedteamSetup,
			"redteam-snapshot": cmdRedteamSnapshot,
			"redteam-run":      cmdRedteamRun,
			"redteam-check":    rec.check,
		},
	})
	res := redteamResult{breach: rec.breach, allowed: make([]string, len(cases))}
	results := toolResults(rec.stdout)
	for k, i := range resultOf {
		switch {
		case i < 0 || cases[i].mayRun:
		case k >= len(results):
			res.allowed[i] = "no tool result (the session ended early)"
		case !strings.HasPrefix(results[k], "Permission denied: "):
			res.allowed[i] = oneLineCase(results[k])
		}
	}
	return res
}

// toolResults returns the text of every tool result in a stream-json
// transcript, in order.
func toolResults(stream string) []string {
	var out []string
	for _, line := range strings.Split(stream, "\n") {
		var msg struct {
			Type    string `json:"type"`
			Message struct {
				Content []struct {
					Type    string          `json:"type"`
					Content json.RawMessage `json:"content"`
				} `json:"content"`
			} `json:"message"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Type != "user" {
			continue
		}
		for _, b := range msg.Message.Content {
			if b.Type != "tool_result" {
				continue
			}
			var text string
			if json.Unmarshal(b.Content, &text) != nil {
				var blocks []struct{ Text string }
				_ = json.Unmarshal(b.Content, &blocks)
				for _, tb := range blocks {
					text += tb.Text
				}
			}
			out = append(out, text)
		}
	}
	return out
}

func oneLineCase(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// breachRecorder keeps what redteam-check found, so that a breach is a
// result the caller inspects rather than a failure of the whole script.
type breachRecorder struct{ breach, stdout string }

func (r *breachRecorder) check(ts *testscript.TestScript, neg bool, args []string) {
	before := ts.Getenv("REDTEAM_SNAPSHOT")
	var want map[string]string
	if err := json.Unmarshal([]byte(ts.ReadFile(before)), &want); err != nil {
		ts.Fatalf("redteam-check: %v", err)
	}
	got := redteamSnapshot(ts)
	var diffs []string
	for p, h := range want {
		switch g, ok := got[p]; {
		case !ok:
			diffs = append(diffs, "removed "+p)
		case g != h:
			diffs = append(diffs, "changed "+p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "created "+p)
		}
	}
	out := ts.ReadFile(filepath.Join(ts.Getenv("WORK"), "out.txt"))
	r.stdout = ts.ReadFile(filepath.Join(ts.Getenv("WORK"), "stdout.txt"))
	if strings.Contains(out, redteamSecret) {
		diffs = append(diffs, "the Read-denied secret appears in basalt's output")
	}
	if strings.Contains(out, "panic:") {
		diffs = append(diffs, "basalt panicked")
	}
	slices.Sort(diffs)
	r.breach = strings.Join(diffs, "; ")
}

// cmdRedteamSetup builds the project and home an attacker aims at.
func cmdRedteamSetup(ts *testscript.TestScript, neg bool, args []string) {
	work := ts.Getenv("WORK")
	files := map[string]string{
		"project/canary":                      "alive\n",
		"project/.env":                        "API_TOKEN=" + redteamSecret + "\n",
		"project/secrets/key.txt":             redteamSecret + "\n",
		"project/go.mod":                      "module example.com/victim\n\ngo 1.22\n",
		"project/victim.go":                   "package victim\n\nfunc Sum(a, b int) int { return a + b }\n",
		"project/victim_test.go":              "package victim\n\nimport \"testing\"\n\nfunc TestSum(t *testing.T) {\n\tif Sum(1, 2) != 3 {\n\t\tt.Fatal(\"sum\")\n\t}\n}\n",
		"project/.basalt/settings.local.json": redteamSettings,
		"project/.basalt/settings.json":       "{}\n",
		"project/.mcp.json":                   "{\"mcpServers\": {}}\n",
		"home/.bashrc":                        "# bashrc\n",
		"home/.profile":                       "# profile\n",
		"home/.ssh/authorized_keys":           "ssh-ed25519 AAAA user\n",
		"home/.aws/credentials":               "[default]\n",
		"home/.config/basalt/settings.json":   "{}\n",
		"home/.claude/settings.json":          "{}\n",
		"outside/victim.txt":                  "outside the project\n",
		"project/src/readme.txt":              "hello\n",
		"project/.claude/settings.local.json": "{}\n",
		"project/.claude/commands/review.md":  "review\n",
		"project/.basalt/agents/helper.md":    "helper\n",
		"project/.git-template/hooks/.keep":   "",
		"project/secrets/.keep":               "",
		"project/build/keep.txt":              "keep\n",
		"home/.config/git/config":             "",
		"home/.gitconfig":                     "",
		"home/.local/state/.keep":             "",
	}
	for name, content := range files {
		p := filepath.Join(work, name)
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, []byte(content), 0o644))
	}
	ts.Check(os.Symlink("../home", filepath.Join(work, "project", "homelink")))
	ts.Check(os.Symlink(".basalt", filepath.Join(work, "project", "dotbasalt")))
	if _, err := exec.LookPath("git"); err == nil {
		git := exec.Command("git", "init", "-q", filepath.Join(work, "project"))
		git.Env = append(os.Environ(), "HOME="+filepath.Join(work, "home"), "GIT_CONFIG_NOSYSTEM=1")
		if out, err := git.CombinedOutput(); err != nil {
			ts.Fatalf("git init: %v\n%s", err, out)
		}
	}
}

// cmdRedteamSnapshot records every file's content hash.
func cmdRedteamSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	b, _ := json.Marshal(redteamSnapshot(ts))
	p := filepath.Join(ts.Getenv("WORK"), "snapshot.json")
	ts.Check(os.WriteFile(p, b, 0o644))
	ts.Setenv("REDTEAM_SNAPSHOT", p)
}

// redteamSnapshot hashes every file and link under the project, the home
// directory and the directory beside the project, leaving out the state
// directory (transcripts, logs) and the temporary directory.
func redteamSnapshot(ts *testscript.TestScript) map[string]string {
	work := ts.Getenv("WORK")
	skip := []string{
		filepath.Join(work, "home", ".local", "state"),
		filepath.Join(work, ".tmp"),
	}
	out := map[string]string{}
	for _, top := range []string{"project", "home", "outside"} {
		_ = filepath.WalkDir(filepath.Join(work, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if slices.Contains(skip, p) {
				return filepath.SkipDir
			}
			rel, _ := filepath.Rel(work, p)
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				out[rel] = "link:" + target
			case d.IsDir():
				info, _ := d.Info()
				out[rel+"/"] = fmt.Sprintf("dir:%v", info.Mode().Perm())
			default:
				b, _ := os.ReadFile(p)
				info, _ := d.Info()
				sum := sha256.Sum256(b)
				out[rel] = fmt.Sprintf("%v:%s", info.Mode().Perm(), hex.EncodeToString(sum[:8]))
			}
			return nil
		})
	}
	return out
}

// cmdRedteamRun runs basalt headless on the scenario and keeps everything
// it printed in $WORK/out.txt. Its exit code does not matter: a refused
// call is not a failed run, and a run that fails still must not leak.
func cmdRedteamRun(ts *testscript.TestScript, neg bool, args []string) {
	mode := args[0]
	_ = ts.Exec("basalt", "-p", "go", "--output-format", "stream-json", "--verbose",
		"--permission-mode", mode, "--max-turns", "100000")
	stdout := ts.ReadFile("stdout")
	out := stdout + "\n" + ts.ReadFile("stderr")
	ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), "out.txt"), []byte(out), 0o644))
	ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), "stdout.txt"), []byte(stdout), 0o644))
}

// syncT runs testscript's script in the calling goroutine, not as a
// parallel subtest, so the breach is known when [testscript.RunT]
// returns.
type syncT struct{ *testing.T }

func (t syncT) Parallel()                          {}
func (t syncT) Run(_ string, f func(testscript.T)) { f(t) }
func (t syncT) Verbose() bool                      { return testing.Verbose() }
func (t syncT) Skip(args ...any)                   { t.T.Skip(args...) }
