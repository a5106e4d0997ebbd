package tool

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The test binary is its own supervisor, as basalt's is (package
	// supervise dispatches on SuperviseArg in its init, before this), and
	// the helper that proctree_linux_test.go SIGKILLs.
	if len(os.Args) > 1 && os.Args[1] == treeHelperArg {
		os.Exit(treeHelper(os.Args[2:]))
	}
	goleak.VerifyTestMain(m)
}

// testEnv is the environment of test commands: enough to find bash and
// the usual tools.
func testEnv(t *testing.T) []string {
	t.Helper()
	return []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + t.TempDir(), "LANG=C.UTF-8"}
}

// newSession returns a session rooted at a new temporary directory (or
// dir), closed when the test ends.
func newSession(t *testing.T, dir string, mod ...func(*SessionOptions)) *Session {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	opts := SessionOptions{WorkDir: dir, Env: testEnv(t), Supervisor: testSupervisor(t)}
	for _, f := range mod {
		f(&opts)
	}
	s, err := NewSession(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// call runs tool with input (marshalled to JSON unless it is a string) and
// fails the test on a harness error.
func call(t *testing.T, s *Session, tl Tool, input any) Result {
	t.Helper()
	raw, ok := input.(string)
	if !ok {
		b, err := json.Marshal(input)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	}
	res, err := tl.Run(t.Context(), s, json.RawMessage(raw))
	if err != nil {
		t.Fatalf("%s(%s): harness error: %v", tl.Name(), raw, err)
	}
	return res
}

// writeFiles creates files under dir from a map of slash-separated
// relative paths to contents.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wantResult checks a result's error flag and that its content holds each
// of the wanted substrings.
func wantResult(t *testing.T, res Result, isError bool, contains ...string) {
	t.Helper()
	if res.IsError != isError {
		t.Errorf("IsError = %v, want %v; content:\n%s", res.IsError, isError, res.Content)
	}
	for _, c := range contains {
		if !strings.Contains(res.Content, c) {
			t.Errorf("content does not contain %q:\n%s", c, res.Content)
		}
	}
}

// testSupervisor is this test binary where it can supervise (Linux), so
// that every Bash test runs the way basalt runs commands.
func testSupervisor(t *testing.T) string {
	t.Helper()
	if SelfSupervisor() == "" {
		return ""
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}
