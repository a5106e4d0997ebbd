package doctor

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
)

// load builds the configuration of a scratch machine: env plus a home
// and a repository, with files written at the given paths (relative to
// the repository root, or to the home for "~/…").
func load(t *testing.T, env map[string]string, files map[string]string) (*config.Config, error) {
	t.Helper()
	dir := t.TempDir()
	home, root := filepath.Join(dir, "home"), filepath.Join(dir, "repo")
	for _, d := range []string{home, filepath.Join(root, ".git")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		p := filepath.Join(root, name)
		if rest, ok := strings.CutPrefix(name, "~/"); ok {
			p = filepath.Join(home, rest)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	full := map[string]string{
		"HOME":                        home,
		"AWS_CONFIG_FILE":             filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, ".aws", "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	for k, v := range env {
		full[k] = v
	}
	// The checks read the project files as a trusted folder would; what
	// an untrusted one leaves out is config's (and cli's) to test.
	return config.Load(t.Context(), config.Input{Env: full, WorkDir: root, ManagedPaths: []string{},
		TrustProject: func(string, string) bool { return true }})
}

// bedrockEnv is a minimal working Bedrock environment.
func bedrockEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"CLAUDE_CODE_USE_BEDROCK": "1",
		"AWS_REGION":              "us-east-1",
		"AWS_ACCESS_KEY_ID":       "AKIAEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":   "secret",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// localRunner is a runner over a loaded configuration, without network.
func localRunner(t *testing.T, env map[string]string, files map[string]string) *runner {
	t.Helper()
	cfg, err := load(t, env, files)
	in := Input{Config: cfg, ConfigErr: err, Now: time.Now, LookPath: lookPath, CredentialsTimeout: 5 * time.Second}
	if cfg.Provider.Value == config.ProviderBedrock {
		in.Auth, in.AuthErr = awsauth.New(t.Context(), awsauth.Options{
			Env: cfg.EnvMap(), Region: cfg.Region.Value, SkipAuth: cfg.SkipBedrockAuth.Value,
			ExportCommand: cfg.AWSCredentialExport.Value,
		})
	}
	in.Roles = ResolveRoles(t.Context(), nil, cfg)
	return &runner{in: in, profiles: map[string]profileList{}}
}

// want is what a test checks of a Check: its status, and substrings of
// its summary and fix.
type want struct {
	status  Status
	summary string
	fix     string
}

func (w want) check(t *testing.T, c Check) {
	t.Helper()
	if c.Status != w.status || !strings.Contains(c.Summary, w.summary) || !strings.Contains(c.Fix, w.fix) {
		t.Errorf("got %s %q (fix %q, detail %q); want %s with %q (fix with %q)", c.Status, c.Summary, c.Fix, c.Detail, w.status, w.summary, w.fix)
	}
}

func TestLocalChecks(t *testing.T) {
	t.Parallel()
	type check func(*runner, context.Context) Check
	provider := func(r *runner, ctx context.Context) Check { return r.checkProvider(ctx) }
	settings := func(r *runner, ctx context.Context) Check { return r.checkSettings(ctx) }
	cfgCheck := func(r *runner, ctx context.Context) Check { return r.checkConfig(ctx) }
	region := func(r *runner, ctx context.Context) Check { return r.checkRegion(ctx) }
	creds := func(r *runner, ctx context.Context) Check { return r.checkCredentials(ctx) }
	commands := func(r *runner, ctx context.Context) Check {
		r.checkCredentials(ctx) // the SSO advice depends on the source
		return r.checkCommands(ctx)
	}
	headers := func(r *runner, ctx context.Context) Check { return r.checkHeaders(ctx) }
	proxy := func(r *runner, ctx context.Context) Check { return r.checkProxy(ctx) }

	tests := []struct {
		name  string
		env   map[string]string
		files map[string]string
		run   check
		want  want
	}{
		{"no provider", map[string]string{}, nil, provider,
			want{StatusFail, "no model provider configured", "CLAUDE_CODE_USE_BEDROCK=1"}},
		{"bedrock", bedrockEnv(nil), nil, provider, want{StatusOK, "Amazon Bedrock (env CLAUDE_CODE_USE_BEDROCK)", ""}},
		{"anthropic", map[string]string{"ANTHROPIC_API_KEY": "sk-ant-0123456789abcdef"}, nil, provider,
			want{StatusOK, "the Anthropic API (env ANTHROPIC_API_KEY)", ""}},

		{"settings file that is not JSON: skipped, as Claude Code does", bedrockEnv(nil), map[string]string{".claude/settings.json": `{"model": }`}, settings,
			want{StatusWarn, "1 settings file skipped: not JSON", "line and column"}},
		{"misspelt key", bedrockEnv(nil), map[string]string{".claude/settings.json": `{"awsCredentialsExport": "x"}`}, settings,
			want{StatusWarn, "misspelt key", "rename the key"}},
		{"misspelt permission key", bedrockEnv(nil), map[string]string{".claude/settings.json": `{"permissions": {"alow": []}}`}, settings,
			want{StatusWarn, "misspelt key", ""}},
		{"Claude Code keys basalt does not use", bedrockEnv(nil), map[string]string{".claude/settings.json": `{"apiKeyHelper": "x", "includeCoAuthoredBy": false}`}, settings,
			want{StatusOK, "Claude Code features basalt ignores: apiKeyHelper, includeCoAuthoredBy", ""}},

		{"bad value", bedrockEnv(map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "lots"}), nil, cfgCheck,
			want{StatusFail, "1 invalid setting", "basalt config show"}},
		{"override key that names no model", bedrockEnv(nil), map[string]string{".claude/settings.json": `{"modelOverrides": {"claude-sonet-4-6": "us.anthropic.claude-sonnet-4-6"}}`}, cfgCheck,
			want{StatusWarn, "1 warning", ""}},
		{"header problems are the headers check's", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "nocolon"}), nil, cfgCheck,
			want{StatusOK, "every setting and variable is valid", ""}},

		{"region from the environment", bedrockEnv(nil), nil, region, want{StatusOK, "us-east-1 (env AWS_REGION)", ""}},
		{"default region", bedrockEnv(map[string]string{"AWS_REGION": ""}), nil, region,
			want{StatusWarn, "us-east-1, the default", "export AWS_REGION="}},
		{"region not used by the Anthropic API", map[string]string{"ANTHROPIC_API_KEY": "k"}, nil, region, want{StatusSkip, "not used", ""}},

		{"access keys", bedrockEnv(nil), nil, creds, want{StatusOK, "access key …MPLE from env AWS_ACCESS_KEY_ID", ""}},
		{"temporary key without its token", bedrockEnv(map[string]string{"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE"}), nil, creds,
			want{StatusFail, "access key …MPLE", "AWS_SESSION_TOKEN"}},
		{"keys shadow the profile", bedrockEnv(map[string]string{"AWS_PROFILE": "dev"}), map[string]string{"~/.aws/config": "[profile dev]\nregion = us-east-1\n"}, creds,
			want{StatusWarn, "access key …MPLE", "unset AWS_ACCESS_KEY_ID"}},
		{"no credentials", bedrockEnv(map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}), nil, creds,
			want{StatusFail, "no usable AWS credentials", "AWS_PROFILE"}},
		{"bearer token", bedrockEnv(map[string]string{"AWS_BEARER_TOKEN_BEDROCK": "ABSKexampletoken1234"}), nil, creds,
			want{StatusOK, "Bedrock API key ****1234", ""}},
		{"skip auth without a gateway", bedrockEnv(map[string]string{"CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1"}), nil, creds,
			want{StatusFail, "no gateway is configured", "ANTHROPIC_BEDROCK_BASE_URL"}},
		{"skip auth behind a gateway", bedrockEnv(map[string]string{"CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1", "ANTHROPIC_BEDROCK_BASE_URL": "https://gw.example.com"}), nil, creds,
			want{StatusOK, "the gateway at https://gw.example.com must authenticate", ""}},

		{"no credential commands", bedrockEnv(nil), nil, commands, want{StatusSkip, "are not set", ""}},
		{"refresh command missing", bedrockEnv(map[string]string{"PATH": "/nonexistent"}), map[string]string{".claude/settings.json": `{"awsAuthRefresh": "aws sso login"}`}, commands,
			want{StatusFail, `runs "aws", which is not on PATH`, "absolute path"}},
		{"refresh command found", bedrockEnv(map[string]string{"PATH": "/bin:/usr/bin"}), map[string]string{".claude/settings.json": `{"awsAuthRefresh": "AWS_PAGER= exec sh -c true"}`}, commands,
			want{StatusOK, "1 command found", ""}},
		{"export unused with a bearer token", bedrockEnv(map[string]string{"AWS_BEARER_TOKEN_BEDROCK": "ABSKexampletoken1234"}), map[string]string{".claude/settings.json": `{"awsCredentialExport": "x"}`}, commands,
			want{StatusWarn, "AWS_BEARER_TOKEN_BEDROCK takes precedence", "remove the setting"}},

		{"no headers", bedrockEnv(nil), nil, headers, want{StatusSkip, "not set", ""}},
		{"malformed header", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier=abc"}), nil, headers,
			want{StatusFail, "is malformed: line 1", "'Name: value'"}},
		{"guardrail without version", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: abc"}), nil, headers,
			want{StatusFail, "without X-Amzn-Bedrock-GuardrailVersion", "needs both"}},
		{"version without guardrail", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailVersion: 1"}), nil, headers,
			want{StatusFail, "no guardrail applies", ""}},
		{"bad guardrail ID", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: My_Guard\nX-Amzn-Bedrock-GuardrailVersion: 1"}), nil, headers,
			want{StatusFail, `"My_Guard" is neither a guardrail ID`, ""}},
		{"bad version", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: abc\nX-Amzn-Bedrock-GuardrailVersion: latest"}), nil, headers,
			want{StatusFail, `X-Amzn-Bedrock-GuardrailVersion: "latest" is not a guardrail version: want a published version number (1, 2, …) or DRAFT`, ""}},
		{"guardrail in another region", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc\nX-Amzn-Bedrock-GuardrailVersion: DRAFT"}), nil, headers,
			want{StatusFail, "guardrails are regional", ""}},
		{"bad trace", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: abc\nX-Amzn-Bedrock-GuardrailVersion: 2\nX-Amzn-Bedrock-Trace: on"}), nil, headers,
			want{StatusFail, `X-Amzn-Bedrock-Trace "on"`, ""}},
		{"guardrail", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "x-amzn-bedrock-guardrailidentifier: abc\nX-Amzn-Bedrock-GuardrailVersion: 2"}), nil, headers,
			want{StatusOK, "guardrail abc version 2", ""}},
		{"authorization dropped", bedrockEnv(map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "Authorization: Bearer abcdefghijklmnop"}), nil, headers,
			want{StatusWarn, "the Authorization header is not sent", ""}},

		{"no proxy", bedrockEnv(nil), nil, proxy, want{StatusOK, "no proxy", ""}},
		{"proxied endpoint", bedrockEnv(map[string]string{"HTTPS_PROXY": "http://user:pw@proxy.example.com:3128"}), nil, proxy,
			want{StatusOK, "requests to bedrock-runtime.us-east-1.amazonaws.com go through http://user:xxxxx@proxy.example.com:3128 (env HTTPS_PROXY)", ""}},
		{"endpoint in NO_PROXY", bedrockEnv(map[string]string{"HTTPS_PROXY": "proxy:3128", "NO_PROXY": ".amazonaws.com"}), nil, proxy,
			want{StatusOK, "go direct: it matches NO_PROXY", ""}},
		{"proxy only in a settings file", bedrockEnv(nil), map[string]string{".claude/settings.json": `{"env": {"HTTPS_PROXY": "http://proxy:3128"}}`}, proxy,
			want{StatusOK, "model requests, ListInferenceProfiles and the AWS SDK's credential calls (SSO, STS) all use it", ""}},
		{"loopback endpoint without NO_PROXY", bedrockEnv(map[string]string{"HTTP_PROXY": "http://proxy:3128", "ANTHROPIC_BEDROCK_BASE_URL": "http://127.0.0.1:9999"}), nil, proxy,
			want{StatusWarn, "NO_PROXY does not cover 127.0.0.1", "add 127.0.0.1,localhost,::1 to NO_PROXY"}},
		{"invalid proxy", bedrockEnv(map[string]string{"HTTPS_PROXY": "proxy example:3128"}), nil, proxy,
			want{StatusFail, "HTTPS_PROXY (env HTTPS_PROXY) is not a proxy URL", "every request fails"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := localRunner(t, tt.env, tt.files)
			tt.want.check(t, tt.run(r, t.Context()))
		})
	}
}

