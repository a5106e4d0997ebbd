package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/provider"
)

// startEmulator serves a Bedrock emulator on a loopback port for the test
// and returns the environment of a sandboxed user pointed at it.
func startEmulator(t *testing.T, opts emulator.Options) map[string]string {
	t.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	home := t.TempDir()
	return map[string]string{
		"HOME":                        home,
		"PATH":                        os.Getenv("PATH"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, ".aws", "credentials"),
		"CLAUDE_CODE_USE_BEDROCK":     "1",
		"AWS_REGION":                  "us-east-1",
		"AWS_ACCESS_KEY_ID":           "AKIAEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"ANTHROPIC_BEDROCK_BASE_URL":  "http://" + ln.Addr().String(),
	}
}

// runCLI runs basalt with args in env and returns the exit code and
// output.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &App{IO: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, Env: env, WorkDir: t.TempDir(), ManagedPaths: []string{}}
	code = run(t.Context(), app, args)
	return code, out.String(), errOut.String()
}

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
	var doc policyDoc
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

// fakeProfiles fails every lookup, like an identity without
// GetInferenceProfile.
type fakeProfiles struct{ err error }

func (f fakeProfiles) GetProfile(context.Context, string) (provider.Profile, error) {
	return provider.Profile{}, f.err
}
func (f fakeProfiles) ListProfiles(context.Context, string) ([]provider.Profile, error) {
	return nil, f.err
}

// TestBuildPolicyWithoutLookups: when Bedrock cannot say where a profile
// routes, the policy still grants what is needed (the model in every
// region), never less, and says so.
func TestBuildPolicyWithoutLookups(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(t.Context(), config.Input{
		Env:     map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1", "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "us-west-2"},
		WorkDir: t.TempDir(), ManagedPaths: []string{},
	})
	if err != nil {
		t.Fatal(err)
	}
	roles := doctor.InUse(doctor.ResolveRoles(t.Context(), nil, cfg))
	doc, warnings, err := buildPolicy(t.Context(), fakeProfiles{errors.New("AccessDeniedException")}, cfg, roles, "")
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

func TestIAMPolicyNeedsBedrock(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, map[string]string{"ANTHROPIC_API_KEY": "sk-ant-xxxxxxxxxxxx"}, "iam-policy")
	if code != ExitUsage || !strings.Contains(stderr, "iam-policy writes a policy for Amazon Bedrock") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestPartitionOf(t *testing.T) {
	t.Parallel()
	for region, want := range map[string]string{"us-east-1": "aws", "eu-west-1": "aws", "us-gov-west-1": "aws-us-gov", "cn-north-1": "aws-cn", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b"} {
		if got := partitionOf(region); got != want {
			t.Errorf("partitionOf(%s) = %s, want %s", region, got, want)
		}
	}
}
