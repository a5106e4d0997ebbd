package provider_test

import (
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

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
