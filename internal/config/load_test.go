package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fixture is a scratch machine: a home, a repository with a
// subdirectory as the working directory, and a managed-policy path.
type fixture struct {
	t       *testing.T
	home    string
	root    string
	workDir string
	managed string
	env     map[string]string
	flags   Flags
	// untrusted leaves the project's risky settings out; the precedence
	// tests trust the folder, the trust tests (trust_test.go) do not.
	untrusted bool
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{
		t:       t,
		home:    filepath.Join(dir, "home"),
		root:    filepath.Join(dir, "repo"),
		managed: filepath.Join(dir, "etc", "managed-settings.json"),
	}
	f.workDir = filepath.Join(f.root, "sub", "dir")
	for _, d := range []string{f.home, filepath.Join(f.root, ".git"), f.workDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.env = map[string]string{"HOME": f.home}
	return f
}

// Paths of each level, basalt's and Claude Code's.
func (f *fixture) user() string          { return filepath.Join(f.home, ".config", "basalt", "settings.json") }
func (f *fixture) claudeUser() string    { return filepath.Join(f.home, ".claude", "settings.json") }
func (f *fixture) project() string       { return filepath.Join(f.root, ".basalt", "settings.json") }
func (f *fixture) claudeProject() string { return filepath.Join(f.root, ".claude", "settings.json") }
func (f *fixture) local() string         { return filepath.Join(f.root, ".basalt", "settings.local.json") }
func (f *fixture) claudeLocal() string {
	return filepath.Join(f.root, ".claude", "settings.local.json")
}

func (f *fixture) write(path, content string) string {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
	return path
}

func (f *fixture) load() (*Config, error) {
	f.t.Helper()
	return Load(f.t.Context(), Input{Env: f.env, WorkDir: f.workDir, ManagedPaths: []string{f.managed}, Flags: f.flags,
		TrustProject: func(string, string) bool { return !f.untrusted }})
}

func (f *fixture) mustLoad() *Config {
	f.t.Helper()
	c, err := f.load()
	if err != nil {
		f.t.Fatalf("load: %v", err)
	}
	return c
}

func modelIn(m string) string { return `{"model": "` + m + `"}` }

func TestModelPrecedence(t *testing.T) {
	t.Parallel()
	// Each case sets two adjacent levels; the higher one must win.
	type setup func(f *fixture)
	user := func(f *fixture) { f.write(f.user(), modelIn("user")) }
	project := func(f *fixture) { f.write(f.project(), modelIn("project")) }
	local := func(f *fixture) { f.write(f.local(), modelIn("local")) }
	settings := func(f *fixture) {
		f.flags.SettingsFile = f.write(filepath.Join(f.root, "extra.json"), modelIn("settings"))
	}
	env := func(f *fixture) { f.env["ANTHROPIC_MODEL"] = "env" }
	fileEnv := func(f *fixture) { f.write(f.user(), `{"env": {"ANTHROPIC_MODEL": "user-env"}}`) }
	flag := func(f *fixture) { f.flags.Model = "flag" }
	managed := func(f *fixture) { f.write(f.managed, modelIn("managed")) }
	managedEnv := func(f *fixture) { f.write(f.managed, `{"env": {"ANTHROPIC_MODEL": "managed-env"}}`) }

	tests := []struct {
		name   string
		setups []setup
		want   string
		source SourceKind
	}{
		{"default", nil, "global.anthropic.claude-sonnet-4-6", SourceDefault},
		{"project over user", []setup{user, project}, "project", SourceProject},
		{"local over project", []setup{project, local}, "local", SourceLocal},
		{"settings over local", []setup{local, settings}, "settings", SourceSettings},
		{"env over settings", []setup{settings, env}, "env", SourceEnv},
		{"env map of a file over model keys", []setup{fileEnv, local}, "user-env", SourceUser},
		{"flag over env", []setup{env, flag}, "flag", SourceFlag},
		{"managed over flag", []setup{flag, managed}, "managed", SourceManaged},
		{"managed env over flag and env", []setup{env, flag, managedEnv}, "managed-env", SourceManaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.env["CLAUDE_CODE_USE_BEDROCK"] = "1"
			for _, s := range tt.setups {
				s(f)
			}
			c := f.mustLoad()
			if c.Model.Value != tt.want || c.Model.Source.Kind != tt.source {
				t.Errorf("model = %q from %s, want %q from %s", c.Model.Value, c.Model.Source, tt.want, tt.source)
			}
		})
	}
}

func TestEnvPrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		user    string
		project string
		local   string
		proc    string
		managed string
		want    string
		source  SourceKind
	}{
		{name: "user only", user: "uu", want: "uu", source: SourceUser},
		{name: "project over user", user: "uu", project: "pp", want: "pp", source: SourceProject},
		{name: "local over project", project: "pp", local: "ll", want: "ll", source: SourceLocal},
		{name: "process alone", proc: "ee", want: "ee", source: SourceEnv},
		{name: "files over process, as in Claude Code", user: "uu", local: "ll", proc: "ee", want: "ll", source: SourceLocal},
		{name: "user file over process", user: "uu", proc: "ee", want: "uu", source: SourceUser},
		{name: "managed over process", proc: "ee", managed: "mm", want: "mm", source: SourceManaged},
		{name: "managed over local", local: "ll", managed: "mm", want: "mm", source: SourceManaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			envFile := func(v string) string { return `{"env": {"AWS_REGION": "` + v + `-west-1"}}` }
			if tt.user != "" {
				f.write(f.user(), envFile(tt.user))
			}
			if tt.project != "" {
				f.write(f.project(), envFile(tt.project))
			}
			if tt.local != "" {
				f.write(f.local(), envFile(tt.local))
			}
			if tt.managed != "" {
				f.write(f.managed, envFile(tt.managed))
			}
			if tt.proc != "" {
				f.env["AWS_REGION"] = tt.proc + "-west-1"
			}
			c := f.mustLoad()
			if got := c.Region; got.Value != tt.want+"-west-1" || got.Source.Kind != tt.source {
				t.Errorf("region = %q from %s, want %s-west-1 from %s", got.Value, got.Source, tt.want, tt.source)
			}
		})
	}
}

func TestClaudeCodeFallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		basalt, claude func(*fixture) string
		level          Level
	}{
		{"user", (*fixture).user, (*fixture).claudeUser, LevelUser},
		{"project", (*fixture).project, (*fixture).claudeProject, LevelProject},
		{"local", (*fixture).local, (*fixture).claudeLocal, LevelLocal},
	}
	for _, tt := range tests {
		t.Run(tt.name+" falls back to Claude Code", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			path := f.write(tt.claude(f), modelIn("claude"))
			c := f.mustLoad()
			if c.Model.Value != "claude" || c.Model.Source.Name != path {
				t.Errorf("model = %q from %s, want claude from %s", c.Model.Value, c.Model.Source, path)
			}
			if got := fileAt(c, tt.level); got.Path != path || got.Status != StatusLoaded {
				t.Errorf("file = %+v, want %s loaded", got, path)
			}
		})
		t.Run(tt.name+" prefers basalt", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.write(tt.claude(f), modelIn("claude"))
			path := f.write(tt.basalt(f), modelIn("basalt"))
			c := f.mustLoad()
			if c.Model.Value != "basalt" || c.Model.Source.Name != path {
				t.Errorf("model = %q from %s, want basalt from %s", c.Model.Value, c.Model.Source, path)
			}
		})
	}
}

func fileAt(c *Config, l Level) *File {
	for _, f := range c.Files {
		if f.Level == l {
			return f
		}
	}
	return &File{}
}

func TestXDGConfigHome(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	xdg := filepath.Join(f.home, "xdg")
	f.env["XDG_CONFIG_HOME"] = xdg
	path := f.write(filepath.Join(xdg, "basalt", "settings.json"), modelIn("xdg"))
	f.write(f.user(), modelIn("not-this"))
	if c := f.mustLoad(); c.Model.Value != "xdg" || c.Model.Source.Name != path {
		t.Errorf("model = %q from %s, want xdg", c.Model.Value, c.Model.Source)
	}
}

