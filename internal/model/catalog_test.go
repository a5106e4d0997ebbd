package model

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCatalogInvariants(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			if !slices.Contains(Families, m.Family) {
				t.Errorf("family %q is not one of %v", m.Family, Families)
			}
			if !strings.HasPrefix(m.FoundationID, "anthropic.claude-") {
				t.Errorf("foundation ID %q does not start with anthropic.claude-", m.FoundationID)
			}
			if !strings.HasPrefix(m.APIID, "claude-") {
				t.Errorf("API ID %q does not start with claude-", m.APIID)
			}
			for _, id := range append([]string{m.FoundationID, m.APIID}, m.APIAliases...) {
				if other, dup := seen[id]; dup {
					t.Errorf("ID %q also names %s", id, other)
				}
				seen[id] = m.Name
				if !wellFormed(id) {
					t.Errorf("ID %q is not well-formed by basalt's own rules", id)
				}
			}
			if len(m.Geos) == 0 {
				t.Error("no inference-profile geos")
			}
			for i, g := range m.Geos {
				if !ValidPrefix(g) {
					t.Errorf("geo %q is not one of %v", g, Geos)
				}
				if slices.Contains(m.Geos[:i], g) {
					t.Errorf("geo %q listed twice", g)
				}
			}
			if m.ContextWindow <= 0 || m.MaxOutput <= 0 || m.MinCacheTokens <= 0 {
				t.Errorf("limits must be positive: context %d, output %d, min cache %d", m.ContextWindow, m.MaxOutput, m.MinCacheTokens)
			}
			switch {
			case m.LongContext == 0 && m.LongContextBeta != "":
				t.Errorf("beta %q without a long context", m.LongContextBeta)
			case m.LongContext != 0 && m.LongContext != window1M:
				t.Errorf("long context %d, want 0 or %d", m.LongContext, window1M)
			case m.LongContext != 0 && m.ContextWindow < m.LongContext && m.LongContextBeta == "":
				t.Errorf("a %d window that grows to %d needs a beta", m.ContextWindow, m.LongContext)
			case m.LongContextPrice != nil && m.LongContext == 0:
				t.Error("long-context price without a long context")
			}
			if !m.PricesKnown {
				if m.GlobalPrice != (Price{}) || m.RegionalPrice != (Price{}) {
					t.Error("prices set but PricesKnown is false")
				}
				return
			}
			checkMultipliers(t, "global", m.GlobalPrice)
			checkMultipliers(t, "regional", m.RegionalPrice)
			if m.RegionalPrice != m.GlobalPrice && !near(m.RegionalPrice.Input, m.GlobalPrice.Input*1.1) {
				t.Errorf("regional input %v is neither global %v nor 10%% above it", m.RegionalPrice.Input, m.GlobalPrice.Input)
			}
			if m.LongContextPrice != nil {
				checkMultipliers(t, "long context", *m.LongContextPrice)
			}
		})
	}
}

// checkMultipliers holds a price row to Anthropic's documented caching
// multipliers (reference §8): 5m write 1.25×, 1h write 2×, read 0.1×.
func checkMultipliers(t *testing.T, row string, p Price) {
	t.Helper()
	if p.Input <= 0 || p.Output <= 0 {
		t.Errorf("%s: input %v, output %v must be positive", row, p.Input, p.Output)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"5m write", p.CacheWrite5m, p.Input * 1.25},
		{"1h write", p.CacheWrite1h, p.Input * 2},
		{"cache read", p.CacheRead, p.Input * 0.1},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s %s = %v, want %v", row, c.name, c.got, c.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCatalogOrder(t *testing.T) {
	t.Parallel()
	var got []Family
	for _, m := range Catalog() {
		if len(got) == 0 || got[len(got)-1] != m.Family {
			got = append(got, m.Family)
		}
	}
	if diff := cmp.Diff(Families, got); diff != "" {
		t.Errorf("families not grouped in order, mismatch (-want +got):\n%s", diff)
	}
}

func TestCatalogIsACopy(t *testing.T) {
	t.Parallel()
	c := Catalog()
	c[0].Geos[0] = "mutated"
	c[0].Name = "mutated"
	if m, _ := Lookup(c[0].FoundationID); m.Geos[0] == "mutated" || m.Name == "mutated" {
		t.Error("changing Catalog's result changed the catalog")
	}
}

