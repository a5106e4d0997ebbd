package model

import (
	"errors"
	"testing"
)

func TestPrefixForRegion(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"us-east-1":      "us",
		"us-west-2":      "us",
		"us-gov-west-1":  "us-gov",
		"us-gov-east-1":  "us-gov",
		"eu-west-1":      "eu",
		"eu-central-2":   "eu",
		"ap-northeast-1": "apac", // never jp: Claude Code's rule
		"ap-southeast-2": "apac", // never au
		"ap-south-1":     "apac",
		"sa-east-1":      "global",
		"ca-central-1":   "global",
		"me-central-1":   "global",
		"":               "global",
	}
	for region, want := range tests {
		if got := PrefixForRegion(region); got != want {
			t.Errorf("PrefixForRegion(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestGeoServes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		geo, region string
		want        serves
	}{
		{"global", "us-east-1", servesYes},
		{"global", "sa-east-1", servesYes},
		{"global", "us-gov-west-1", servesNo},
		{"global", "cn-north-1", servesNo},
		{"us", "us-west-2", servesYes},
		{"us", "us-gov-west-1", servesNo},
		{"us", "eu-west-1", servesNo},
		{"us", "ca-central-1", servesUnknown}, // AWS may list it as a US source region
		{"eu", "eu-north-1", servesYes},
		{"eu", "us-east-1", servesNo},
		{"eu", "il-central-1", servesUnknown},
		{"apac", "ap-southeast-1", servesYes},
		{"jp", "ap-northeast-1", servesYes},
		{"jp", "ap-northeast-3", servesYes},
		{"jp", "ap-northeast-2", servesNo},
		{"au", "ap-southeast-2", servesYes},
		{"au", "ap-southeast-1", servesNo},
		{"us-gov", "us-gov-east-1", servesYes},
		{"us-gov", "us-east-1", servesNo},
		{"us", "", servesUnknown},
	}
	for _, tt := range tests {
		if got := geoServes(tt.geo, tt.region); got != tt.want {
			t.Errorf("geoServes(%q, %q) = %v, want %v", tt.geo, tt.region, got, tt.want)
		}
	}
}

func TestProfileID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		model     string
		region    string
		preferred string
		want      string
		wantErr   bool
	}{
		{name: "region prefix", model: "claude-sonnet-4-6", region: "us-east-1", want: "us.anthropic.claude-sonnet-4-6"},
		{name: "eu", model: "claude-sonnet-4-6", region: "eu-west-1", want: "eu.anthropic.claude-sonnet-4-6"},
		{name: "no apac profile falls back to global", model: "claude-sonnet-4-6", region: "ap-northeast-1", want: "global.anthropic.claude-sonnet-4-6"},
		{name: "apac where it exists", model: "claude-opus-4-6", region: "ap-southeast-2", want: "apac.anthropic.claude-opus-4-6-v1"},
		{name: "jp when preferred", model: "claude-sonnet-4-6", region: "ap-northeast-1", preferred: "jp", want: "jp.anthropic.claude-sonnet-4-6"},
		{name: "jp preferred outside Japan", model: "claude-sonnet-4-6", region: "ap-southeast-1", preferred: "jp", want: "global.anthropic.claude-sonnet-4-6"},
		{name: "au missing falls back to apac", model: "claude-opus-4-6", region: "ap-southeast-2", preferred: "au", want: "apac.anthropic.claude-opus-4-6-v1"},
		{name: "global preferred", model: "claude-haiku-4-5", region: "us-east-1", preferred: "global", want: "global.anthropic.claude-haiku-4-5-20251001-v1:0"},
		{name: "other geo preferred than the region's", model: "claude-sonnet-4-6", region: "us-east-1", preferred: "eu", want: "us.anthropic.claude-sonnet-4-6"},
		{name: "us only model", model: "claude-opus-4-1", region: "us-west-2", want: "us.anthropic.claude-opus-4-1-20250805-v1:0"},
		{name: "us only model from eu", model: "claude-opus-4-1", region: "eu-west-1", wantErr: true},
		{name: "sa-east-1 gets global", model: "claude-sonnet-4-5", region: "sa-east-1", want: "global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{name: "ca-central-1 gets global", model: "claude-opus-4-6", region: "ca-central-1", want: "global.anthropic.claude-opus-4-6-v1"},
		{name: "us-only model from ca-central-1 is not ruled out", model: "claude-3-5-haiku-latest", region: "ca-central-1", preferred: "us", want: "us.anthropic.claude-3-5-haiku-20241022-v1:0"},
		{name: "GovCloud", model: "claude-sonnet-4-5", region: "us-gov-west-1", want: "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{name: "GovCloud has no global", model: "claude-sonnet-4-6", region: "us-gov-west-1", wantErr: true},
		{name: "no region", model: "claude-sonnet-4-6", region: "", want: "global.anthropic.claude-sonnet-4-6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := Lookup(tt.model)
			if !ok {
				t.Fatalf("Lookup(%q) failed", tt.model)
			}
			got, err := ProfileID(m, tt.region, tt.preferred)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidModel) {
					t.Fatalf("ProfileID = %q, %v; want an ErrInvalidModel error", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ProfileID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := ProfileID(nil, "us-east-1", ""); err == nil {
		t.Error("ProfileID(nil) succeeded")
	}
}
