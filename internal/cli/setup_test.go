package cli

import (
	"context"
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
