package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetupFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    setupOptions
		wantErr string
	}{
		{"none", nil, setupOptions{}, ""},
		{"all", []string{"--credentials", "sso", "--profile", "p", "--region", "eu-west-1", "--model", "m", "--small-fast-model", "s",
			"--cache-ttl", "1h", "--guardrail", "abc:DRAFT", "--scope", "project", "--export-command", "e", "--refresh-command", "r", "--yes"},
			setupOptions{Credentials: "sso", Profile: "p", Region: "eu-west-1", Model: "m", SmallFastModel: "s", CacheTTL: "1h",
				Guardrail: "abc:DRAFT", Scope: "project", ExportCommand: "e", RefreshCommand: "r", Yes: true}, ""},
		{"bad method", []string{"--credentials", "magic"}, setupOptions{}, `--credentials "magic"`},
		{"bad ttl", []string{"--cache-ttl", "2h"}, setupOptions{}, `--cache-ttl "2h"`},
		{"bad scope", []string{"--scope", "team"}, setupOptions{}, `--scope "team"`},
		{"guardrail without version", []string{"--guardrail", "abc"}, setupOptions{}, "want ID:VERSION"},
		{"guardrail ARN", []string{"--guardrail", "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc:3"}, setupOptions{Guardrail: "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc:3"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, _, _ := testApp()
			var got *setupOptions
			cmd := newSetupCmd(app, func(_ context.Context, _ *App, o *setupOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("options mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSetupWizard answers the wizard's questions on a fake terminal. No
// credentials are configured, so the profiles cannot be listed and the
// catalog's are offered.
func TestSetupWizard(t *testing.T) {
	dir := t.TempDir()
	app, out, _ := testApp()
	app.WorkDir = dir
	app.Env = map[string]string{
		"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "XDG_STATE_HOME": filepath.Join(dir, "state"),
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "ANTHROPIC_BEDROCK_BASE_URL": "http://127.0.0.1:9",
	}
	app.IO.StdinIsTTY, app.IO.StdoutIsTTY = true, true
	answers := []string{
		"1",         // user file
		"1",         // sso
		"team",      // profile
		"eu-west-1", // region
		"",          // primary: the sonnet default
		"",          // small/fast: the haiku default
		"2",         // 1h
		"abc123:1",  // guardrail
		"n",         // do not write
	}
	app.IO.In = strings.NewReader(strings.Join(answers, "\n") + "\n")
	if err := runSetup(t.Context(), app, &setupOptions{}); err != nil {
		t.Fatalf("runSetup: %v\n%s", err, out)
	}
	i := strings.Index(out.String(), "Settings for ")
	if i < 0 {
		t.Fatalf("no preview in the output:\n%s", out)
	}
	var preview map[string]any
	body := out.String()[i:]
	body = body[strings.Index(body, "{"):]
	body = body[:strings.Index(body, "\n  }\n")+4]
	if err := json.Unmarshal([]byte(body), &preview); err != nil {
		t.Fatalf("preview is not JSON: %v\n%s", err, body)
	}
	want := map[string]any{
		"awsAuthRefresh": "aws sso login --profile team",
		"env": map[string]any{
			"ANTHROPIC_CUSTOM_HEADERS":   "X-Amzn-Bedrock-GuardrailIdentifier: abc123\nX-Amzn-Bedrock-GuardrailVersion: 1",
			"ANTHROPIC_MODEL":            "global.anthropic.claude-sonnet-4-6",
			"ANTHROPIC_SMALL_FAST_MODEL": "global.anthropic.claude-haiku-4-5-20251001-v1:0",
			"AWS_PROFILE":                "team",
			"AWS_REGION":                 "eu-west-1",
			"CLAUDE_CODE_USE_BEDROCK":    "1",
			"ENABLE_PROMPT_CACHING_1H":   "1",
		},
	}
	if diff := cmp.Diff(want, preview); diff != "" {
		t.Errorf("settings mismatch (-want +got):\n%s\noutput:\n%s", diff, out)
	}
	if !strings.Contains(out.String(), "Nothing written.") {
		t.Errorf("answering n should write nothing:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "basalt", "settings.json")); !os.IsNotExist(err) {
		t.Errorf("settings file written after n: %v", err)
	}
}
