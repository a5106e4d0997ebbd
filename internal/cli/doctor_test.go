package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/emulator"
)

func TestDoctorFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want doctorOptions
	}{
		{nil, doctorOptions{}},
		{[]string{"--json"}, doctorOptions{JSON: true}},
		{[]string{"--deep", "--json"}, doctorOptions{JSON: true, Deep: true}},
	}
	for _, tt := range tests {
		app, _, _ := testApp()
		var got *doctorOptions
		cmd := newDoctorCmd(app, func(_ context.Context, _ *App, o *doctorOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&tt.want, got); diff != "" {
			t.Errorf("%v: mismatch (-want +got):\n%s", tt.args, diff)
		}
	}
}

func TestWriteChecksText(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := writeChecksText(&buf, []doctor.Check{
		{ID: "provider", Status: doctor.StatusOK, Summary: "Amazon Bedrock", Detail: "not shown for ok"},
		{ID: "region", Status: doctor.StatusWarn, Summary: "us-east-1, the default", Detail: "line one\nline two", Fix: "export AWS_REGION"},
		{ID: "model.primary", Status: doctor.StatusFail, Summary: "access denied", Fix: "first\nsecond"},
		{ID: "caching", Status: doctor.StatusSkip, Summary: "not checked", Detail: "not shown for skip"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `✓ provider: Amazon Bedrock
! region: us-east-1, the default
    line one
    line two
    fix: export AWS_REGION
✗ model.primary: access denied
    fix: first
         second
- caching: not checked

1 ok, 1 warning, 1 failure, 1 skipped
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestDoctorExitCode: 0 without a failure, 1 with one, and in both cases
// nothing on stderr: the report is the message.
func TestDoctorExitCode(t *testing.T) {
	t.Parallel()
	env := startEmulator(t, emulator.Options{})
	tests := []struct {
		name  string
		model string
		code  int
	}{
		{"healthy", "", ExitOK},
		{"a failing model", "eu.anthropic.claude-sonnet-4-6", ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := map[string]string{}
			for k, v := range env {
				e[k] = v
			}
			if tt.model != "" {
				e["ANTHROPIC_MODEL"] = tt.model
			}
			code, out, stderr := runCLI(t, e, "doctor", "--json")
			if code != tt.code || stderr != "" {
				t.Errorf("exit %d, stderr %q; want %d and nothing", code, stderr, tt.code)
			}
			var doc struct {
				Checks []map[string]any `json:"checks"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range doc.Checks {
				for _, k := range []string{"id", "status", "summary", "detail", "fix"} {
					if _, ok := c[k]; !ok {
						t.Errorf("check %v has no %q", c["id"], k)
					}
				}
			}
		})
	}
}

// TestDoctorWithoutProvider still reports, and fails, instead of stopping
// at the configuration.
func TestDoctorWithoutProvider(t *testing.T) {
	t.Parallel()
	code, out, stderr := runCLI(t, map[string]string{"HOME": t.TempDir()}, "doctor")
	if code != ExitFailure || stderr != "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !bytes.Contains([]byte(out), []byte("✗ provider: no model provider configured")) {
		t.Errorf("output:\n%s", out)
	}
}
