package harness

import (
	"errors"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/model"
)

// TestResolveModels: aliases, foundation IDs and application-profile ARNs
// resolve as before the move from provider; a typo names the right model.
func TestResolveModels(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	c, _, err := NewClient(t.Context(), r.config(t), ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
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
		model     string
		primary   string
		smallFast string
		known     bool
		err       string
	}{
		{"defaults", "", "global.anthropic.claude-sonnet-4-6", "us.anthropic.claude-haiku-4-5-20251001-v1:0", true, ""},
		{"alias", "opus", "us.anthropic.claude-opus-4-6-v1", "us.anthropic.claude-haiku-4-5-20251001-v1:0", true, ""},
		{"foundation ID becomes a profile", "anthropic.claude-sonnet-4-6", "us.anthropic.claude-sonnet-4-6", "", true, ""},
		{"application ARN keeps its ID and learns its model", appARN, appARN, "", true, ""},
		{"typo names the right model", "sonet", "", "", false, "did you mean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.env["ANTHROPIC_MODEL"] = tt.model
			if tt.model == "" {
				delete(r.env, "ANTHROPIC_MODEL")
			}
			m, err := ResolveModels(t.Context(), c, r.config(t))
			if tt.err != "" {
				var h interface{ Hint() string }
				hint := ""
				if errors.As(err, &h) {
					hint = h.Hint()
				}
				if !errors.Is(err, model.ErrInvalidModel) || !strings.Contains(err.Error()+hint, tt.err) {
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
