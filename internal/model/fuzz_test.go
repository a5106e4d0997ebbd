package model

import (
	"errors"
	"strings"
	"testing"
)

// FuzzResolve feeds Resolve arbitrary values, regions and prefixes. It
// must never panic; every error must be a usage error; every success must
// name an ID that can go on the wire, and a catalog model only when the ID
// really is that model's.
func FuzzResolve(f *testing.F) {
	for _, c := range resolveCases {
		f.Add(c.req.Provider == ProviderAnthropic, c.req.Value, c.req.Region, c.req.RegionPrefix, c.req.SmallFast)
	}
	for _, v := range []string{
		"", "[1m]", "[1M]", "opus[1m][1m]", "arn:", "arn:aws:bedrock:::", "arn:aws:bedrock:us-east-1:1:inference-profile/",
		"us.", "us.anthropic.", "anthropic.", "claude-", "claude--", "global.anthropic.claude-sonnet-4-6-v1:0:200k",
		"us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0", "\x00", "sönnet", strings.Repeat("a", 3000),
	} {
		f.Add(false, v, "us-east-1", "", false)
	}
	aliases := map[Family]string{Haiku: "claude-haiku-4-5"}
	overrides := map[string]string{"claude-opus-4-6": "global." + fmOpus46, "claude-sonnet-4-5": appARN}

	f.Fuzz(func(t *testing.T, useAnthropic bool, value, region, prefix string, smallFast bool) {
		req := Request{Provider: ProviderBedrock, Region: region, Value: value, RegionPrefix: prefix,
			SmallFast: smallFast, Aliases: aliases, Overrides: overrides, Source: "fuzz"}
		if useAnthropic {
			req.Provider = ProviderAnthropic
		}
		got, err := Resolve(req)
		if err != nil {
			if !errors.Is(err, ErrInvalidModel) {
				t.Fatalf("Resolve(%q): error %v does not match ErrInvalidModel", value, err)
			}
			if err.Error() == "" {
				t.Fatalf("Resolve(%q): empty error message", value)
			}
			return
		}
		if !validChars(got.ID) {
			t.Fatalf("Resolve(%q).ID = %q, not a valid model identifier", value, got.ID)
		}
		if _, long := stripLongContext(got.ID); long {
			t.Fatalf("Resolve(%q).ID = %q still carries [1m]", value, got.ID)
		}
		if got.Model != nil && !got.IsARN {
			if m, ok := Lookup(got.ID); !ok || m != got.Model {
				t.Fatalf("Resolve(%q) = %q with model %s, but Lookup says %v", value, got.ID, got.Model.Name, m)
			}
		}
		if got.IsARN {
			if _, ok := ParseARN(got.ID); !ok {
				t.Fatalf("Resolve(%q) = %q marked as an ARN but does not parse", value, got.ID)
			}
		}
	})
}
