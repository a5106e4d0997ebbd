package config

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/basalt-dev/basalt/internal/model"
)

// Provider is the API basalt talks to.
type Provider string

// The providers.
const (
	ProviderNone      Provider = ""
	ProviderBedrock   Provider = "bedrock"
	ProviderAnthropic Provider = "anthropic"
)

// Config is the effective configuration. Every Value records its source.
type Config struct {
	WorkDir     string
	ProjectRoot string
	Files       []*File
	Warnings    []string
	// Ignored lists the Claude Code settings of the files that basalt
	// does not implement (hooks, statusLine, …), once each.
	Ignored []IgnoredKey
	// EnvOverrides lists the variables of the process environment that a
	// settings file's "env" replaced, as Claude Code does.
	EnvOverrides []EnvOverride
	// Trust lists the risky settings of the project files and whether
	// they apply (DESIGN.md §9).
	Trust Trust

	Provider Value[Provider]
	Region   Value[string]
	Profile  Value[string] // AWS_PROFILE, or "default"

	Model           Value[string]
	SmallFastModel  Value[string]
	OpusModel       Value[string] // ANTHROPIC_DEFAULT_OPUS_MODEL; empty: the catalog decides
	SonnetModel     Value[string]
	HaikuModel      Value[string]
	FableModel      Value[string] // ANTHROPIC_DEFAULT_FABLE_MODEL
	SmallFastRegion Value[string] // empty: Region
	ModelOverrides  map[string]Value[string]
	// Resolved and ResolvedSmallFast are what model.Resolve makes of the
	// primary and small/fast models (see [Config.ModelRequest]), so that
	// config show, doctor and a session give one verdict on a model name.
	// Zero when no provider is configured or resolution failed (the
	// failure is one of Load's problems).
	Resolved          model.Resolved
	ResolvedSmallFast model.Resolved

	DisablePromptCaching       Value[bool]
	DisablePromptCachingOpus   Value[bool]
	DisablePromptCachingSonnet Value[bool]
	DisablePromptCachingHaiku  Value[bool]
	DisablePromptCachingFable  Value[bool]
	PromptCaching1H            Value[bool]
	ForcePromptCaching5M       Value[bool]

	RegionPrefix      Value[string]                     // ANTHROPIC_BEDROCK_REGION_PREFIX; empty: from the region
	MaxRetries        Value[int]                        // CLAUDE_CODE_MAX_RETRIES
	MaxContextTokens  Value[int]                        // CLAUDE_CODE_MAX_CONTEXT_TOKENS; 0: the model's window
	MaxOutputTokens   Value[int]                        // 0: the model's default
	MaxThinkingTokens Value[int]                        // 0: thinking off
	Thinking          ThinkingConfig                    // effort and the thinking switches: thinking.go
	Betas             Value[[]string]                   // ANTHROPIC_BETAS
	ExtraBody         Value[map[string]json.RawMessage] // CLAUDE_CODE_EXTRA_BODY
	// GuardrailInputTags is basaltGuardrailInputTags: which parts of a
	// request a configured guardrail's input filters see (default prompt).
	GuardrailInputTags Value[[]string]
	// Models is availableModels, enforceAvailableModels and fallbackModel
	// (modelpolicy.go).
	Models ModelPolicy

	CustomHeaders       Value[[]Header]
	AWSAuthRefresh      Value[string]
	AWSCredentialExport Value[string]
	// OTelHeadersHelper (otelHeadersHelper) prints the telemetry exports'
	// headers; a project file's only counts in a trusted folder.
	OTelHeadersHelper Value[string]
	OutputStyle       Value[string]      // outputStyle; see outputstyle.go
	StatusLine        Value[*StatusLine] // statusLine; nil: none
	BedrockBaseURL    Value[string]
	SkipBedrockAuth   Value[bool]
	AnthropicBaseURL  Value[string]
	// Net is the endpoint, service tier and corporate-network settings
	// (network.go).
	Net Network

	Permissions     PermissionConfig
	Sandbox         SandboxConfig // sandbox.go
	BashEnvironment Value[string] // BashEnvInherit or BashEnvClean: see CommandEnv

	CleanupPeriodDays Value[int]
	// MCPServers are the server names of the --mcp-config values, each
	// with the flag value it came from.
	MCPServers []Value[string]
	// MCP is every configured MCP server of the session (mcp.go).
	MCP      MCPConfig
	LogLevel Value[string] // "" (no log), debug, info, warn, error
	StateDir string

	procEnv map[string]string
	flags   Flags
	env     map[string]EnvVar
}

// PermissionConfig is the merged "permissions" of every level plus the
// rule flags. Rules keep their source so /permissions can say where a rule
// lives.
type PermissionConfig struct {
	Allow                 []Rule
	Ask                   []Rule
	Deny                  []Rule
	DefaultMode           Value[string]
	AdditionalDirectories []Value[string]
	// DisableBypass is permissions.disableBypassPermissionsMode "disable"
	// from any file: bypassPermissions may not be entered.
	DisableBypass Value[bool]
}

// EnvVar is one variable of the effective environment.
type EnvVar struct {
	Name   string
	Value  string
	Source Source
}

// Error lists every configuration problem found. It is a usage error:
// the cli maps it to exit code 2.
type Error struct {
	Problems []error
}

// Error lists the problems with every secret-shaped part hidden: a
// problem may quote the value it could not use.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = RedactText(p.Error())
	}
	return strings.Join(msgs, "\n")
}

func (e *Error) Unwrap() []error { return e.Problems }