func TestCredentialExpiry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		expires time.Time
		refresh string
		want    want
	}{
		{"hours left", now.Add(3 * time.Hour), "", want{StatusOK, "expire in 2h55m", ""}},
		// The cache renews five minutes early, so 12 minutes is 7.
		{"minutes left, no refresh", now.Add(12 * time.Minute), "", want{StatusWarn, "expire in 7m", "set awsAuthRefresh"}},
		{"minutes left, refresh configured", now.Add(12 * time.Minute), "true", want{StatusOK, "expire in 7m", ""}},
		{"expired", now.Add(-time.Hour), "", want{StatusFail, "expired 1h5m ago", "no awsAuthRefresh is configured"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".sh")
			body := `#!/bin/sh
printf '{"Credentials":{"AccessKeyId":"ASIAEXPIRE","SecretAccessKey":"s","SessionToken":"t","Expiration":"` + tt.expires.Format(time.RFC3339) + `"}}'
`
			if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
				t.Fatal(err)
			}
			js := `{"awsCredentialExport": "` + p + `"`
			if tt.refresh != "" {
				js += `, "awsAuthRefresh": "` + tt.refresh + `"`
			}
			js += "}"
			r := localRunner(t, bedrockEnv(nil), map[string]string{".claude/settings.json": js})
			r.in.Now = func() time.Time { return now }
			c := r.checkCredentials(t.Context())
			tt.want.check(t, c)
		})
	}
}