func TestLookupRoundTrip(t *testing.T) {
	t.Parallel()
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			ids := []string{m.FoundationID, m.APIID}
			ids = append(ids, m.APIAliases...)
			ids = append(ids,
				"arn:aws:bedrock:us-east-1::foundation-model/"+m.FoundationID,
				"arn:aws:bedrock:::foundation-model/"+m.FoundationID,
			)
			for _, g := range m.Geos {
				p := m.ProfileIDFor(g)
				ids = append(ids, p,
					"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"+p,
					"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/"+p,
				)
			}
			for _, id := range ids {
				for _, v := range []string{id, id + "[1m]", id + "[1M]"} {
					got, ok := Lookup(v)
					if !ok || got.FoundationID != m.FoundationID {
						t.Errorf("Lookup(%q) = %v, %v; want %s", v, got, ok, m.FoundationID)
					}
				}
			}
		})
	}
}

func TestLookupMisses(t *testing.T) {
	t.Parallel()
	for _, id := range []string{
		"",
		"sonnet",
		"default",
		"us.anthropic.claude-opus-9",
		"anthropic.claude-sonnet-4-6-v1",
		"xx.anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3v9x2m7q1ab",
		"arn:aws:s3:::anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/anthropic.claude-sonnet-4-6",
		"[1m]",
	} {
		if m, ok := Lookup(id); ok {
			t.Errorf("Lookup(%q) = %s, want no model", id, m.Name)
		}
	}
}

// TestCurrentIsPinned fails when an alias's meaning changes, so that the
// change is deliberate and lands with a release note (DESIGN.md §4).
func TestCurrentIsPinned(t *testing.T) {
	t.Parallel()
	want := map[Family]string{Fable: "Claude Fable 5", Opus: "Claude Opus 4.6", Sonnet: "Claude Sonnet 4.6", Haiku: "Claude Haiku 4.5"}
	got := map[Family]string{}
	for _, f := range Families {
		m, ok := Current(f)
		if !ok {
			t.Fatalf("Current(%s): no model", f)
		}
		if m.Family != f {
			t.Errorf("Current(%s) is a %s model", f, m.Family)
		}
		got[f] = m.Name
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alias targets mismatch (-want +got):\n%s", diff)
	}
	if _, ok := Current("sonet"); ok {
		t.Error(`Current("sonet") found a model`)
	}
}

// TestDefaultsAreInTheCatalog keeps defaults.go and the table in step:
// each default must name a catalog model through a profile that exists.
func TestDefaultsAreInTheCatalog(t *testing.T) {
	t.Parallel()
	for _, id := range []string{DefaultBedrockPrimary, DefaultBedrockSmallFast} {
		m, ok := Lookup(id)
		if !ok {
			t.Errorf("default %q is not in the catalog", id)
			continue
		}
		geo, _, _ := splitGeo(id)
		if !m.HasGeo(geo) {
			t.Errorf("default %q: %s has no %s profile", id, m.Name, geo)
		}
	}
	for _, id := range []string{DefaultAnthropicPrimary, DefaultAnthropicSmallFast} {
		if _, ok := Lookup(id); !ok {
			t.Errorf("default %q is not in the catalog", id)
		}
	}
}

func TestParseARN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   ARN
		wantOK bool
	}{
		{
			in:     "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
			want:   ARN{Partition: "aws", Region: "us-east-1", Account: "123456789012", Kind: KindSystemProfile, Resource: "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
			wantOK: true,
		},
		{
			in:     "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/abc123def456",
			want:   ARN{Partition: "aws-us-gov", Region: "us-gov-west-1", Account: "123456789012", Kind: KindApplicationProfile, Resource: "abc123def456"},
			wantOK: true,
		},
		{
			in:     "arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1",
			want:   ARN{Partition: "aws", Kind: KindFoundationModel, Resource: "anthropic.claude-opus-4-6-v1"},
			wantOK: true,
		},
		{in: "arn:aws:s3:::bucket/key"},
		{in: "arn:gcp:bedrock:us-east-1:1:inference-profile/x"},
		{in: "arn:aws:bedrock:us-east-1:1:inference-profile"},
		{in: "arn:aws:bedrock:us-east-1:1:/x"},
		{in: "arn:aws:bedrock:us-east-1"},
		{in: "us.anthropic.claude-sonnet-4-6"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseARN(tt.in)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
