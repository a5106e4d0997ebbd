package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEmulatorFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want emulatorOptions
	}{
		{"defaults", nil, emulatorOptions{Addr: "127.0.0.1:0", Region: "us-east-1"}},
		{"everything", []string{
			"--addr", ":8080", "--region", "eu-west-1", "--scenario", "s.json", "--var", "A=1", "--var", "B=x=y",
			"--credentials", "c.json", "--faults", "throttle=0.1", "--models", "a,b", "--allow-unsigned",
			"--guardrail", "g:1:x", "--guardrail", "h:2:y", "--ledger", "l.jsonl", "--verbose",
		}, emulatorOptions{
			Addr: ":8080", Region: "eu-west-1", Scenario: "s.json", Vars: []string{"A=1", "B=x=y"},
			Credentials: "c.json", Faults: "throttle=0.1", Models: "a,b", AllowUnsigned: true,
			Guardrails: []string{"g:1:x", "h:2:y"}, Ledger: "l.jsonl", Verbose: true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, _, _ := testApp()
			var got *emulatorOptions
			cmd := newEmulatorCmd(app, func(_ context.Context, _ *App, o *emulatorOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmulatorUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badScenario := filepath.Join(dir, "bad.json")
	os.WriteFile(badScenario, []byte("{\n  \"turns\": [,]\n}"), 0o644)
	goodScenario := filepath.Join(dir, "good.json")
	os.WriteFile(goodScenario, []byte(`{"turns":[{"text":"{{X}}"}]}`), 0o644)
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--faults", "slow=1"}, `--faults: faults: unknown key "slow"`},
		{[]string{"--guardrail", "nope"}, `--guardrail: guardrail "nope": want ID:VERSION:REGEX`},
		{[]string{"--var", "NOVALUE", "--scenario", goodScenario}, `--var "NOVALUE": want NAME=VALUE`},
		{[]string{"--var", "X=1"}, "--var only applies to a scenario"},
		{[]string{"--scenario", badScenario}, "--scenario: scenario " + badScenario + ":2:13: invalid character ','"},
		{[]string{"--scenario", goodScenario}, "--scenario: scenario " + goodScenario + ":1:20: unknown variable {{X}}"},
		{[]string{"--credentials", filepath.Join(dir, "none.json")}, "--credentials: load credentials: open "},
		{[]string{"--region", "moon"}, `region "moon": want a region name`},
		{[]string{"--models", "anthropic.claude-sonnet-4-6"}, "model anthropic.claude-sonnet-4-6: not an inference profile ID"},
		{[]string{"--addr", "not an address"}, "--addr: listen tcp: address not an address"},
		{[]string{"--ledger", filepath.Join(dir, "no", "such", "dir", "l.jsonl")}, "--ledger: open "},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"extra"}, `basalt emulator takes no arguments, got "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			app, out, errOut := testApp()
			code := run(t.Context(), app, append([]string{"emulator"}, tt.args...))
			if code != ExitUsage {
				t.Errorf("exit code %d, want %d; stderr %s", code, ExitUsage, errOut)
			}
			if !strings.Contains(errOut.String(), tt.msg) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.msg)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

func TestRunEmulator(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ledger := filepath.Join(dir, "ledger.jsonl")
	outR, outW := io.Pipe()
	errOut := &lockedWriter{}
	app := &App{IO: &IOStreams{In: strings.NewReader(""), Out: outW, ErrOut: errOut}}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- runEmulator(ctx, app, &emulatorOptions{
			Addr: "127.0.0.1:0", Region: "us-east-1", AllowUnsigned: true, Ledger: ledger, Verbose: true,
		})
		outW.Close()
	}()

	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("first line: %v", err)
	}
	base, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "listening on http://127.0.0.1:")
	if !ok || base == "" || base == "0" {
		t.Fatalf("first line %q, want listening on http://127.0.0.1:PORT", line)
	}
	url := strings.TrimPrefix(strings.TrimSuffix(line, "\n"), "listening on ")
	resp, err := http.Get(url + "/inference-profiles/global.anthropic.claude-sonnet-4-6")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		ID string `json:"inferenceProfileId"`
	}
	json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != 200 || p.ID != "global.anthropic.claude-sonnet-4-6" {
		t.Errorf("GetInferenceProfile: %d %+v", resp.StatusCode, p)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runEmulator after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runEmulator did not stop after cancel")
	}
	data, _ := os.ReadFile(ledger)
	if !strings.Contains(string(data), `"operation":"GetInferenceProfile"`) {
		t.Errorf("ledger %q", data)
	}
	if !strings.Contains(errOut.String(), "GET /inference-profiles/global.anthropic.claude-sonnet-4-6 200 GetInferenceProfile") {
		t.Errorf("verbose log %q", errOut.String())
	}
}

// lockedWriter serializes writes from the server's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