func TestSSOWithoutRefresh(t *testing.T) {
	t.Parallel()
	r := localRunner(t, bedrockEnv(nil), nil)
	r.credSource = "SSOProvider"
	r.in.Config.Profile = config.Value[string]{Value: "dev"}
	want{StatusWarn, "SSO credentials expire, and awsAuthRefresh is not set", `"awsAuthRefresh": "aws sso login --profile dev"`}.check(t, r.checkCommands(t.Context()))
}

func TestFirstWord(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"aws sso login --profile dev", "aws"},
		{"AWS_PAGER= aws sso login", "aws"},
		{"exec /usr/local/bin/creds --json", "/usr/local/bin/creds"},
		{`"/opt/my tools/x" y`, "/opt/my"},
		{"~/bin/export-creds", "~/bin/export-creds"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := firstWord(tt.in); got != tt.want {
			t.Errorf("firstWord(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	exe := filepath.Join(dir, "tool")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "data")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, path, want string
		err              error
	}{
		{"tool", "/nonexistent:" + dir, exe, nil},
		{"data", dir, "", exec.ErrNotFound},
		{exe, "", exe, nil},
		{"tool", "/nonexistent", "", exec.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := lookPath(tt.file, tt.path)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("lookPath(%q, %q) = %q, %v; want %q, %v", tt.file, tt.path, got, err, tt.want, tt.err)
		}
	}
}

func TestNoProxyMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list, host, port string
		want             bool
	}{
		{"", "example.com", "", false},
		{"*", "example.com", "", true},
		{"example.com", "example.com", "", true},
		{"example.com", "api.example.com", "", true},
		{".example.com", "api.example.com", "", true},
		{".example.com", "example.com", "", true},
		{"example.com", "badexample.com", "", false},
		{"10.0.0.0/8", "10.1.2.3", "", true},
		{"10.0.0.0/8", "11.1.2.3", "", false},
		{"127.0.0.1", "127.0.0.1", "8080", true},
		{"localhost:9000", "localhost", "8080", false},
		{"localhost:8080", "localhost", "8080", true},
		{" a.com , b.com ", "b.com", "", true},
		{"[::1]", "::1", "", true},
	}
	for _, tt := range tests {
		if got := noProxyMatches(tt.list, tt.host, tt.port); got != tt.want {
			t.Errorf("noProxyMatches(%q, %q, %q) = %v, want %v", tt.list, tt.host, tt.port, got, tt.want)
		}
	}
}

