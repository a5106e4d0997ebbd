package provider

import (
	"strings"
	"testing"
)

// TestAccessDeniedOnAGatedModel: access denied on Claude Mythos 5 says
// first that the model is for approved organisations only (no IAM policy
// opens it), where any other model gets the IAM advice alone.
func TestAccessDeniedOnAGatedModel(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Provider: Anthropic, APIKey: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		model, want, not string
	}{
		{"us.anthropic.claude-mythos-5", "us.anthropic.claude-mythos-5 is for approved organisations only: Claude Mythos 5 is available only to organisations Anthropic has approved", ""},
		{"us.anthropic.claude-fable-5", "your AWS identity may not invoke us.anthropic.claude-fable-5", "approved organisations"},
	} {
		e := &APIError{Kind: KindAccessDenied, Region: "us-east-1"}
		c.addFix(t.Context(), e, Request{Model: tc.model})
		if !strings.Contains(e.Fix, tc.want) || (tc.not != "" && strings.Contains(e.Fix, tc.not)) {
			t.Errorf("%s: fix %q; want %q", tc.model, e.Fix, tc.want)
		}
	}
}
