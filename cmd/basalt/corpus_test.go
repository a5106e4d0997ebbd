package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestCorpusSessions starts a headless session against the emulator with
// each real-world settings file of internal/config/testdata/corpus in
// the place Claude Code reads it (user, project or local), in a trusted
// folder. Claude Code starts with every one of them, so basalt must too:
// the test fails on exit code 2 (basalt refusing the configuration). A
// session that starts and then fails (a model the emulator does not serve,
// a credential command that is not installed) counts as started; the
// summary gives the figures.
//
// A managed policy pins what would leave the machine: the endpoint is the
// emulator, telemetry is off, and the credential commands are a local
// printf, whatever the file says (DESIGN.md: no traffic but loopback).
func TestCorpusSessions(t *testing.T) {
	corpus, err := filepath.Abs(filepath.Join("..", "..", "internal", "config", "testdata", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	entries := readCorpusIndex(t, filepath.Join(corpus, "index.tsv"))
	dir := t.TempDir()
	for _, e := range entries {
		dest := map[string]string{
			"user":  "$HOME/.claude/settings.json",
			"local": "repo/.claude/settings.local.json",
		}[e.level]
		if dest == "" {
			dest = "repo/.claude/settings.json"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s: %s %s (%s)\n", e.file, e.repo, e.path, e.level)
		fmt.Fprintf(&b, "emulator --scenario $WORK/scenario.json\ncorpus-policy\nmkdir %s\ncp %s %s\ncd repo\ncorpus-start %s\n",
			filepath.Dir(dest), filepath.Join(corpus, e.file), dest, e.file)
		b.WriteString("-- repo/.git/HEAD --\nref: refs/heads/main\n-- scenario.json --\n{\"turns\": [{\"text\": \"Hello from the emulator.\"}]}\n")
		if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(e.file, ".json")+".txtar"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := &corpusRecorder{codes: map[string]int{}, refusal: map[string]string{}}
	t.Run("files", func(t *testing.T) {
		testscript.Run(t, testscript.Params{
			Dir:   dir,
			Setup: setupSandbox,
			Cmds: map[string]func(*testscript.TestScript, bool, []string){
				"emulator":      cmdEmulator,
				"corpus-policy": cmdCorpusPolicy,
				"corpus-start":  rec.start,
			},
		})
	})
	t.Log(rec.summary(len(entries)))
}

type corpusIndexEntry struct{ file, level, repo, path, commit, notes string }

func readCorpusIndex(t *testing.T, path string) []corpusIndexEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusIndexEntry
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan(); n++ {
		if n == 0 {
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 6 {
			t.Fatalf("%s:%d: %d columns, want 6", path, n+1, len(c))
		}
		out = append(out, corpusIndexEntry{c[0], c[1], c[2], c[3], c[4], c[5]})
	}
	return out
}

// cmdCorpusPolicy writes the managed policy that keeps a corpus session on
// the loopback emulator (see TestCorpusSessions).
func cmdCorpusPolicy(ts *testscript.TestScript, neg bool, _ []string) {
	if neg {
		ts.Fatalf("corpus-policy: cannot be negated")
	}
	creds := `printf '%s' '{"Credentials":{"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"secret"}}'`
	policy := map[string]any{
		"env": map[string]string{
			"CLAUDE_CODE_USE_BEDROCK":       "1",
			"ANTHROPIC_BEDROCK_BASE_URL":    ts.Getenv("ANTHROPIC_BEDROCK_BASE_URL"),
			"CLAUDE_CODE_SKIP_BEDROCK_AUTH": "0",
			"AWS_BEARER_TOKEN_BEDROCK":      "",
			"CLAUDE_CODE_ENABLE_TELEMETRY":  "0",
			"OTEL_METRICS_EXPORTER":         "none",
		},
		"awsCredentialExport": creds,
		"awsAuthRefresh":      "true",
	}
	data, err := json.Marshal(policy)
	ts.Check(err)
	path := ts.Getenv("BASALT_TEST_MANAGED_SETTINGS")
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o755))
	ts.Check(os.WriteFile(path, data, 0o644))
}

// corpusRecorder runs the session of each file and keeps its exit code.
type corpusRecorder struct {
	mu      sync.Mutex
	codes   map[string]int    // file → exit code
	refusal map[string]string // file → why basalt refused it (exit 2)
}

// start runs `basalt --trust -p hi` and fails the script on exit code 2,
// the code of a configuration basalt refuses.
func (r *corpusRecorder) start(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: corpus-start FILE")
	}
	code := 0
	if err := ts.Exec("basalt", "--trust", "-p", "hi"); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("corpus-start: %v", err)
		}
		code = ee.ExitCode()
	}
	r.mu.Lock()
	r.codes[args[0]] = code
	if code == 2 {
		r.refusal[args[0]] = strings.ReplaceAll(strings.TrimSpace(ts.ReadFile("stderr")), "\n", " | ")
	}
	r.mu.Unlock()
	if code == 2 {
		ts.Fatalf("basalt refused to start with %s (exit 2); Claude Code starts with it", args[0])
	}
}

func (r *corpusRecorder) summary(total int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	byCode := map[int][]string{}
	for f, c := range r.codes {
		byCode[c] = append(byCode[c], f)
	}
	codes := make([]int, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var b strings.Builder
	started := len(r.codes) - len(byCode[2])
	fmt.Fprintf(&b, "corpus: %d files, %d run, %d started (exit ≠ 2), %d skipped", total, len(r.codes), started, total-len(r.codes))
	for _, c := range codes {
		sort.Strings(byCode[c])
		fmt.Fprintf(&b, "\n  exit %d: %d %s", c, len(byCode[c]), strings.Join(byCode[c], " "))
	}
	for _, f := range byCode[2] {
		fmt.Fprintf(&b, "\n  refused %s: %s", f, r.refusal[f])
	}
	return b.String()
}