type fixedSkew struct {
	d  time.Duration
	ok bool
}

func (f fixedSkew) Skew() (time.Duration, bool) { return f.d, f.ok }

func TestCheckClock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		clock SkewSource
		want  want
	}{
		{"not checked", nil, want{StatusSkip, "not checked", ""}},
		{"no response", fixedSkew{}, want{StatusSkip, "no response", ""}},
		{"in sync", fixedSkew{-400 * time.Millisecond, true}, want{StatusOK, "within 1s of the server's clock", ""}},
		{"drifting", fixedSkew{2 * time.Minute, true}, want{StatusWarn, "2m behind the server's", "enable NTP"}},
		{"too far ahead for SigV4", fixedSkew{-7 * time.Minute, true}, want{StatusFail, "7m ahead of the server's", "synchronise the clock"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &runner{in: Input{Clock: tt.clock}}
			tt.want.check(t, r.checkClock(t.Context()))
		})
	}
}

func TestCheckJSONFields(t *testing.T) {
	t.Parallel()
	// The --json contract: every field present, even when empty.
	r := localRunner(t, bedrockEnv(nil), nil)
	got := Run(t.Context(), Input{Config: r.in.Config, Auth: r.in.Auth, Roles: r.in.Roles})
	if len(got) == 0 {
		t.Fatal("no checks")
	}
	ids := make([]string, len(got))
	for i, c := range got {
		ids[i] = c.ID
	}
	want := []string{"provider", "settings", "config", "permissions", "region", "credentials", "credential-commands", "proxy", "ca-bundles", "client-cert", "proxy-reachable", "tls", "service-tier", "headers", "output",
		"profiles", "model.primary", "model.small-fast", "clock", "caching"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("check IDs mismatch (-want +got):\n%s", diff)
	}
}
