package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestModelNamesResolvedAtLoad holds the configuration layer to one
// verdict on model names: what Load accepts, a session accepts, with the
// same ID; what it refuses is a problem of Load, before any session.
func TestModelNamesResolvedAtLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		file    string // project settings
		wantID  string
		notice  string // a substring of one of Resolved.Notices
		wantErr string
	}{
		{name: "opusplan from the AWS installer", env: map[string]string{"ANTHROPIC_MODEL": "opusplan"},
			wantID: "us.anthropic.claude-opus-4-6-v1", notice: "opusplan: basalt has no plan mode"},
		{name: "fable pinned by the team", file: `{"model": "fable", "env": {"ANTHROPIC_DEFAULT_FABLE_MODEL": "us.anthropic.claude-opus-5-5"}}`,
			wantID: "us.anthropic.claude-opus-5-5", notice: "not in basalt's model catalog"},
		{name: "best", file: `{"model": "best"}`, wantID: "us.anthropic.claude-fable-5", notice: "best means fable"},
		{name: "[1m] on a model without the window", file: `{"model": "haiku[1m]"}`,
			wantID: "us.anthropic.claude-haiku-4-5-20251001-v1:0", notice: "[1m] is ignored"},
		{name: "sonnet[1m]", file: `{"model": "sonnet[1m]"}`, wantID: "us.anthropic.claude-sonnet-4-6"},
		{name: "a typo is a problem of Load", file: `{"model": "sonet"}`, wantErr: `unknown model "sonet"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.env["CLAUDE_CODE_USE_BEDROCK"] = "1"
			f.env["AWS_REGION"] = "us-east-1"
			for k, v := range tt.env {
				f.env[k] = v
			}
			if tt.file != "" {
				f.write(f.project(), tt.file)
			}
			c, err := Load(t.Context(), Input{Env: f.env, WorkDir: f.workDir, ManagedPaths: []string{f.managed},
				TrustProject: func(string, string) bool { return true }})
			if tt.wantErr != "" {
				var cfgErr *Error
				if !errors.As(err, &cfgErr) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a problem containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Resolved.ID != tt.wantID {
				t.Errorf("resolved ID = %q, want %q", c.Resolved.ID, tt.wantID)
			}
			if tt.notice != "" && !strings.Contains(strings.Join(c.Resolved.Notices, "\n"), tt.notice) {
				t.Errorf("notices = %q, want one containing %q", c.Resolved.Notices, tt.notice)
			}
			if c.ResolvedSmallFast.ID == "" {
				t.Error("small/fast model not resolved")
			}
		})
	}
}

func TestEnvOverrides(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.env["AWS_REGION"] = "us-east-1"
	f.env["AWS_PROFILE"] = "dev"
	f.env["ANTHROPIC_MODEL"] = "sonnet"
	f.write(f.user(), `{"env": {"AWS_PROFILE": "dev", "ANTHROPIC_MODEL": "haiku"}}`)
	f.write(f.local(), `{"env": {"AWS_REGION": "us-west-2", "ANTHROPIC_MODEL": "opus"}}`)
	c := f.mustLoad()
	if c.Region.Value != "us-west-2" || c.Region.Source.Kind != SourceLocal {
		t.Errorf("region = %s from %s, want the local file's us-west-2", c.Region.Value, c.Region.Source)
	}
	type ov struct{ Name, Process, Value string }
	var got []ov
	for _, o := range c.EnvOverrides {
		got = append(got, ov{o.Name, o.Process, o.Value})
		if o.By.Kind == SourceEnv {
			t.Errorf("%s: override by the process environment", o.Name)
		}
	}
	want := []ov{{"ANTHROPIC_MODEL", "sonnet", "opus"}, {"AWS_REGION", "us-east-1", "us-west-2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
