package cli

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/iampolicy"
	"github.com/basalt-dev/basalt/internal/provider"
)

func TestIAMPolicyFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want iamPolicyOptions
	}{
		{nil, iamPolicyOptions{}},
		{[]string{"--json", "--broad"}, iamPolicyOptions{JSON: true, Broad: true}},
		{[]string{"--account", "123456789012"}, iamPolicyOptions{Account: "123456789012"}},
	}
	for _, tt := range tests {
		app, _, _ := testApp()
		var got *iamPolicyOptions
		cmd := newIAMPolicyCmd(app, func(_ context.Context, _ *App, o *iamPolicyOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&tt.want, got); diff != "" {
			t.Errorf("%v: mismatch (-want +got):\n%s", tt.args, diff)
		}
	}
	app, _, _ := testApp()
	cmd := newIAMPolicyCmd(app, nil)
	cmd.SetArgs([]string{"--account", "12345"})
	var usage *UsageError
	if err := cmd.Execute(); !errors.As(err, &usage) {
		t.Errorf("--account 12345: got %v, want a usage error", err)
	}
}

// grantedModels reads the policy's invoke statement.
func invokeResources(t *testing.T, doc map[string]any) []string {
	t.Helper()
	for _, s := range doc["Statement"].([]any) {
		st := s.(map[string]any)
		if st["Sid"] == "InvokeConfiguredModels" {
			var out []string
			for _, r := range st["Resource"].([]any) {
				out = append(out, r.(string))
			}
			return out
		}
	}
	t.Fatal("no InvokeConfiguredModels statement")
	return nil
}

// TestIAMPolicyMatchesProfiles checks the policy against what Bedrock
// (the emulator) says about each configured profile: its ARN, and the
// foundation model in every destination region, nothing more.
func TestIAMPolicyMatchesProfiles(t *testing.T) {
	t.Parallel()
	env := startEmulator(t, emulator.Options{})
	// An independent reading of the profiles, through the provider.
	cfg, err := config.Load(t.Context(), config.Input{Env: env, WorkDir: t.TempDir(), ManagedPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := awsauth.New(t.Context(), awsauth.Options{Env: cfg.EnvMap(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := provider.New(harness.ProviderConfig(cfg, auth))
	if err != nil {
		t.Fatal(err)
	}
	profiles, err := client.ListProfiles(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]provider.Profile{}
	var appARN string
	for _, p := range profiles {
		byID[p.ID], byID[p.ARN] = p, p
		if p.Type == "APPLICATION" && strings.Contains(p.Name, "opus") {
			appARN = p.ARN
		}
	}
	// expect is the resources of a set of profiles, with the account.
	expect := func(account string, ids ...string) []string {
		var out []string
		for _, id := range ids {
			p := byID[id]
			arn := p.ARN
			if account != "" && p.Type != "APPLICATION" {
				arn = strings.Replace(arn, ":123456789012:", ":"+account+":", 1)
			}
			out = append(out, arn)
			out = append(out, p.Models...)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	const sonnetGlobal, haikuUS, opusUS = "global.anthropic.claude-sonnet-4-6", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-opus-4-6-v1"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"defaults", nil, nil, expect("", sonnetGlobal, haikuUS)},
		{"an alias the user set", map[string]string{"ANTHROPIC_DEFAULT_OPUS_MODEL": opusUS}, nil, expect("", sonnetGlobal, haikuUS, opusUS)},
		{"an application profile", map[string]string{"ANTHROPIC_MODEL": appARN}, nil, expect("", appARN, haikuUS)},
		{"another account", nil, []string{"--account", "111122223333"}, expect("111122223333", sonnetGlobal, haikuUS)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := map[string]string{}
			for k, v := range env {
				e[k] = v
			}
			for k, v := range tt.env {
				e[k] = v
			}
			code, out, stderr := runCLI(t, e, append([]string{"iam-policy", "--json"}, tt.args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			got := invokeResources(t, doc)
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("invoke resources mismatch (-want +got):\n%s", diff)
			}
			for _, r := range got {
				if strings.Contains(r, "inference-profile/global.") {
					fm := r[strings.LastIndex(r, "/")+1:]
					fm = strings.TrimPrefix(fm, "global.")
					if !slices.Contains(got, "arn:aws:bedrock:::foundation-model/"+fm) {
						t.Errorf("global profile %s without the region-less foundation-model ARN", r)
					}
				}
			}
			if doc["Version"] != "2012-10-17" {
				t.Errorf("Version = %v", doc["Version"])
			}
		})
	}
}

func TestIAMPolicyStatements(t *testing.T) {
	t.Parallel()
	env := startEmulator(t, emulator.Options{})
	env["ANTHROPIC_CUSTOM_HEADERS"] = "X-Amzn-Bedrock-GuardrailIdentifier: gr1\nX-Amzn-Bedrock-GuardrailVersion: 1"
	code, out, _ := runCLI(t, env, "iam-policy")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	policy, explanation, ok := strings.Cut(out, "\nWhat each statement allows:\n")
	if !ok {
		t.Fatalf("no explanation after the policy:\n%s", out)
	}
	var doc iampolicy.Policy
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatalf("the text output does not start with the JSON policy: %v", err)
	}
	var sids []string
	for _, s := range doc.Statement {
		sids = append(sids, s.Sid)
		if !strings.Contains(explanation, "  "+s.Sid+": ") {
			t.Errorf("statement %s is not explained", s.Sid)
		}
	}
	want := []string{"InvokeConfiguredModels", "ReadConfiguredProfiles", "ListInferenceProfiles", "ApplyConfiguredGuardrail", "AllowMarketplaceSubscription"}
	if diff := cmp.Diff(want, sids); diff != "" {
		t.Errorf("statements mismatch (-want +got):\n%s", diff)
	}
	guard := doc.Statement[3].Resource.([]any)[0]
	if guard != "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1" {
		t.Errorf("guardrail resource %v", guard)
	}
	market := doc.Statement[4]
	if diff := cmp.Diff(map[string]map[string]string{"StringEquals": {"aws:CalledViaLast": "bedrock.amazonaws.com"}}, market.Condition); diff != "" {
		t.Errorf("marketplace condition mismatch (-want +got):\n%s", diff)
	}
}

// TestBroadPolicy is the seed documents' policy, with GetInferenceProfile.
func TestBroadPolicy(t *testing.T) {
	t.Parallel()
	code, out, _ := runCLI(t, map[string]string{}, "iam-policy", "--broad", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowModelAndInferenceProfileAccess",
      "Effect": "Allow",
      "Action": [
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
        "bedrock:ListInferenceProfiles",
        "bedrock:GetInferenceProfile"
      ],
      "Resource": [
        "arn:aws:bedrock:*:*:inference-profile/*",
        "arn:aws:bedrock:*:*:application-inference-profile/*",
        "arn:aws:bedrock:*:*:foundation-model/*"
      ]
    },
    {
      "Sid": "AllowMarketplaceSubscription",
      "Effect": "Allow",
      "Action": [
        "aws-marketplace:ViewSubscriptions",
        "aws-marketplace:Subscribe"
      ],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:CalledViaLast": "bedrock.amazonaws.com"
        }
      }
    }
  ]
}
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestIAMPolicyNeedsBedrock(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-xxxxxxxxxxxx"}, "iam-policy")
	if code != ExitUsage || !strings.Contains(stderr, "iam-policy writes a policy for Amazon Bedrock") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
