// Package emulatortest starts Bedrock emulators for tests: one call
// instead of a listener, a goroutine and a cleanup written again in every
// package that talks to Bedrock.
package emulatortest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// New serves an emulator built from opts on a free loopback port (HTTP/1.1
// and h2c, as `basalt emulator` does) for the rest of t. Bad options fail
// the test. A cleanup stops the server and waits for it, and fails the
// test if serving failed, so no goroutine outlives it.
func New(t testing.TB, opts emulator.Options) *emulator.Running {
	t.Helper()
	// Not t.Context(): that ends before cleanups run, and the server is
	// stopped by the cleanup below, in order with the test's others.
	r, err := emulator.Start(context.Background(), emulator.DefaultAddr, opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("emulator: %v", err)
		}
	})
	return r
}

// Behind serves, on a loopback port for the rest of t, front wrapped
// around an emulator built from opts: a gateway, a proxy or an IAM refusal
// the emulator does not model itself. front receives the emulator as the
// handler to pass requests on to. It returns the front's base URL and the
// emulator, whose ledger records what got through.
func Behind(t testing.TB, opts emulator.Options, front func(emu http.Handler) http.Handler) (url string, srv *emulator.Server) {
	t.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	ts := httptest.NewServer(front(srv))
	t.Cleanup(ts.Close)
	return ts.URL, srv
}

// Env is the environment of a user with nothing configured: a scratch
// HOME, no AWS config or credentials files, no instance metadata, and
// the test's PATH. Callers add the variables their case needs.
func Env(t testing.TB) map[string]string {
	t.Helper()
	home := t.TempDir()
	return map[string]string{
		"HOME":                        home,
		"PATH":                        os.Getenv("PATH"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, ".aws", "credentials"),
	}
}

// ClientEnv is [Env] plus what a basalt session needs to use the emulator
// at url: Bedrock on, a region, and fake static keys (the emulator checks
// signatures, not who signed). Its XDG directories are named, under the
// scratch HOME, so a test can write the user's settings file.
func ClientEnv(t testing.TB, url string) map[string]string {
	t.Helper()
	env := Env(t)
	env["XDG_CONFIG_HOME"] = filepath.Join(env["HOME"], ".config")
	env["XDG_STATE_HOME"] = filepath.Join(env["HOME"], ".state")
	env["CLAUDE_CODE_USE_BEDROCK"] = "1"
	env["AWS_REGION"] = "us-east-1"
	env["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE"
	env["AWS_SECRET_ACCESS_KEY"] = "secret"
	env["ANTHROPIC_BEDROCK_BASE_URL"] = url
	return env
}
