package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

func TestModelsJSON(t *testing.T) {
	t.Parallel()
	env := startEmulator(t, emulator.Options{Models: []string{
		"global.anthropic.claude-sonnet-4-6", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-opus-5-5",
	}})
	env["ANTHROPIC_DEFAULT_OPUS_MODEL"] = "us.anthropic.claude-opus-4-6-v1"
	code, out, stderr := runCLI(t, env, "models", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var v modelsView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	type role struct{ Role, ID, Source, Endpoint string }
	var roles []role
	for _, r := range v.Roles {
		endpoint := ""
		if r.Price != nil {
			endpoint = r.Price.Endpoint
		}
		roles = append(roles, role{r.Role, r.ID, r.Source, endpoint})
	}
	wantRoles := []role{
		{"primary", "global.anthropic.claude-sonnet-4-6", "default", "global"},
		{"small/fast", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "default", "regional"},
		{"opus", "us.anthropic.claude-opus-4-6-v1", "env ANTHROPIC_DEFAULT_OPUS_MODEL", "regional"},
		{"sonnet", "us.anthropic.claude-sonnet-4-6", "catalog", "regional"},
		{"haiku", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "catalog", "regional"},
	}
	if diff := cmp.Diff(wantRoles, roles); diff != "" {
		t.Errorf("roles mismatch (-want +got):\n%s", diff)
	}
	if p := v.Roles[0]; p.ContextWindow != 200_000 || p.MaxOutput != 128_000 || p.MaxTokens != 32_000 || p.Price.Input != 3 || p.Price.CacheRead != 0.3 {
		t.Errorf("primary: %+v %+v", p, p.Price)
	}

	type profile struct {
		ID     string
		Usable bool
		UsedBy string
	}
	var profiles []profile
	for _, p := range v.Profiles {
		profiles = append(profiles, profile{p.ID, p.Usable, strings.Join(p.UsedBy, ",")})
	}
	wantProfiles := []profile{
		{"global.anthropic.claude-sonnet-4-6", true, "primary"},
		{"h7p2r5t8w4cd", true, ""},
		{"k3v9x2m7q1ab", true, ""},
		// A model newer than basalt's catalog: listed, not usable with
		// known prices.
		{"us.anthropic.claude-haiku-4-5-20251001-v1:0", true, "small/fast,haiku"},
		{"us.anthropic.claude-opus-5-5", false, ""},
	}
	if diff := cmp.Diff(wantProfiles, profiles); diff != "" {
		t.Errorf("profiles mismatch (-want +got):\n%s", diff)
	}
}

func TestModelsText(t *testing.T) {
	t.Parallel()
	env := startEmulator(t, emulator.Options{})
	env["ANTHROPIC_MODEL"] = "anthropic.claude-sonnet-4-6"
	code, out, _ := runCLI(t, env, "models")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"ROLE        ID ",
		"primary     us.anthropic.claude-sonnet-4-6 ",
		"3.3/16.5/4.125/6.6/0.33 regional",
		"note: primary: anthropic.claude-sonnet-4-6 is a foundation-model ID",
		"Claude inference profiles in us-east-1:",
		"us.anthropic.claude-sonnet-4-6 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestModelsErrors: a role that does not resolve is shown and makes the
// exit code 2; a listing that fails still shows the roles.
func TestModelsErrors(t *testing.T) {
	t.Parallel()
	env := startEmulator(t, emulator.Options{Credentials: &emulator.Credentials{}})
	code, out, stderr := runCLI(t, env, "models")
	if code != ExitFailure || !strings.Contains(out, "primary     global.anthropic.claude-sonnet-4-6") || !strings.Contains(out, "could not list them") {
		t.Errorf("refused credentials: exit %d\n%s", code, out)
	}
	if !strings.Contains(stderr, "hint: `basalt doctor` checks") {
		t.Errorf("stderr %q", stderr)
	}

	env = startEmulator(t, emulator.Options{})
	env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = "hiaku"
	code, out, stderr = runCLI(t, env, "models")
	if code != ExitUsage || !strings.Contains(out, "haiku       error") || !strings.Contains(stderr, `unknown model "hiaku"`) {
		t.Errorf("misspelt alias: exit %d\n%s\n%s", code, out, stderr)
	}
}
