package main

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script with the actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"basalt":          func() { os.Exit(basalt(sandboxManagedPaths())) },
		"mcp-test-server": mcpTestServer,
	})
}

// sandboxManagedPaths is the managed policy of a script's sandbox, which
// setupSandbox names in the environment. Only this test binary reads that
// variable: the shipped binary's managed policy cannot be redirected by
// the environment.
func sandboxManagedPaths() []string {
	if p := os.Getenv("BASALT_TEST_MANAGED_SETTINGS"); p != "" {
		return []string{p}
	}
	return nil
}

// suites are the end-to-end scripts, one directory per area, each script
// a user story run against the real binary.
var suites = []struct {
	name string
	dir  string
}{
	{"cli", "testdata/script"},
}

func TestScripts(t *testing.T) {
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			testscript.Run(t, testscript.Params{
				Dir:                 filepath.Join("..", "..", s.dir),
				RequireExplicitExec: true,
				RequireUniqueNames:  true,
				UpdateScripts:       *update,
				Setup:               setupSandbox,
				Condition:           scriptCondition,
				Cmds: withNetCmds(map[string]func(*testscript.TestScript, bool, []string){
					"exits":           cmdExits,
					"emulator":        cmdEmulator,
					"jsonl-field":     cmdJSONLField,
					"tmux-wait":       cmdTmuxWait,
					"secrets-fixture": cmdSecretsFixture,
					"no-secrets":      cmdNoSecrets,
					"mcp-http":        cmdMCPHTTP,
					"npm-cache":       cmdNPMCache,
					"hide-program":    cmdHideProgram, // sandbox_test.go
					"image-fixture":   cmdImageFixture,
					"httpserve":       cmdHTTPServe, // webserve_test.go
					"bodytap":         cmdBodyTap,
				}),
			})
		})
	}
}

// setupSandbox points every place basalt reads or writes into the
// script's work directory, so no test sees the machine's own settings,
// AWS files or managed policy.
func setupSandbox(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	for k, v := range map[string]string{
		"HOME":                         home,
		"XDG_CONFIG_HOME":              filepath.Join(home, ".config"),
		"XDG_STATE_HOME":               filepath.Join(home, ".local", "state"),
		"AWS_CONFIG_FILE":              filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE":  filepath.Join(home, ".aws", "credentials"),
		"BASALT_TEST_MANAGED_SETTINGS": filepath.Join(env.WorkDir, "etc", "managed-settings.json"),
		"AWS_EC2_METADATA_DISABLED":    "true",
		// BASALT_REPO lets scripts run the repository's own scripts
		// (scripts/action) as a user would.
		"BASALT_REPO": repoRoot(),
	} {
		env.Setenv(k, v)
	}
	// Scripts that run `go test` share the machine's build cache: a cold
	// cache per script would compile the standard library every time.
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOFLAGS", "GOTOOLCHAIN"} {
		if v := goEnv(k); v != "" {
			env.Setenv(k, v)
		}
	}
	return os.MkdirAll(home, 0o755)
}

// repoRoot is the repository's root: the tests run in cmd/basalt.
func repoRoot() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return ""
	}
	return abs
}

// goEnvVars is `go env` of the machine running the tests, read once.
var goEnvVars = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	out, err := exec.Command("go", "env", "-json").Output()
	if err == nil {
		_ = json.Unmarshal(out, &m)
	}
	return m
})

func goEnv(name string) string { return goEnvVars()[name] }

// cmdExits runs a program and checks its exit code:
//
//	exits 2 basalt --bad-flag
//
// stdout and stderr are kept for the commands that follow, as with exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}
