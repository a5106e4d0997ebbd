package model

import (
	"math"
	"strings"
)

// PriceFor returns the price that applies when m is invoked through id,
// the ID that went into the request:
//
//   - a global. profile, or an Anthropic API ID: GlobalPrice (Anthropic's
//     list price);
//   - a geo profile (us., eu., jp., …), a bare foundation-model ID or a
//     foundation-model ARN (in-region): RegionalPrice;
//   - a system-profile ARN: as its profile ID;
//   - an application-profile ARN: RegionalPrice. Its ID does not say
//     whether it was copied from a global or a geo profile, and the
//     regional price is the upper bound, so the meter never understates.
//
// Check PricesKnown first: without it every field is zero.
func (m *Model) PriceFor(id string) Price {
	if m.RegionalPrice == m.GlobalPrice {
		return m.GlobalPrice
	}
	if global(id) {
		return m.GlobalPrice
	}
	return m.RegionalPrice
}

// LongContextPriceFor is the price of a request whose input exceeds 200K
// tokens, where one is documented: LongContextPrice, with the regional
// premium for regional IDs [?]. It reports false when no premium applies.
func (m *Model) LongContextPriceFor(id string) (Price, bool) {
	if m.LongContextPrice == nil {
		return Price{}, false
	}
	p := *m.LongContextPrice
	if m.RegionalPrice == m.GlobalPrice || global(id) {
		return p, true
	}
	// The long-context row for regional endpoints is not published; the
	// documented 10% premium is applied to it like to every other row.
	return Price{
		Input:        premium(p.Input),
		Output:       premium(p.Output),
		CacheWrite5m: premium(p.CacheWrite5m),
		CacheWrite1h: premium(p.CacheWrite1h),
		CacheRead:    premium(p.CacheRead),
	}, true
}

// premium adds 10% and rounds away float noise (6 × 1.1 = 6.6, not
// 6.6000000000000005).
func premium(v float64) float64 { return math.Round(v*1.1*1e6) / 1e6 }

// global reports whether id is billed at the global price.
func global(id string) bool {
	id, _ = stripLongContext(id)
	if a, ok := ParseARN(id); ok {
		if a.Kind != KindSystemProfile {
			return false
		}
		id = a.Resource
	}
	if geo, _, ok := splitGeo(id); ok {
		return geo == "global"
	}
	// A bare foundation-model ID runs in-region; anything else is taken
	// as an Anthropic API ID.
	return !strings.HasPrefix(id, "anthropic.")
}
