package provider_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

func loadConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	cfg, err := config.Load(t.Context(), config.Input{Env: env, WorkDir: t.TempDir(), ManagedPaths: []string{}})
	// config.Load resolves the model names too (one verdict everywhere);
	// the cases below check that ResolveModels gives the same error.
	if err != nil && !errors.Is(err, model.ErrInvalidModel) {
		t.Fatal(err)
	}
	return cfg
}

func TestResolveModels(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{})
	profiles, err := c.ListProfiles(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	var appARN string
	for _, p := range profiles {
		if p.Type == "APPLICATION" {
			appARN = p.ARN
			break
		}
	}
	tests := []struct {
		name      string
		env       map[string]string
		primary   string
		smallFast string
		known     bool
		err       string
	}{
		{"defaults", nil, "global.anthropic.claude-sonnet-4-6", "us.anthropic.claude-haiku-4-5-20251001-v1:0", true, ""},
		{"alias", map[string]string{"ANTHROPIC_MODEL": "opus"}, "us.anthropic.claude-opus-4-6-v1", "us.anthropic.claude-haiku-4-5-20251001-v1:0", true, ""},
		{"foundation ID becomes a profile", map[string]string{"ANTHROPIC_MODEL": "anthropic.claude-sonnet-4-6"}, "us.anthropic.claude-sonnet-4-6", "", true, ""},
		{"application ARN keeps its ID and learns its model", map[string]string{"ANTHROPIC_MODEL": appARN}, appARN, "", true, ""},
		{"typo names the right model", map[string]string{"ANTHROPIC_MODEL": "sonet"}, "", "", false, `did you mean`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "HOME": b.env["HOME"]}
			for k, v := range tt.env {
				env[k] = v
			}
			m, err := provider.ResolveModels(t.Context(), c, loadConfig(t, env))
			if tt.err != "" {
				if !errors.Is(err, model.ErrInvalidModel) || !strings.Contains(err.Error()+errHint(err), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Primary.ID != tt.primary || (tt.smallFast != "" && m.SmallFast.ID != tt.smallFast) {
				t.Errorf("primary %s, small/fast %s", m.Primary.ID, m.SmallFast.ID)
			}
			if (m.Primary.Model != nil) != tt.known {
				t.Errorf("catalog entry %v, want known=%v (notices %q)", m.Primary.Model, tt.known, m.Primary.Notices)
			}
		})
	}
}

func errHint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

func TestCacheControl(t *testing.T) {
	t.Parallel()
	haiku, _ := model.Lookup("us.anthropic.claude-haiku-4-5-20251001-v1:0")
	sonnet4, _ := model.Lookup("us.anthropic.claude-sonnet-4-20250514-v1:0")
	tests := []struct {
		name   string
		cache  provider.Caching
		m      *model.Model
		ok     bool
		ttl    anthropic.CacheControlEphemeralTTL
		notice bool
	}{
		{"default 5 minutes", provider.Caching{}, haiku, true, "", false},
		{"disabled", provider.Caching{Disabled: true}, haiku, false, "", false},
		{"disabled for the family", provider.Caching{DisabledFamilies: map[string]bool{"haiku": true}}, haiku, false, "", false},
		{"1 hour where supported", provider.Caching{TTL1H: true}, haiku, true, "1h", false},
		{"1 hour unsupported falls back with a notice", provider.Caching{TTL1H: true}, sonnet4, true, "", true},
		{"forced 5 minutes", provider.Caching{TTL1H: true, Force5M: true}, haiku, true, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth := startEmulator(t, emulator.Options{})
			c := auth.client(t, clientOpts{mutate: func(cfg *provider.Config) { cfg.Caching = tt.cache }})
			cc, ok, notice := c.CacheControl(tt.m)
			if ok != tt.ok || cc.TTL != tt.ttl || (notice != "") != tt.notice {
				t.Errorf("got ok=%v ttl=%q notice=%q", ok, cc.TTL, notice)
			}
		})
	}
}
