package cost

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTierPrices(t *testing.T) {
	t.Parallel()
	sonnet := mustLookup(t, "claude-sonnet-4-6")
	const id = "global.anthropic.claude-sonnet-4-6"
	// 1000×3 + 100×15 = 4,500 µ$ at the standard tier.
	u := Usage{InputTokens: 1000, OutputTokens: 100}
	cases := []struct {
		name       string
		configured Tier
		served     Tier
		want       float64
	}{
		{"unset", "", "", 0.0045},
		{"default", TierDefault, "", 0.0045},
		{"priority", TierPriority, "", 0.0045 * 1.75},
		{"flex", TierFlex, "", 0.0045 * 0.5},
		{"upper case", "PRIORITY", "", 0.0045 * 1.75},
		{"served tier wins over the configured one", TierPriority, TierDefault, 0.0045},
		{"served priority without configuration", "", TierPriority, 0.0045 * 1.75},
		{"reserved is billed apart, not per token", "", "reserved", 0.0045},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := NewMeter()
			m.SetTier(tc.configured)
			got := m.AddServed(id, sonnet, tc.served, u)
			if diff := cmp.Diff(Cost{USD: tc.want, Known: true}, got, approx); diff != "" {
				t.Errorf("call cost mismatch (-want +got):\n%s", diff)
			}
			if _, total := m.Session(); !cmp.Equal(total, got, approx) {
				t.Errorf("session cost %v, want the call's %v", total, got)
			}
		})
	}
	// An unknown price stays unknown at any tier.
	if c := OfTier(nil, "anthropic.claude-future", TierPriority, u); c.Known {
		t.Errorf("unknown model at priority: %v, want unknown", c)
	}
}
