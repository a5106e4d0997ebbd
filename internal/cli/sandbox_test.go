package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

// startEmulator serves a Bedrock emulator on a loopback port for the test
// and returns the environment of a sandboxed user pointed at it, with
// fake keys the emulator accepts unverified.
func startEmulator(t *testing.T, opts emulator.Options) map[string]string {
	t.Helper()
	emu := emulatortest.New(t, opts)
	env := emulatortest.Env(t)
	for k, v := range map[string]string{
		"CLAUDE_CODE_USE_BEDROCK":    "1",
		"AWS_REGION":                 "us-east-1",
		"AWS_ACCESS_KEY_ID":          "AKIAEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":      "secret",
		"ANTHROPIC_BEDROCK_BASE_URL": emu.URL,
	} {
		env[k] = v
	}
	return env
}

// runCLI runs basalt with args in env and returns the exit code and
// output.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &App{IO: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Env: env, WorkDir: t.TempDir(), ManagedPaths: []string{}}
	code = run(t.Context(), app, args)
	return code, out.String(), errOut.String()
}