func TestProjectRoot(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if got := ProjectRoot(f.workDir); got != f.root {
		t.Errorf("ProjectRoot = %s, want %s", got, f.root)
	}
	plain := t.TempDir()
	if got := ProjectRoot(plain); got != plain && !strings.HasPrefix(plain, got) {
		t.Errorf("ProjectRoot without .git = %s, want %s or an ancestor holding .git", got, plain)
	}
}

func TestProvider(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      map[string]string
		want     Provider
		source   string
		warnings int
		wantErr  string
	}{
		{"none", nil, ProviderNone, "default", 0, ""},
		{"bedrock", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"}, ProviderBedrock, "env CLAUDE_CODE_USE_BEDROCK", 0, ""},
		{"bedrock true", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "TRUE"}, ProviderBedrock, "env CLAUDE_CODE_USE_BEDROCK", 0, ""},
		{"bedrock off", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "0"}, ProviderNone, "default", 0, ""},
		{"anthropic", map[string]string{"ANTHROPIC_API_KEY": "sk-ant-123456789"}, ProviderAnthropic, "env ANTHROPIC_API_KEY", 0, ""},
		{"both: bedrock wins with a warning", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "yes", "ANTHROPIC_API_KEY": "k"}, ProviderBedrock, "env CLAUDE_CODE_USE_BEDROCK", 1, ""},
		{"not a boolean", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "maybe"}, ProviderNone, "default", 0, `CLAUDE_CODE_USE_BEDROCK="maybe" (env CLAUDE_CODE_USE_BEDROCK): want 1, true, yes or on`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for k, v := range tt.env {
				f.env[k] = v
			}
			c, err := f.load()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if c.Provider.Value != tt.want || c.Provider.Source.String() != tt.source {
				t.Errorf("provider = %q from %s, want %q from %s", c.Provider.Value, c.Provider.Source, tt.want, tt.source)
			}
			if len(c.Warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", c.Warnings, tt.warnings)
			}
			if (c.RequireProvider() != nil) != (tt.want == ProviderNone) {
				t.Errorf("RequireProvider = %v", c.RequireProvider())
			}
		})
	}
}

func TestRegionSources(t *testing.T) {
	t.Parallel()
	awsConfig := "[default]\nregion = ap-northeast-1\n\n[profile work]\nregion = eu-central-1\n"
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		source  string
		warning string
	}{
		{"AWS_REGION first", map[string]string{"AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-west-1"}, "us-west-2", "env AWS_REGION", ""},
		{"then AWS_DEFAULT_REGION", map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1", "env AWS_DEFAULT_REGION", ""},
		{"then the default profile", nil, "ap-northeast-1", "profile default (CONFIG)", ""},
		{"then AWS_PROFILE's region", map[string]string{"AWS_PROFILE": "work"}, "eu-central-1", "profile work (CONFIG)", ""},
		{"unknown profile", map[string]string{"AWS_PROFILE": "nope"}, "us-east-1", "default", "AWS_PROFILE=nope (env AWS_PROFILE): no such profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			cfgPath := f.write(filepath.Join(f.home, ".aws", "config"), awsConfig)
			for k, v := range tt.env {
				f.env[k] = v
			}
			c := f.mustLoad()
			want := strings.ReplaceAll(tt.source, "CONFIG", cfgPath)
			if c.Region.Value != tt.want || c.Region.Source.String() != want {
				t.Errorf("region = %q from %s, want %q from %s", c.Region.Value, c.Region.Source, tt.want, want)
			}
			if tt.warning != "" && !strings.Contains(strings.Join(c.Warnings, "\n"), tt.warning) {
				t.Errorf("warnings %q lack %q", c.Warnings, tt.warning)
			}
		})
	}
	t.Run("AWS_CONFIG_FILE", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		path := f.write(filepath.Join(f.root, "awscfg"), "[default]\nregion = sa-east-1\n")
		f.env["AWS_CONFIG_FILE"] = path
		if c := f.mustLoad(); c.Region.Value != "sa-east-1" {
			t.Errorf("region = %q, want sa-east-1 from AWS_CONFIG_FILE", c.Region.Value)
		}
	})
	t.Run("no files: us-east-1", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		if c := f.mustLoad(); c.Region.Value != "us-east-1" || c.Region.Source.Kind != SourceDefault {
			t.Errorf("region = %q from %s", c.Region.Value, c.Region.Source)
		}
	})
}

