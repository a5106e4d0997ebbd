package model

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPriceFor(t *testing.T) {
	t.Parallel()
	sonnet46, _ := Lookup("claude-sonnet-4-6")
	sonnet4, _ := Lookup("claude-sonnet-4-0")
	opus41, _ := Lookup("claude-opus-4-1")
	tests := []struct {
		name string
		m    *Model
		id   string
		want Price
	}{
		{"global profile", sonnet46, "global.anthropic.claude-sonnet-4-6", sonnetGlobal},
		{"global profile with [1m]", sonnet46, "global.anthropic.claude-sonnet-4-6[1m]", sonnetGlobal},
		{"us profile", sonnet46, "us.anthropic.claude-sonnet-4-6", sonnetRegional},
		{"eu profile", sonnet46, "eu.anthropic.claude-sonnet-4-6", sonnetRegional},
		{"jp profile", sonnet46, "jp.anthropic.claude-sonnet-4-6", sonnetRegional},
		{"bare foundation ID is in-region", sonnet46, "anthropic.claude-sonnet-4-6", sonnetRegional},
		{"foundation-model ARN", sonnet46, "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6", sonnetRegional},
		{"global system-profile ARN", sonnet46, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-6", sonnetGlobal},
		{"us system-profile ARN", sonnet46, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6", sonnetRegional},
		{"application profile: the upper bound", sonnet46, "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3v9x2m7q1ab", sonnetRegional},
		{"Anthropic API ID", sonnet46, "claude-sonnet-4-6", sonnetGlobal},
		{"no premium before Sonnet 4.5", sonnet4, "us.anthropic.claude-sonnet-4-20250514-v1:0", sonnetGlobal},
		{"Opus 4.1 in us", opus41, "us.anthropic.claude-opus-4-1-20250805-v1:0", opus4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.m.PriceFor(tt.id)); diff != "" {
				t.Errorf("PriceFor(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestLongContextPriceFor(t *testing.T) {
	t.Parallel()
	sonnet45, _ := Lookup("claude-sonnet-4-5")
	sonnet4, _ := Lookup("claude-sonnet-4-0")
	sonnet46, _ := Lookup("claude-sonnet-4-6")
	regional := Price{Input: 6.6, Output: 24.75, CacheWrite5m: 8.25, CacheWrite1h: 13.2, CacheRead: 0.66}
	tests := []struct {
		name   string
		m      *Model
		id     string
		want   Price
		wantOK bool
	}{
		{"Sonnet 4.5 global", sonnet45, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", sonnetLong, true},
		{"Sonnet 4.5 regional", sonnet45, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", regional, true},
		{"Sonnet 4 has no regional premium", sonnet4, "us.anthropic.claude-sonnet-4-20250514-v1:0", sonnetLong, true},
		{"Sonnet 4.6 bills 1M at standard price", sonnet46, "us.anthropic.claude-sonnet-4-6", Price{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.m.LongContextPriceFor(tt.id)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