// warnf adds a warning, with every secret-shaped part hidden: a warning
// may quote a value, such as a base URL with a password in it.
func (c *Config) warnf(format string, args ...any) {
	c.Warnings = append(c.Warnings, RedactText(fmt.Sprintf(format, args...)))
}

// EnvOverride is a variable of the process environment that a settings
// file's "env" replaced.
type EnvOverride struct {
	Name    string
	Process string // the value the process environment had
	Value   string // the value in force
	By      Source // the file (and key) that set it
}

// buildEnv applies the env maps of the files over the process
// environment, lowest level first, as Claude Code does: a team's shared
// settings pin AWS_REGION or ANTHROPIC_MODEL for everyone. Files are
// already in precedence order, the managed one last, so it wins. A
// project file's env reaches here only from a trusted folder or for
// harmless variables (trust.go).
func (c *Config) buildEnv() {
	c.env = map[string]EnvVar{}
	for k, v := range c.procEnv {
		c.env[k] = EnvVar{Name: k, Value: v, Source: Source{Kind: SourceEnv, Name: k}}
	}
	for _, f := range c.Files {
		if f.Status != StatusLoaded {
			continue
		}
		for _, k := range sortedNames(f.Settings.Env) {
			c.env[k] = EnvVar{Name: k, Value: f.Settings.Env[k], Source: f.source("env." + k)}
		}
	}
	c.EnvOverrides = nil
	for _, k := range sortedNames(c.procEnv) {
		v := c.env[k]
		if v.Source.Kind != SourceEnv && v.Value != c.procEnv[k] {
			c.EnvOverrides = append(c.EnvOverrides, EnvOverride{Name: k, Process: c.procEnv[k], Value: v.Value, By: v.Source})
		}
	}
}

// Env looks a variable up in the effective environment.
func (c *Config) Env(name string) (EnvVar, bool) {
	v, ok := c.env[name]
	return v, ok
}

// Getenv returns a variable of the effective environment, "" when unset.
// Components that need a variable basalt does not model (AWS_CA_BUNDLE,
// proxies) read it here, never from os.Getenv.
func (c *Config) Getenv(name string) string { return c.env[name].Value }

// EnvMap returns the whole effective environment as a map, for components
// that hand it to a library (the AWS SDK) or a command basalt itself runs
// (awsAuthRefresh), never to commands the agent runs: see CommandEnv.
func (c *Config) EnvMap() map[string]string {
	m := make(map[string]string, len(c.env))
	for k, v := range c.env {
		m[k] = v.Value
	}
	return m
}

// EffectiveEnv returns the variables basalt knows (Vars) plus every
// variable set by a settings file, sorted by name. Values are not
// redacted; callers that print must use RedactVar.
func (c *Config) EffectiveEnv() []EnvVar {
	var out []EnvVar
	for name, v := range c.env {
		if _, known := varIndex()[name]; known || v.Source.Kind != SourceEnv {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RequireProvider returns an error that says how to choose a provider when
// none is configured. Commands that call a model check it; config show and
// doctor report it instead.
func (c *Config) RequireProvider() error {
	if c.Provider.Value != ProviderNone {
		return nil
	}
	return ErrNoProvider
}

// ErrNoProvider means neither Bedrock nor the Anthropic API is configured.
var ErrNoProvider = fmt.Errorf("no model provider configured: set CLAUDE_CODE_USE_BEDROCK=1 to use Amazon Bedrock, or ANTHROPIC_API_KEY to use the Anthropic API (in the environment or the \"env\" of a settings file)")

// managedFile returns the loaded managed file, or nil.
func (c *Config) managedFile() *File {
	for _, f := range c.Files {
		if f.Level == LevelManaged && f.Status == StatusLoaded {
			return f
		}
	}
	return nil
}

// filesByPrecedence returns loaded non-managed files, highest precedence
// first.
func (c *Config) filesByPrecedence() []*File {
	var out []*File
	for i := len(c.Files) - 1; i >= 0; i-- {
		f := c.Files[i]
		if f.Status == StatusLoaded && f.Level != LevelManaged {
			out = append(out, f)
		}
	}
	return out
}

// LogFile is where the log goes when logging is on.
func (c *Config) LogFile() string { return filepath.Join(c.StateDir, "basalt.log") }

// basaltUserDir is basalt's folder of user files, $XDG_CONFIG_HOME/basalt
// (XDG_CONFIG_HOME defaulting to ~/.config); "" when neither variable is
// set.
func basaltUserDir(getenv func(string) string) string {
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		xdg = filepath.Join(home, ".config")
	}
	return filepath.Join(xdg, "basalt")
}

// UserSettingsFile is basalt's user settings file,
// $XDG_CONFIG_HOME/basalt/settings.json: the first user-level file Load
// reads, and the one `basalt setup` and /effort create when no user
// settings file exists. "" when neither XDG_CONFIG_HOME nor HOME is set.
func UserSettingsFile(getenv func(string) string) string {
	dir := basaltUserDir(getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "settings.json")
}

// UserMemoryPaths are the user-level memory files a session reads, basalt's
// first: $XDG_CONFIG_HOME/basalt/BASALT.md, then Claude Code's
// ~/.claude/CLAUDE.md. Whether they exist is the reader's question.
func (c *Config) UserMemoryPaths() []string {
	home := c.Getenv("HOME")
	var out []string
	if dir := basaltUserDir(c.Getenv); dir != "" {
		out = append(out, filepath.Join(dir, "BASALT.md"))
	}
	if home != "" {
		out = append(out, filepath.Join(home, ".claude", "CLAUDE.md"))
	}
	return out
}
