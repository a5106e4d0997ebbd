package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNetworkSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      map[string]string
		user     string // user settings
		check    func(t *testing.T, c *Config)
		wantErr  string
		wantWarn string
	}{
		{name: "service tier", env: map[string]string{"ANTHROPIC_BEDROCK_SERVICE_TIER": "priority"},
			check: func(t *testing.T, c *Config) {
				if v := c.Net.ServiceTier; v.Value != "priority" || v.Source.Kind != SourceEnv {
					t.Errorf("tier = %+v", v)
				}
			}},
		{name: "service tier from the user's settings env, any case", user: `{"env": {"ANTHROPIC_BEDROCK_SERVICE_TIER": "Flex"}}`,
			check: func(t *testing.T, c *Config) {
				if v := c.Net.ServiceTier; v.Value != "flex" || v.Source.Kind != SourceUser {
					t.Errorf("tier = %+v", v)
				}
			}},
		{name: "unknown tier lists the valid ones", env: map[string]string{"ANTHROPIC_BEDROCK_SERVICE_TIER": "turbo"},
			wantErr: `ANTHROPIC_BEDROCK_SERVICE_TIER="turbo" (env ANTHROPIC_BEDROCK_SERVICE_TIER): want one of default, flex, priority`},
		{name: "Mantle alone selects Bedrock and Mantle IDs", env: map[string]string{"CLAUDE_CODE_USE_BEDROCK": "", "CLAUDE_CODE_USE_MANTLE": "1", "ANTHROPIC_MODEL": "haiku"},
			check: func(t *testing.T, c *Config) {
				if c.Provider.Value != ProviderBedrock || !c.UsesMantle() {
					t.Errorf("provider %q, mantle %v", c.Provider.Value, c.UsesMantle())
				}
				if c.Resolved.ID != "anthropic.claude-haiku-4-5" {
					t.Errorf("resolved %q, want anthropic.claude-haiku-4-5", c.Resolved.ID)
				}
				if c.Resolved.Model == nil {
					t.Errorf("Mantle model not found in the catalog: no price")
				}
				if got := c.MantleEndpoint("eu-west-1"); got != "https://bedrock-mantle.eu-west-1.api.aws/anthropic" {
					t.Errorf("endpoint %q", got)
				}
			}},
		{name: "Mantle ID as written", env: map[string]string{"CLAUDE_CODE_USE_MANTLE": "1", "ANTHROPIC_MODEL": "anthropic.claude-sonnet-4-6"},
			check: func(t *testing.T, c *Config) {
				if c.Resolved.ID != "anthropic.claude-sonnet-4-6" || c.Resolved.Model == nil {
					t.Errorf("resolved %q (model %v)", c.Resolved.ID, c.Resolved.Model)
				}
			}},
		{name: "Mantle base URL", env: map[string]string{"CLAUDE_CODE_USE_MANTLE": "1", "ANTHROPIC_BEDROCK_MANTLE_BASE_URL": "http://127.0.0.1:9/anthropic/"},
			check: func(t *testing.T, c *Config) {
				if got := c.MantleEndpoint("us-east-1"); got != "http://127.0.0.1:9/anthropic" {
					t.Errorf("endpoint %q", got)
				}
			}},
		{name: "tier with Mantle is said not to apply", env: map[string]string{"CLAUDE_CODE_USE_MANTLE": "1", "ANTHROPIC_BEDROCK_SERVICE_TIER": "priority"},
			wantWarn: "with CLAUDE_CODE_USE_MANTLE the header is not sent"},
		{name: "Mantle URL without Mantle", env: map[string]string{"ANTHROPIC_BEDROCK_MANTLE_BASE_URL": "https://gw.example.com/anthropic"},
			wantWarn: "apply only with CLAUDE_CODE_USE_MANTLE=1"},
		{name: "bad Mantle URL", env: map[string]string{"CLAUDE_CODE_USE_MANTLE": "1", "ANTHROPIC_BEDROCK_MANTLE_BASE_URL": "bedrock-mantle"},
			wantErr: "ANTHROPIC_BEDROCK_MANTLE_BASE_URL"},
		{name: "client key defaults to the certificate file", env: map[string]string{"CLAUDE_CODE_CLIENT_CERT": "/etc/pki/me.pem"},
			check: func(t *testing.T, c *Config) {
				if c.Net.ClientKey.Value != "/etc/pki/me.pem" {
					t.Errorf("key %+v", c.Net.ClientKey)
				}
			}},
		{name: "key without certificate", env: map[string]string{"CLAUDE_CODE_CLIENT_KEY": "/etc/pki/me.key"},
			wantErr: "CLAUDE_CODE_CLIENT_KEY (env CLAUDE_CODE_CLIENT_KEY) is set without CLAUDE_CODE_CLIENT_CERT"},
		{name: "timeouts", env: map[string]string{"API_TIMEOUT_MS": "120000", "CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS": "2500", "CLAUDE_CODE_SKIP_AWS_CRED_CACHE": "1"},
			check: func(t *testing.T, c *Config) {
				if c.Net.APITimeout.Value != 2*time.Minute || c.Net.ChainResolveTimeout.Value != 2500*time.Millisecond || !c.Net.SkipAWSCredCache.Value {
					t.Errorf("net = %+v", c.Net)
				}
			}},
		{name: "bad timeout", env: map[string]string{"API_TIMEOUT_MS": "10s"}, wantErr: `API_TIMEOUT_MS="10s"`},
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
			if tt.user != "" {
				f.write(f.user(), tt.user)
			}
			c, err := Load(t.Context(), Input{Env: f.env, WorkDir: f.workDir, ManagedPaths: []string{f.managed}})
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
			if tt.wantWarn != "" && !strings.Contains(strings.Join(c.Warnings, "\n"), tt.wantWarn) {
				t.Errorf("warnings %q, want one containing %q", c.Warnings, tt.wantWarn)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestMantleID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"claude-haiku-4-5-20251001": "anthropic.claude-haiku-4-5",
		"claude-sonnet-4-6":         "anthropic.claude-sonnet-4-6",
		"anthropic.claude-opus-4-8": "anthropic.claude-opus-4-8",
		"my-gateway-model":          "my-gateway-model",
	} {
		if got := MantleID(in); got != want {
			t.Errorf("MantleID(%q) = %q, want %q", in, got, want)
		}
	}
	for id, want := range map[string]bool{
		"anthropic.claude-haiku-4-5":                  true,
		"anthropic.claude-haiku-4-5-20251001-v1:0":    false,
		"us.anthropic.claude-haiku-4-5-20251001-v1:0": false,
		"claude-haiku-4-5":                            false,
	} {
		if got := IsMantleID(id); got != want {
			t.Errorf("IsMantleID(%q) = %v, want %v", id, got, want)
		}
	}
}
