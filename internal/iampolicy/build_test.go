package iampolicy

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// fakeProfiles answers from a table; an ID it does not hold fails like an
// identity without GetInferenceProfile.
type fakeProfiles struct {
	byID map[string]provider.Profile
	err  error
}

func (f fakeProfiles) GetProfile(_ context.Context, id string) (provider.Profile, error) {
	if p, ok := f.byID[id]; ok {
		return p, nil
	}
	return provider.Profile{}, f.err
}

func (f fakeProfiles) ListProfiles(context.Context, string) ([]provider.Profile, error) {
	if f.err != nil {
		return nil, f.err
	}
	var out []provider.Profile
	for _, p := range f.byID {
		out = append(out, p)
	}
	return out, nil
}

// TestBuildWithoutLookups: when Bedrock cannot say where a profile
// routes, the policy still grants what is needed (the model in every
// region), never less, and says so.
func TestBuildWithoutLookups(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(t.Context(), config.Input{
		Env:     map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1", "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "us-west-2"},
		WorkDir: t.TempDir(), ManagedPaths: []string{},
	})
	if err != nil {
		t.Fatal(err)
	}
	roles := doctor.InUse(doctor.ResolveRoles(t.Context(), nil, cfg))
	doc, warnings, err := Build(t.Context(), fakeProfiles{err: errors.New("AccessDeniedException")}, Input{Region: cfg.Region.Value, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	got := doc.Statement[0].Resource.([]string)
	want := []string{
		"arn:aws:bedrock:eu-west-1:*:inference-profile/global.anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:us-west-2:*:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
		"arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
		"arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
		"arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "the policy grants anthropic.claude-sonnet-4-6 in every region") {
		t.Errorf("warnings = %q", warnings)
	}
	if _, err := json.Marshal(doc); err != nil {
		t.Errorf("not valid JSON: %v", err)
	}
}

// TestBuildFromProfiles: the profile and exactly its destinations, the
// account Bedrock reports, and the guardrail in the same account.
func TestBuildFromProfiles(t *testing.T) {
	t.Parallel()
	const id = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	profiles := fakeProfiles{byID: map[string]provider.Profile{id: {
		ID: id, ARN: "arn:aws:bedrock:us-east-1:444455556666:inference-profile/" + id, Type: "SYSTEM_DEFINED",
		Models: []string{
			"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
			"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
		},
	}}}
	m, _ := model.Lookup(id)
	roles := []doctor.Role{{Name: "primary", Region: "us-east-1", Configured: true, Resolved: model.Resolved{ID: id, Model: m}}}
	tests := []struct {
		name      string
		in        Input
		wantGuard []string // nil: no guardrail statement
	}{
		{"no guardrail", Input{Region: "us-east-1", Roles: roles}, nil},
		{"guardrail by ID", Input{Region: "us-east-1", Roles: roles, Guardrail: config.Guardrail{ID: "gr1", Version: "1"}},
			[]string{"arn:aws:bedrock:us-east-1:444455556666:guardrail/gr1"}},
		{"guardrail by ARN", Input{Region: "us-east-1", Roles: roles, Guardrail: config.Guardrail{ID: "arn:aws:bedrock:us-east-1:777788889999:guardrail/gr2", Version: "DRAFT"}},
			[]string{"arn:aws:bedrock:us-east-1:777788889999:guardrail/gr2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, warnings, err := Build(t.Context(), profiles, tt.in)
			if err != nil || len(warnings) > 0 {
				t.Fatalf("err %v, warnings %q", err, warnings)
			}
			want := []string{
				"arn:aws:bedrock:us-east-1:444455556666:inference-profile/" + id,
				"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
				"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
			}
			if diff := cmp.Diff(want, doc.Statement[0].Resource); diff != "" {
				t.Errorf("invoke resources mismatch (-want +got):\n%s", diff)
			}
			var guard []string
			for _, s := range doc.Statement {
				if s.Sid == "ApplyConfiguredGuardrail" {
					guard = s.Resource.([]string)
				}
				if s.Why == "" {
					t.Errorf("statement %s has no explanation", s.Sid)
				}
			}
			if diff := cmp.Diff(tt.wantGuard, guard); diff != "" {
				t.Errorf("guardrail mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildFailsOnUnresolvedRole: a policy for a model basalt could not
// resolve would be a guess; the role's own error says what to fix.
func TestBuildFailsOnUnresolvedRole(t *testing.T) {
	t.Parallel()
	bad := errors.New("unknown model alias")
	_, _, err := Build(t.Context(), fakeProfiles{}, Input{Region: "us-east-1", Roles: []doctor.Role{{Name: "primary", Err: bad}}})
	if !errors.Is(err, bad) {
		t.Errorf("err = %v, want the role's", err)
	}
}

func TestPartition(t *testing.T) {
	t.Parallel()
	for region, want := range map[string]string{"us-east-1": "aws", "eu-west-1": "aws", "us-gov-west-1": "aws-us-gov", "cn-north-1": "aws-cn", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b"} {
		if got := Partition(region); got != want {
			t.Errorf("Partition(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestValidAccount(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"123456789012": true, "12345": false, "1234567890123": false, "12345678901a": false, "": false} {
		if got := ValidAccount(s); got != want {
			t.Errorf("ValidAccount(%q) = %v", s, got)
		}
	}
}
