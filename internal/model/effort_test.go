package model

import "testing"

func TestEffortFor(t *testing.T) {
	t.Parallel()
	get := func(id string) *Model {
		m, ok := Lookup(id)
		if !ok {
			t.Fatalf("Lookup(%s): not in the catalog", id)
		}
		return m
	}
	tests := []struct {
		name, id, level, want string
		lowered               bool
	}{
		{"max on Opus 4.6", "global.anthropic.claude-opus-4-6-v1", "max", "max", false},
		{"xhigh on Opus 4.6 comes down to high", "global.anthropic.claude-opus-4-6-v1", "xhigh", "high", true},
		{"max on Opus 4.7", "us.anthropic.claude-opus-4-7", "max", "max", false},
		{"Opus 4.5 takes no effort, as in Claude Code", "us.anthropic.claude-opus-4-5-20251101-v1:0", "high", "", false},
		{"xhigh on Sonnet 5", "us.anthropic.claude-sonnet-5", "xhigh", "xhigh", false},
		{"Haiku 4.5 takes no effort", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "low", "", false},
		{"auto sends nothing", "us.anthropic.claude-fable-5", "auto", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, lowered := get(tc.id).EffortFor(tc.level)
			if got != tc.want || lowered != tc.lowered {
				t.Errorf("EffortFor(%q) = %q, %v; want %q, %v", tc.level, got, lowered, tc.want, tc.lowered)
			}
		})
	}
}
