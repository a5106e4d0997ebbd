package cost

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/model"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// approx compares dollars up to float noise, far below a millionth of a cent.
var approx = cmpopts.EquateApprox(0, 1e-12)

func mustLookup(t testing.TB, id string) *model.Model {
	t.Helper()
	m, ok := model.Lookup(id)
	if !ok {
		t.Fatalf("model.Lookup(%q): not in the catalog", id)
	}
	return m
}

func TestOf(t *testing.T) {
	t.Parallel()
	sonnet46 := mustLookup(t, "claude-sonnet-4-6")
	sonnet45 := mustLookup(t, "claude-sonnet-4-5")
	haiku45 := mustLookup(t, "claude-haiku-4-5")
	opus46 := mustLookup(t, "claude-opus-4-6")
	// One mid-session Sonnet call: a little new input, a 5-minute write of
	// the newest turn, the rest read from cache.
	sonnetCall := Usage{InputTokens: 1000, OutputTokens: 500, CacheWrite5m: 2000, CacheRead: 10000}
	// Sonnet 4.5 with the 1M beta, over 200K once reads and writes count.
	long := Usage{InputTokens: 50_000, OutputTokens: 4000, CacheWrite5m: 10_000, CacheRead: 150_000}
	tests := []struct {
		name string
		m    *model.Model
		id   string
		u    Usage
		want Cost
	}{
		{
			// 1000×3 + 500×15 + 2000×3.75 + 10000×0.30 = 21,000 µ$
			name: "Sonnet 4.6 global", m: sonnet46, id: "global.anthropic.claude-sonnet-4-6",
			u: sonnetCall, want: Cost{USD: 0.021, Known: true},
		},
		{
			// 1000×3.30 + 500×16.50 + 2000×4.125 + 10000×0.33 = 23,100 µ$
			name: "Sonnet 4.6 us profile: 10% regional premium", m: sonnet46, id: "us.anthropic.claude-sonnet-4-6",
			u: sonnetCall, want: Cost{USD: 0.0231, Known: true},
		},
		{
			// The model package bills application profiles at the regional
			// price, the upper bound: same as the us profile.
			name: "application-profile ARN: regional price", m: sonnet46,
			id: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3v9x2m7q1ab",
			u:  sonnetCall, want: Cost{USD: 0.0231, Known: true},
		},
		{
			// 2000×1.10 + 1000×5.50 + 4096×1.375 + 8192×2.20 + 50000×0.11
			// = 2200 + 5500 + 5632 + 18022.4 + 5500 = 36,854.4 µ$
			name: "Haiku 4.5 us: 5m and 1h writes and reads", m: haiku45, id: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
			u:    Usage{InputTokens: 2000, OutputTokens: 1000, CacheWrite5m: 4096, CacheWrite1h: 8192, CacheRead: 50_000},
			want: Cost{USD: 0.0368544, Known: true},
		},
		{
			// 2000×1 + 1000×5 + 4096×1.25 + 8192×2 + 50000×0.10 = 33,504 µ$
			name: "Haiku 4.5 global", m: haiku45, id: "global.anthropic.claude-haiku-4-5-20251001-v1:0",
			u:    Usage{InputTokens: 2000, OutputTokens: 1000, CacheWrite5m: 4096, CacheWrite1h: 8192, CacheRead: 50_000},
			want: Cost{USD: 0.033504, Known: true},
		},
		{
			// 10000×5 + 2000×25 + 5000×6.25 + 100000×0.50 = 181,250 µ$
			name: "Opus 4.6 global", m: opus46, id: "global.anthropic.claude-opus-4-6-v1",
			u:    Usage{InputTokens: 10_000, OutputTokens: 2000, CacheWrite5m: 5000, CacheRead: 100_000},
			want: Cost{USD: 0.18125, Known: true},
		},
		{
			// No long-context row for Opus 4.6: standard price past 200K.
			// 150000×5 + 1000×25 + 100000×0.50 = 825,000 µ$
			name: "Opus 4.6 past 200K stays at standard price", m: opus46, id: "global.anthropic.claude-opus-4-6-v1",
			u:    Usage{InputTokens: 150_000, OutputTokens: 1000, CacheRead: 100_000},
			want: Cost{USD: 0.825, Known: true},
		},
		{
			// Whole request at the long-context row: 50000×6 + 4000×22.50
			// + 10000×7.50 + 150000×0.60 = 555,000 µ$
			name: "Sonnet 4.5 long context global", m: sonnet45, id: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
			u: long, want: Cost{USD: 0.555, Known: true},
		},
		{
			// 50000×6.60 + 4000×24.75 + 10000×8.25 + 150000×0.66 = 610,500 µ$
			name: "Sonnet 4.5 long context us", m: sonnet45, id: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
			u: long, want: Cost{USD: 0.6105, Known: true},
		},
		{
			name: "Sonnet 4.5 long context with the [1m] suffix", m: sonnet45, id: "global.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]",
			u: long, want: Cost{USD: 0.555, Known: true},
		},
		{
			// Exactly 200,000 is not "exceeds": 50000×3 + 4000×15 + 150000×0.30 = 255,000 µ$
			name: "Sonnet 4.5 at exactly 200K: standard", m: sonnet45, id: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
			u:    Usage{InputTokens: 50_000, OutputTokens: 4000, CacheRead: 150_000},
			want: Cost{USD: 0.255, Known: true},
		},
		{
			name: "unknown model", m: nil, id: "us.anthropic.claude-unknown-9",
			u: sonnetCall, want: Cost{},
		},
		{
			name: "model without trusted prices", m: &model.Model{Name: "Claude Future"}, id: "global.anthropic.claude-future",
			u: sonnetCall, want: Cost{},
		},
		{
			name: "no tokens", m: sonnet46, id: "global.anthropic.claude-sonnet-4-6",
			want: Cost{Known: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Of(tt.m, tt.id, tt.u), approx); diff != "" {
				t.Errorf("Of(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestSavings(t *testing.T) {
	t.Parallel()
	sonnet46 := mustLookup(t, "claude-sonnet-4-6")
	tests := []struct {
		name string
		m    *model.Model
		u    Usage
		want Cost
	}{
		{
			// Uncached: 13000×3 + 500×15 = 46,500 µ$; actual 21,000 µ$.
			name: "reads save",
			m:    sonnet46, u: Usage{InputTokens: 1000, OutputTokens: 500, CacheWrite5m: 2000, CacheRead: 10000},
			want: Cost{USD: 0.0255, Known: true},
		},
		{
			// A write never read back costs 25% more than plain input:
			// 4000×3 - 4000×3.75 = -3,000 µ$.
			name: "a write alone costs extra",
			m:    sonnet46, u: Usage{CacheWrite5m: 4000},
			want: Cost{USD: -0.003, Known: true},
		},
		{name: "unknown model", m: nil, u: Usage{CacheRead: 1000}, want: Cost{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Savings(tt.m, "global.anthropic.claude-sonnet-4-6", tt.u)
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCostString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c    Cost
		want string
	}{
		{Cost{USD: 0.0123, Known: true}, "$0.0123"},
		{Cost{USD: 0, Known: true}, "$0.0000"},
		{Cost{USD: 0.00004, Known: true}, "$0.0000"},
		{Cost{USD: 0.99994, Known: true}, "$0.9999"},
		{Cost{USD: 0.99996, Known: true}, "$1.00"},
		{Cost{USD: 1, Known: true}, "$1.00"},
		{Cost{USD: 12.3456, Known: true}, "$12.35"},
		{Cost{USD: 1234.5, Known: true}, "$1234.50"},
		{Cost{USD: -0.003, Known: true}, "-$0.0030"},
		{Cost{USD: -0.00001, Known: true}, "$0.0000"},
		{Cost{USD: -2.5, Known: true}, "-$2.50"},
		{Cost{}, "unknown"},
		{Cost{USD: 3.5}, "unknown"}, // a lower bound is not a price
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.c.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.c, got, tt.want)
			}
		})
	}
}

func TestCostAdd(t *testing.T) {
	t.Parallel()
	known := Cost{USD: 1, Known: true}
	if diff := cmp.Diff(Cost{USD: 2, Known: true}, known.Add(known)); diff != "" {
		t.Errorf("known + known mismatch (-want +got):\n%s", diff)
	}
	if got := known.Add(Cost{}); got.Known {
		t.Errorf("known + unknown = %v, want unknown", got)
	}
}
