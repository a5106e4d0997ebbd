package cli

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// What setup writes is not always what a session uses: a settings file
// of higher precedence may set the same variable, and some variables of
// the environment choose the credentials whatever the file says (a Bedrock
// API key beats a profile; access keys beat a profile in the AWS chain).
// setupOverrides finds each such case before anything is written, so the
// user is not surprised by the closing doctor run.

// scopeRank orders the places a variable can come from, as config.Load
// applies them: a higher rank wins.
var scopeRank = map[config.SourceKind]int{
	config.SourceEnv: 0, config.SourceUser: 1, config.SourceProject: 2, config.SourceLocal: 3,
	config.SourceSettings: 4, config.SourceFlag: 5, config.SourceManaged: 6,
}

// setupOverrides returns one line per variable or credential that will
// override what the plan writes to path, given the configuration loaded
// before setup (cfg, which holds the process environment and every other
// file).
func setupOverrides(cfg *config.Config, plan *setupPlan, path string, written map[string]string) []string {
	if cfg == nil {
		return nil
	}
	target := config.SourceUser
	if plan.Scope == "project" {
		target = config.SourceProject
	}
	// Values that come from the file being replaced are setup's to change.
	elsewhere := func(name string) (config.EnvVar, bool) {
		v, ok := cfg.Env(name)
		if !ok || v.Value == "" || v.Source.Kind != config.SourceEnv && samePath(v.Source.Name, path) {
			return config.EnvVar{}, false
		}
		return v, true
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(written)) {
		v, ok := elsewhere(name)
		if !ok || v.Value == written[name] || scopeRank[v.Source.Kind] <= scopeRank[target] {
			continue
		}
		out = append(out, fmt.Sprintf("%s will be %s, set by %s, which wins over the %s file (this file says %s)",
			name, config.RedactVar(name, v.Value), v.Source, target, config.RedactVar(name, written[name])))
	}

	// The credential the session will use, by awsauth's order.
	method := map[string]string{credSSO: "the profile " + plan.Profile, credLogin: "aws login", credKeys: "the access keys",
		credExport: "awsCredentialExport", credBearer: "the Bedrock API key"}[plan.Credentials]
	if v, ok := elsewhere("CLAUDE_CODE_SKIP_BEDROCK_AUTH"); ok && v.Value != "0" && !strings.EqualFold(v.Value, "false") {
		out = append(out, fmt.Sprintf("CLAUDE_CODE_SKIP_BEDROCK_AUTH (%s) makes basalt send no credentials at all: %s will not be used; unset it unless a gateway signs for you", v.Source, method))
	}
	if plan.Credentials != credBearer {
		if v, ok := elsewhere("AWS_BEARER_TOKEN_BEDROCK"); ok {
			out = append(out, fmt.Sprintf("AWS_BEARER_TOKEN_BEDROCK (%s) is a Bedrock API key, which basalt uses before %s: unset it to use what this file sets", v.Source, method))
		}
	}
	if plan.Credentials == credSSO || plan.Credentials == credLogin {
		id, okID := elsewhere("AWS_ACCESS_KEY_ID")
		_, okSecret := elsewhere("AWS_SECRET_ACCESS_KEY")
		if okID && okSecret {
			out = append(out, fmt.Sprintf("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (%s) are used before the profile %s in the AWS credential chain: unset them to use the profile", id.Source, plan.Profile))
		}
	}
	if v, ok := elsewhere("ANTHROPIC_BEDROCK_BASE_URL"); ok {
		out = append(out, fmt.Sprintf("ANTHROPIC_BEDROCK_BASE_URL (%s) sends requests to %s, not to Bedrock in %s", v.Source, config.RedactText(v.Value), plan.Region))
	}
	return out
}

// writtenEnv is the env map of the file setup is about to write.
func writtenEnv(f *config.SettingsFile) map[string]string {
	out := map[string]string{}
	if env, ok := f.Values()["env"].(map[string]any); ok {
		for k, v := range env {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
	}
	return out
}

func samePath(a, b string) bool {
	return a != "" && filepath.Clean(a) == filepath.Clean(b)
}
