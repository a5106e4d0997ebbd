package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config/secrettest"
)

func TestCommandEnvByMode(t *testing.T) {
	t.Parallel()
	proc := map[string]string{
		"PATH":                               "/bin",
		"AWS_REGION":                         "eu-west-1",
		"AWS_PROFILE":                        "team",
		"AWS_ACCESS_KEY_ID":                  "AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY":              "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN":                  "FwoGZXIvYXdzEXAMPLE",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.2/creds",
		"AWS_CONFIG_FILE":                    "/home/u/.aws/config",
		"AWS_BEARER_TOKEN_BEDROCK":           "ABSKbedrock-key",
		"ANTHROPIC_API_KEY":                  "sk-ant-key",
		"ANTHROPIC_AUTH_TOKEN":               "auth-token",
		"ANTHROPIC_CUSTOM_HEADERS":           "X-Gateway-Secret: s",
		"OTEL_EXPORTER_OTLP_HEADERS":         "Authorization=Basic x",
		"OTEL_EXPORTER_OTLP_METRICS_HEADERS": "k=v",
		"OTEL_EXPORTER_OTLP_TRACES_HEADERS":  "k=v",
		"GITHUB_TOKEN":                       "ghp_R4nd0mT0k3nV4lu3Xy12Zz34",
		"DATABASE_URL":                       "postgres://app:pw@db/app",
		"GIT_AUTHOR_NAME":                    "Ada",
		"SSH_AUTH_SOCK":                      "/tmp/agent.sock",
	}
	tests := []struct {
		name     string
		settings string
		want     []string
	}{
		{"inherit keeps the shell but not basalt's secrets", `{"env": {"FROM_FILE": "x", "AWS_REGION": "us-east-1"}}`, []string{
			"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
			"AWS_CONFIG_FILE=/home/u/.aws/config",
			"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.2/creds",
			"AWS_PROFILE=team",
			"AWS_REGION=eu-west-1",
			"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
			"AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLE",
			"DATABASE_URL=postgres://app:pw@db/app",
			"GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3Xy12Zz34",
			"GIT_AUTHOR_NAME=Ada",
			"PATH=/bin",
			"SSH_AUTH_SOCK=/tmp/agent.sock",
		}},
		{"clean strips credentials of every kind", `{"bashEnvironment": "clean", "env": {"FROM_FILE": "x"}}`, []string{
			"AWS_CONFIG_FILE=/dev/null",
			"AWS_EC2_METADATA_DISABLED=true",
			"AWS_REGION=eu-west-1",
			"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
			"GIT_AUTHOR_NAME=Ada",
			"PATH=/bin",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for k, v := range proc {
				f.env[k] = v
			}
			f.write(f.user(), tt.settings)
			got := f.mustLoad().CommandEnv()
			want := append([]string{"HOME=" + f.home}, tt.want...)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCommandEnvFixture: no secret of the shared fixture reaches a
// command, whether it came from a settings file or is basalt's own.
func TestCommandEnvFixture(t *testing.T) {
	t.Parallel()
	for _, mode := range BashEnvironments {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for k, v := range secrettest.ProcessEnv() {
				f.env[k] = v
			}
			f.write(f.user(), secrettest.SettingsJSON())
			f.write(f.local(), `{"bashEnvironment": "`+mode+`"}`)
			c := f.mustLoad()
			if got := secrettest.Find(strings.Join(c.CommandEnv(), "\n")); len(got) > 0 {
				t.Errorf("the command environment holds %v", got)
			}
		})
	}
}

func TestBashEnvironmentSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		user, project   string
		want            string
		wantSource      SourceKind
		wantWarningLike string
	}{
		{"default", "", "", BashEnvInherit, SourceDefault, ""},
		{"user clean", `{"bashEnvironment": "clean"}`, "", BashEnvClean, SourceUser, ""},
		{"project inherit cannot loosen user clean", `{"bashEnvironment": "clean"}`, `{"bashEnvironment": "inherit"}`, BashEnvClean, SourceUser, ""},
		{"project clean tightens user inherit", `{"bashEnvironment": "inherit"}`, `{"bashEnvironment": "clean"}`, BashEnvClean, SourceProject, ""},
		{"unknown value: clean, with a located warning", "{\n  \"bashEnvironment\": \"strict\"\n}", "", BashEnvClean, SourceUser, `settings.json:2:22: "bashEnvironment": want "inherit" or "clean", got a string that is neither; "clean" is used`},
		{"wrong type: clean, with a located warning", `{"bashEnvironment": true, "model": "opus"}`, "", BashEnvClean, SourceUser, `settings.json:1:21: "bashEnvironment": want "inherit" or "clean", got a boolean; "clean" is used`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tt.user != "" {
				f.write(f.user(), tt.user)
			}
			if tt.project != "" {
				f.write(f.project(), tt.project)
			}
			c := f.mustLoad()
			if c.BashEnvironment.Value != tt.want || c.BashEnvironment.Source.Kind != tt.wantSource {
				t.Errorf("bashEnvironment = %q from %s, want %q from %s", c.BashEnvironment.Value, c.BashEnvironment.Source, tt.want, tt.wantSource)
			}
			found := tt.wantWarningLike == ""
			for _, w := range c.Warnings {
				found = found || strings.HasSuffix(w, tt.wantWarningLike)
			}
			if !found {
				t.Errorf("warnings %q, want one ending in %q", c.Warnings, tt.wantWarningLike)
			}
		})
	}
}

// TestSecretValuesHideFixture: hiding SecretValues in the text of the
// settings file and of the process environment (what a command could
// print) leaves no secret of the fixture, and ordinary values alone.
func TestSecretValuesHideFixture(t *testing.T) {
	t.Parallel()
	for _, mode := range BashEnvironments {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for k, v := range secrettest.ProcessEnv() {
				f.env[k] = v
			}
			f.env["AWS_REGION"] = "eu-west-1"
			f.write(f.user(), secrettest.SettingsJSON())
			f.write(f.local(), `{"bashEnvironment": "`+mode+`", "env": {"AWS_REGION": "eu-west-1"}}`)
			c := f.mustLoad()
			var pairs []string
			for _, v := range c.SecretValues() {
				pairs = append(pairs, v, "****")
			}
			r := strings.NewReplacer(pairs...)
			var env []string
			for k, v := range f.env {
				env = append(env, k+"="+v)
			}
			text := r.Replace(secrettest.SettingsJSON() + strings.Join(env, "\n"))
			if got := secrettest.Find(text); len(got) > 0 {
				t.Errorf("a command's output still holds %v:\n%s", got, text)
			}
			if !strings.Contains(text, "AWS_REGION=eu-west-1") {
				t.Errorf("an ordinary value was hidden:\n%s", text)
			}
		})
	}
}