// TestEnvironmentVariables sets each variable of DESIGN.md §4 and checks
// the typed value it produces.
func TestEnvironmentVariables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		got  func(*Config) any
		want any
	}{
		{"ANTHROPIC_MODEL", map[string]string{"ANTHROPIC_MODEL": "opus"}, func(c *Config) any { return c.Model.Value }, "opus"},
		{"ANTHROPIC_SMALL_FAST_MODEL", map[string]string{"ANTHROPIC_SMALL_FAST_MODEL": "haiku"}, func(c *Config) any { return c.SmallFastModel.Value }, "haiku"},
		{"small fast default", nil, func(c *Config) any { return c.SmallFastModel.Value }, "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
		{"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", map[string]string{"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "us-west-2"}, func(c *Config) any { return c.SmallFastRegion.Value }, "us-west-2"},
		{"ANTHROPIC_DEFAULT_OPUS_MODEL", map[string]string{"ANTHROPIC_DEFAULT_OPUS_MODEL": "o"}, func(c *Config) any { return c.OpusModel.Value }, "o"},
		{"ANTHROPIC_DEFAULT_SONNET_MODEL", map[string]string{"ANTHROPIC_DEFAULT_SONNET_MODEL": "s"}, func(c *Config) any { return c.SonnetModel.Value }, "s"},
		{"ANTHROPIC_DEFAULT_HAIKU_MODEL", map[string]string{"ANTHROPIC_DEFAULT_HAIKU_MODEL": "h"}, func(c *Config) any { return c.HaikuModel.Value }, "h"},
		{"DISABLE_PROMPT_CACHING", map[string]string{"DISABLE_PROMPT_CACHING": "1"}, func(c *Config) any { return c.DisablePromptCaching.Value }, true},
		{"DISABLE_PROMPT_CACHING_OPUS", map[string]string{"DISABLE_PROMPT_CACHING_OPUS": "true"}, func(c *Config) any { return c.DisablePromptCachingOpus.Value }, true},
		{"DISABLE_PROMPT_CACHING_SONNET", map[string]string{"DISABLE_PROMPT_CACHING_SONNET": "on"}, func(c *Config) any { return c.DisablePromptCachingSonnet.Value }, true},
		{"DISABLE_PROMPT_CACHING_HAIKU", map[string]string{"DISABLE_PROMPT_CACHING_HAIKU": "yes"}, func(c *Config) any { return c.DisablePromptCachingHaiku.Value }, true},
		{"ENABLE_PROMPT_CACHING_1H", map[string]string{"ENABLE_PROMPT_CACHING_1H": "1"}, func(c *Config) any { return c.PromptCaching1H.Value }, true},
		{"ENABLE_PROMPT_CACHING_1H_BEDROCK alias", map[string]string{"ENABLE_PROMPT_CACHING_1H_BEDROCK": "1"}, func(c *Config) any { return c.PromptCaching1H.Source.String() }, "env ENABLE_PROMPT_CACHING_1H_BEDROCK"},
		{"new name beats the alias", map[string]string{"ENABLE_PROMPT_CACHING_1H_BEDROCK": "1", "ENABLE_PROMPT_CACHING_1H": "0"}, func(c *Config) any { return c.PromptCaching1H.Value }, false},
		{"FORCE_PROMPT_CACHING_5M", map[string]string{"FORCE_PROMPT_CACHING_5M": "1"}, func(c *Config) any { return c.ForcePromptCaching5M.Value }, true},
		{"CLAUDE_CODE_MAX_OUTPUT_TOKENS", map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "4096"}, func(c *Config) any { return c.MaxOutputTokens.Value }, 4096},
		{"MAX_THINKING_TOKENS", map[string]string{"MAX_THINKING_TOKENS": "1024"}, func(c *Config) any { return c.MaxThinkingTokens.Value }, 1024},
		{"ANTHROPIC_CUSTOM_HEADERS", map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: gr-1\nX-Amzn-Bedrock-GuardrailVersion: 2\n"},
			func(c *Config) any { return c.CustomHeaders.Value },
			[]Header{{"X-Amzn-Bedrock-GuardrailIdentifier", "gr-1"}, {"X-Amzn-Bedrock-GuardrailVersion", "2"}}},
		{"ANTHROPIC_BEDROCK_BASE_URL", map[string]string{"ANTHROPIC_BEDROCK_BASE_URL": "http://127.0.0.1:4000"}, func(c *Config) any { return c.BedrockBaseURL.Value }, "http://127.0.0.1:4000"},
		{"CLAUDE_CODE_SKIP_BEDROCK_AUTH", map[string]string{"CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1"}, func(c *Config) any { return c.SkipBedrockAuth.Value }, true},
		{"ANTHROPIC_BASE_URL", map[string]string{"ANTHROPIC_BASE_URL": "https://proxy.example.com"}, func(c *Config) any { return c.AnthropicBaseURL.Value }, "https://proxy.example.com"},
		{"AWS_PROFILE", map[string]string{"AWS_PROFILE": "dev"}, func(c *Config) any { return c.Profile.Value }, "dev"},
		{"BASALT_LOG", map[string]string{"BASALT_LOG": "DEBUG"}, func(c *Config) any { return c.LogLevel.Value }, "debug"},
		{"XDG_STATE_HOME", map[string]string{"XDG_STATE_HOME": "/state"}, func(c *Config) any { return c.StateDir }, "/state/basalt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.env["CLAUDE_CODE_USE_BEDROCK"] = "1"
			for k, v := range tt.env {
				f.env[k] = v
			}
			c := f.mustLoad()
			if diff := cmp.Diff(tt.want, tt.got(c)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInvalidValues checks that every bad value is reported, all at once,
// naming the variable and where it came from.
func TestInvalidValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		file string // user settings
		want []string
	}{
		{"output tokens not a number", map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "lots"}, "",
			[]string{`CLAUDE_CODE_MAX_OUTPUT_TOKENS="lots" (env CLAUDE_CODE_MAX_OUTPUT_TOKENS): want a whole number ≥ 1`}},
		{"output tokens negative, from a file", nil, `{"env": {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "-5"}}`,
			[]string{`CLAUDE_CODE_MAX_OUTPUT_TOKENS="-5" (user USER (env.CLAUDE_CODE_MAX_OUTPUT_TOKENS)): want a whole number ≥ 1`}},
		{"thinking negative", map[string]string{"MAX_THINKING_TOKENS": "-1"}, "",
			[]string{`MAX_THINKING_TOKENS="-1" (env MAX_THINKING_TOKENS): want a whole number ≥ 0`}},
		{"bad header line", map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-A: 1\nno colon here"}, "",
			[]string{`ANTHROPIC_CUSTOM_HEADERS (env ANTHROPIC_CUSTOM_HEADERS): line 2: want 'Name: value'`}},
		{"bad base URL", map[string]string{"ANTHROPIC_BEDROCK_BASE_URL": "localhost:4000"}, "",
			[]string{`ANTHROPIC_BEDROCK_BASE_URL="localhost:4000" (env ANTHROPIC_BEDROCK_BASE_URL): want an http:// or https:// URL with a host, e.g. https://bedrock-gateway.example.com`}},
		{"bad region", map[string]string{"AWS_REGION": "us-east"}, "",
			[]string{`region "us-east" (env AWS_REGION) is not an AWS region name; use one like us-east-1 or eu-west-1`}},
		// A malformed rule, and a mode basalt does not know in a file, are
		// kept with a warning (see rules_test.go); a bad mode flag is not.
		{"all at once", map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "x", "MAX_THINKING_TOKENS": "y", "BASALT_LOG": "loud"}, "",
			[]string{`CLAUDE_CODE_MAX_OUTPUT_TOKENS="x" (env CLAUDE_CODE_MAX_OUTPUT_TOKENS): want a whole number ≥ 1`,
				`MAX_THINKING_TOKENS="y" (env MAX_THINKING_TOKENS): want a whole number ≥ 0`,
				`BASALT_LOG="loud" (env BASALT_LOG): want one of debug, info, warn, error`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for k, v := range tt.env {
				f.env[k] = v
			}
			if tt.file != "" {
				f.write(f.user(), tt.file)
			}
			_, err := f.load()
			cfgErr, ok := err.(*Error)
			if !ok {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			var got []string
			for _, p := range cfgErr.Problems {
				got = append(got, strings.ReplaceAll(p.Error(), f.user(), "USER"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileProblems(t *testing.T) {
	t.Parallel()
	t.Run("a file that is not JSON is skipped, the others apply", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.write(f.user(), "{\n  // mine\n  \"model\": \"haiku\"\n}")
		f.write(f.project(), `{"model": "opus", "env": []}`)
		c := f.mustLoad()
		if got := fileAt(c, LevelUser).Status; got != StatusSkipped {
			t.Errorf("user status = %s, want skipped", got)
		}
		if c.Model.Value != "opus" {
			t.Errorf("model = %q, want the project's opus", c.Model.Value)
		}
		want := []string{
			f.user() + ":2:3: invalid JSON: invalid character '/' looking for beginning of object key string; the file is skipped and the other settings apply (Claude Code skips it too)",
			f.project() + `:1:26: "env": want a JSON object, got an array; left out`,
		}
		if diff := cmp.Diff(want, c.Warnings); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("a managed policy that is not JSON fails closed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.write(f.managed, `{"permissions": {"deny": ["Bash"]},}`)
		_, err := f.load()
		var cfgErr *Error
		if !errors.As(err, &cfgErr) || len(cfgErr.Problems) != 1 || !strings.HasPrefix(cfgErr.Problems[0].Error(), f.managed+":1:36: invalid JSON") {
			t.Fatalf("err = %v, want the managed file's syntax error", err)
		}
	})
	t.Run("a managed value left out fails closed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.write(f.managed, `{"permissions": {"deny": "Bash", "ask": 3}}`)
		_, err := f.load()
		var cfgErr *Error
		if !errors.As(err, &cfgErr) || len(cfgErr.Problems) != 1 || !strings.Contains(cfgErr.Problems[0].Error(), `managed policy: `+f.managed+`:1:41: "permissions.ask"`) {
			t.Fatalf("err = %v, want the managed ask list refused", err)
		}
	})
	t.Run("a --settings file that is not JSON is an error", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.write(filepath.Join(f.workDir, "s.json"), `{`)
		f.flags.SettingsFile = "s.json"
		if _, err := f.load(); err == nil {
			t.Fatal("no error for a --settings file the user named")
		}
	})
	t.Run("unreadable file is a warning", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		if err := os.MkdirAll(f.user(), 0o755); err != nil { // a directory cannot be read as a file
			t.Fatal(err)
		}
		c := f.mustLoad()
		if got := fileAt(c, LevelUser); got.Status != StatusUnreadable {
			t.Errorf("status = %s, want unreadable", got.Status)
		}
		if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], f.user()) {
			t.Errorf("warnings = %q", c.Warnings)
		}
	})
	t.Run("Claude Code features are listed once, misspellings get a suggestion", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.write(f.user(), `{"apiKeyHelper": "x", "fastMode": true, "$schema": "x"}`)
		f.write(f.project(), "{\"apiKeyHelper\": \"y\", \"theme\": \"dark\",\n \"permisions\": {}, \"zzzzzz\": 1, \"permissions\": {\"disableBypassPermissionsMode\": \"disable\", \"alow\": []}}")
		c := f.mustLoad()
		want := []string{
			f.project() + `:2: unknown key "permisions": did you mean "permissions"? (as written it is ignored)`,
			f.project() + `:2: unknown key "permissions.alow": did you mean "permissions.allow"? (as written it is ignored)`,
			f.project() + `:2: unknown key "zzzzzz", not a setting of basalt or Claude Code; it is ignored`,
			"Claude Code features basalt ignores (not implemented yet; the rest of each file applies): apiKeyHelper, fastMode",
		}
		if diff := cmp.Diff(want, c.Warnings); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		wantIgnored := []IgnoredKey{
			{"apiKeyHelper", []string{f.user(), f.project()}},
			{"fastMode", []string{f.user()}},
			{"theme", []string{f.project()}},
		}
		if diff := cmp.Diff(wantIgnored, c.Ignored); diff != "" {
			t.Errorf("ignored mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("missing --settings file", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.flags.SettingsFile = "nope.json"
		_, err := f.load()
		if err == nil || !strings.Contains(err.Error(), filepath.Join(f.workDir, "nope.json")+": --settings: no such file") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestPermissionsMerge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"permissions": {"allow": ["Read"], "deny": ["Bash(rm:*)"]}}`)
	f.write(f.project(), `{"permissions": {"allow": ["Bash(go test:*)"], "defaultMode": "acceptEdits", "additionalDirectories": ["../shared"]}}`)
	f.write(f.managed, `{"permissions": {"deny": ["Read(./.env)"]}}`)
	f.flags.AllowedTools = []string{"Edit(src/**),Grep"}
	f.flags.DisallowedTools = []string{"WebFetch,SomeFutureTool"}
	f.flags.PermissionMode = "plan"
	c := f.mustLoad()
	rules := func(rs []Rule) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.String()+" @ "+string(r.Source.Kind))
		}
		return out
	}
	got := map[string][]string{"allow": rules(c.Permissions.Allow), "deny": rules(c.Permissions.Deny)}
	want := map[string][]string{
		"allow": {"Bash(go test:*) @ project", "Read @ user", "Edit(src/**) @ flag", "Grep @ flag"},
		"deny":  {"Read(./.env) @ managed", "Bash(rm:*) @ user", "WebFetch @ flag", "SomeFutureTool @ flag"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if c.Permissions.DefaultMode.Value != "plan" || c.Permissions.DefaultMode.Source.Kind != SourceFlag {
		t.Errorf("mode = %v", c.Permissions.DefaultMode)
	}
	if d := c.Permissions.AdditionalDirectories; len(d) != 1 || d[0].Value != filepath.Join(f.root, "../shared") {
		t.Errorf("additional directories = %v", d)
	}
	if !strings.Contains(strings.Join(c.Warnings, "\n"), `--disallowed-tools: rules for tools basalt does not have are kept but never match until it has them: SomeFutureTool`) {
		t.Errorf("warnings = %q", c.Warnings)
	}

	// The managed defaultMode beats the flag.
	f.write(f.managed, `{"permissions": {"defaultMode": "default"}}`)
	if c := f.mustLoad(); c.Permissions.DefaultMode.Source.Kind != SourceManaged {
		t.Errorf("mode from %s, want managed", c.Permissions.DefaultMode.Source)
	}
}

func TestModelOverridesMerge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"modelOverrides": {"a": "user-a", "b": "user-b"}}`)
	f.write(f.local(), `{"modelOverrides": {"b": "local-b"}}`)
	c := f.mustLoad()
	got := map[string]string{}
	for k, v := range c.ModelOverrides {
		got[k] = v.Value + " @ " + string(v.Source.Kind)
	}
	if diff := cmp.Diff(map[string]string{"a": "user-a @ user", "b": "local-b @ local"}, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestCommandEnv(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.env["AWS_BEARER_TOKEN_BEDROCK"] = "secret-token-1234"
	f.env["ANTHROPIC_API_KEY"] = "sk-ant-secret"
	f.env["PATH"] = "/bin"
	f.write(f.user(), `{"env": {"FROM_FILE": "x"}}`)
	got := f.mustLoad().CommandEnv()
	want := []string{"HOME=" + f.home, "PATH=/bin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestMCPAndHookKeysAreRead: the keys the MCP configuration and the hooks
// engine read are not reported as Claude Code features basalt ignores.
func TestMCPAndHookKeysAreRead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"enableAllProjectMcpServers": true, "enabledMcpjsonServers": ["a"], "disabledMcpjsonServers": ["b"], "hooks": {}, "disableAllHooks": false}`)
	c := f.mustLoad()
	for _, w := range c.Warnings {
		if strings.Contains(w, "ignores") {
			t.Errorf("warning: %s", w)
		}
	}
	if len(c.Ignored) != 0 {
		t.Errorf("ignored: %+v", c.Ignored)
	}
}
