package config

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/basalt-dev/basalt/internal/model"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// resolve computes every typed value from the files, the effective
// environment and the flags, and returns every problem it finds.
func (c *Config) resolve(ctx context.Context) []error {
	var p problems
	c.resolveProvider(&p)
	c.resolveRegion(ctx, &p)
	c.resolveModels(&p)
	c.resolveCaching(&p)

	c.MaxOutputTokens = p.intVar(c, "CLAUDE_CODE_MAX_OUTPUT_TOKENS", 1)
	c.MaxContextTokens = p.intVar(c, "CLAUDE_CODE_MAX_CONTEXT_TOKENS", 1)
	c.MaxRetries = p.intVar(c, "CLAUDE_CODE_MAX_RETRIES", 0)
	if !c.MaxRetries.Set {
		c.MaxRetries = defaultValue(10)
	}
	c.RegionPrefix = c.stringVar("ANTHROPIC_BEDROCK_REGION_PREFIX")
	if v := c.RegionPrefix; v.Set && !slices.Contains(RegionPrefixes, v.Value) {
		p.add(fmt.Errorf("ANTHROPIC_BEDROCK_REGION_PREFIX=%q (%s): want one of %s", v.Value, v.Source, strings.Join(RegionPrefixes, ", ")))
	}
	c.MaxThinkingTokens = p.intVar(c, "MAX_THINKING_TOKENS", 0)
	if t := c.MaxThinkingTokens.Value; t > 0 && t < 1024 {
		c.warnf("MAX_THINKING_TOKENS=%d (%s) is below 1024, the smallest thinking budget Claude accepts; 1024 is used", t, c.MaxThinkingTokens.Source)
	}
	if o, t := c.MaxOutputTokens.Value, c.MaxThinkingTokens.Value; o > 1 && t >= o {
		// Claude Code clamps the budget to max_tokens − 1 rather than
		// refusing; thinking counts against max_tokens.
		c.warnf("MAX_THINKING_TOKENS=%d (%s) is not below CLAUDE_CODE_MAX_OUTPUT_TOKENS=%d (%s); thinking counts against max_tokens, so %d is used", t, c.MaxThinkingTokens.Source, o, c.MaxOutputTokens.Source, o-1)
		c.MaxThinkingTokens.Value = o - 1
	}

	c.resolveThinking(&p)
	c.resolveModelPolicy(&p)

	if v, ok := c.Env("ANTHROPIC_CUSTOM_HEADERS"); ok {
		h, err := ParseCustomHeaders(v.Value)
		if err != nil {
			p.add(fmt.Errorf("ANTHROPIC_CUSTOM_HEADERS (%s): %w", v.Source, err))
		}
		c.CustomHeaders = Value[[]Header]{Value: h, Source: v.Source, Set: true}
	} else {
		c.CustomHeaders = defaultValue[[]Header](nil)
	}

	c.AWSAuthRefresh = c.fileString(func(s *Settings) *string { return s.AWSAuthRefresh }, "awsAuthRefresh")
	c.AWSCredentialExport = c.fileString(func(s *Settings) *string { return s.AWSCredentialExport }, "awsCredentialExport")
	c.OTelHeadersHelper = c.fileString(func(s *Settings) *string { return s.OTelHeadersHelper }, "otelHeadersHelper")
	c.resolveOutputStyle()
	c.resolveStatusLine()

	c.BedrockBaseURL = c.urlVar(&p, "ANTHROPIC_BEDROCK_BASE_URL")
	c.AnthropicBaseURL = c.urlVar(&p, "ANTHROPIC_BASE_URL")
	c.SkipBedrockAuth = p.boolVar(c, "CLAUDE_CODE_SKIP_BEDROCK_AUTH")
	if c.SkipBedrockAuth.Value {
		if _, ok := c.Env("AWS_BEARER_TOKEN_BEDROCK"); ok {
			c.warnf("CLAUDE_CODE_SKIP_BEDROCK_AUTH is on, so AWS_BEARER_TOKEN_BEDROCK is not sent; put an Authorization header in ANTHROPIC_CUSTOM_HEADERS if your gateway needs one")
		}
	}

	c.resolveNetwork(&p)
	c.resolveModelNames(&p)
	c.checkModelPolicy(&p)
	c.checkOutputLimit(&p)
	c.resolvePermissions(&p)
	c.resolveBashEnvironment()
	c.resolveSandbox()
	c.resolveMCP(&p)

	c.CleanupPeriodDays = defaultValue(30)
	if v, src, ok := c.fileValue(func(s *Settings) any {
		if s.CleanupPeriodDays == nil {
			return nil
		}
		return *s.CleanupPeriodDays
	}, "cleanupPeriodDays"); ok {
		c.CleanupPeriodDays = Value[int]{Value: v.(int), Source: src, Set: true}
	}

	c.resolveLogging(&p)
	return p.errs
}

type problems struct{ errs []error }

func (p *problems) add(err error) { p.errs = append(p.errs, err) }

// truthy parses the boolean spellings Claude Code users write.
func truthy(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true, true
	case "", "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

func (p *problems) boolVar(c *Config, name string) Value[bool] {
	v, ok := c.Env(name)
	if !ok {
		return defaultValue(false)
	}
	b, valid := truthy(v.Value)
	if !valid {
		p.add(fmt.Errorf("%s=%q (%s): want 1, true, yes or on to enable, 0, false, no or off to disable", name, v.Value, v.Source))
	}
	return Value[bool]{Value: b, Source: v.Source, Set: true}
}

func (p *problems) intVar(c *Config, name string, minimum int) Value[int] {
	v, ok := c.Env(name)
	if !ok || strings.TrimSpace(v.Value) == "" {
		return defaultValue(0)
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.Value))
	if err != nil || n < minimum {
		p.add(fmt.Errorf("%s=%q (%s): want a whole number ≥ %d", name, v.Value, v.Source, minimum))
		return Value[int]{Source: v.Source, Set: true}
	}
	return Value[int]{Value: n, Source: v.Source, Set: true}
}

func (c *Config) stringVar(name string) Value[string] {
	if v, ok := c.Env(name); ok && v.Value != "" {
		return Value[string]{Value: v.Value, Source: v.Source, Set: true}
	}
	return defaultValue("")
}

func (c *Config) urlVar(p *problems, name string) Value[string] {
	v := c.stringVar(name)
	if !v.Set {
		return v
	}
	u, err := url.Parse(v.Value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add(fmt.Errorf("%s=%q (%s): want an http:// or https:// URL with a host, e.g. https://bedrock-gateway.example.com", name, v.Value, v.Source))
		return v
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		c.warnf("%s=%s (%s) is plain http to a remote host: requests, and any bearer token, travel unencrypted", name, v.Value, v.Source)
	}
	return v
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// fileValue returns the value get finds in the highest-precedence file
// that sets it, the managed file first.
func (c *Config) fileValue(get func(*Settings) any, key string) (any, Source, bool) {
	files := c.filesByPrecedence()
	if m := c.managedFile(); m != nil {
		files = append([]*File{m}, files...)
	}
	for _, f := range files {
		if v := get(f.Settings); v != nil {
			return v, f.source(key), true
		}
	}
	return nil, Source{}, false
}

func (c *Config) fileString(get func(*Settings) *string, key string) Value[string] {
	v, src, ok := c.fileValue(func(s *Settings) any {
		if p := get(s); p != nil {
			return *p
		}
		return nil
	}, key)
	if !ok {
		return defaultValue("")
	}
	return Value[string]{Value: v.(string), Source: src, Set: true}
}

func (c *Config) resolveProvider(p *problems) {
	bedrock := p.boolVar(c, "CLAUDE_CODE_USE_BEDROCK")
	if !bedrock.Value {
		// Mantle is an endpoint of Bedrock: it alone selects Bedrock's
		// credentials, region and models, as in Claude Code.
		if m, ok := c.Env("CLAUDE_CODE_USE_MANTLE"); ok {
			if on, _ := truthy(m.Value); on {
				bedrock = Value[bool]{Value: true, Source: m.Source, Set: true}
			}
		}
	}
	key, hasKey := c.Env("ANTHROPIC_API_KEY")
	hasKey = hasKey && key.Value != ""
	switch {
	case bedrock.Value:
		c.Provider = Value[Provider]{Value: ProviderBedrock, Source: bedrock.Source, Set: true}
		if hasKey {
			c.warnf("ANTHROPIC_API_KEY (%s) is set but CLAUDE_CODE_USE_BEDROCK selects Amazon Bedrock; the key is not used", key.Source)
		}
	case hasKey:
		c.Provider = Value[Provider]{Value: ProviderAnthropic, Source: key.Source, Set: true}
	default:
		c.Provider = defaultValue(ProviderNone)
	}
}

var regionPattern = lazyre.New(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// ValidRegion reports whether s has the shape of an AWS region name
// (us-east-1, eu-central-2): the one rule for setup's answers and the
// configuration.
func ValidRegion(s string) bool { return regionPattern().MatchString(s) }

// resolveRegion follows the AWS order: AWS_REGION, AWS_DEFAULT_REGION,
// the active profile's region, us-east-1.
func (c *Config) resolveRegion(ctx context.Context, p *problems) {
	c.Profile = c.stringVar("AWS_PROFILE")
	if !c.Profile.Set {
		c.Profile = defaultValue("default")
	}
	c.Region = defaultValue("us-east-1")
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := c.stringVar(name); v.Set {
			c.Region = v
			break
		}
	}
	if !c.Region.Set {
		if r, file := c.profileRegion(ctx); r != "" {
			c.Region = Value[string]{Value: r, Source: Source{Kind: SourceProfile, Name: c.Profile.Value, Detail: file}, Set: true}
		}
	}
	if !ValidRegion(c.Region.Value) {
		p.add(fmt.Errorf("region %q (%s) is not an AWS region name; use one like us-east-1 or eu-west-1", c.Region.Value, c.Region.Source))
	}
	c.SmallFastRegion = c.stringVar("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION")
	if v := c.SmallFastRegion; v.Set && !ValidRegion(v.Value) {
		p.add(fmt.Errorf("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION=%q (%s) is not an AWS region name", v.Value, v.Source))
	}
}

// profileRegion reads the region of the active profile from the AWS
// shared files, through the SDK so that its file rules apply.
func (c *Config) profileRegion(ctx context.Context) (region, file string) {
	home := c.Getenv("HOME")
	cfgFile := c.Getenv("AWS_CONFIG_FILE")
	if cfgFile == "" && home != "" {
		cfgFile = filepath.Join(home, ".aws", "config")
	}
	credFile := c.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	if credFile == "" && home != "" {
		credFile = filepath.Join(home, ".aws", "credentials")
	}
	if cfgFile == "" {
		return "", ""
	}
	sc, err := awsconfig.LoadSharedConfigProfile(ctx, c.Profile.Value, func(o *awsconfig.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{cfgFile}
		o.CredentialsFiles = []string{credFile}
	})
	if err != nil {
		var notExist awsconfig.SharedConfigProfileNotExistError
		if c.Profile.Set && errors.As(err, &notExist) {
			c.warnf("AWS_PROFILE=%s (%s): no such profile in %s or %s", c.Profile.Value, c.Profile.Source, cfgFile, credFile)
		} else if !errors.As(err, &notExist) {
			c.warnf("AWS profile %s: %v", c.Profile.Value, err)
		}
		return "", ""
	}
	return sc.Region, cfgFile
}

func (c *Config) resolveModels(p *problems) {
	primary, small := model.DefaultBedrockPrimary, model.DefaultBedrockSmallFast
	if c.Provider.Value == ProviderAnthropic {
		primary, small = model.DefaultAnthropicPrimary, model.DefaultAnthropicSmallFast
	}

	// Model: managed policy, then --model, then ANTHROPIC_MODEL, then the
	// "model" key of the files, then the default.
	// ANTHROPIC_DEFAULT_MODEL replaces basalt's built-in default: the
	// model used when nothing else names one (README, Models).
	if d := c.stringVar("ANTHROPIC_DEFAULT_MODEL"); d.Set {
		c.Model = d
		c.Model.Set = false
	} else {
		c.Model = defaultValue(primary)
	}
	env := c.stringVar("ANTHROPIC_MODEL")
	fileModel := c.fileString(func(s *Settings) *string { return s.Model }, "model")
	switch {
	case env.Set && env.Source.Kind == SourceManaged:
		c.Model = env
	case fileModel.Set && fileModel.Source.Kind == SourceManaged:
		c.Model = fileModel
	case c.flags.Model != "":
		c.Model = Value[string]{Value: c.flags.Model, Source: Source{Kind: SourceFlag, Name: "--model"}, Set: true}
	case env.Set:
		c.Model = env
	case fileModel.Set:
		c.Model = fileModel
	}
	if strings.TrimSpace(c.Model.Value) == "" {
		p.add(fmt.Errorf("model (%s) is empty; remove the setting or name a model such as sonnet", c.Model.Source))
	}

	c.SmallFastModel = c.stringVar("ANTHROPIC_SMALL_FAST_MODEL")
	if !c.SmallFastModel.Set {
		c.SmallFastModel = defaultValue(small)
	}
	c.OpusModel = c.stringVar("ANTHROPIC_DEFAULT_OPUS_MODEL")
	c.SonnetModel = c.stringVar("ANTHROPIC_DEFAULT_SONNET_MODEL")
	c.HaikuModel = c.stringVar("ANTHROPIC_DEFAULT_HAIKU_MODEL")
	c.FableModel = c.stringVar("ANTHROPIC_DEFAULT_FABLE_MODEL")

	// modelOverrides merge key by key, higher levels winning.
	c.ModelOverrides = map[string]Value[string]{}
	files := c.filesByPrecedence()
	if m := c.managedFile(); m != nil {
		files = append([]*File{m}, files...)
	}
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		for k, v := range f.Settings.ModelOverrides {
			c.ModelOverrides[k] = Value[string]{Value: v, Source: f.source("modelOverrides." + k), Set: true}
		}
	}
	for k, v := range c.ModelOverrides {
		if strings.TrimSpace(v.Value) == "" {
			p.add(fmt.Errorf("modelOverrides.%s (%s) is empty; name the inference profile ID or ARN to use", k, v.Source))
		}
	}
}

// resolveModelNames resolves the primary and small/fast models here, in
// the configuration layer, so that the first command a user runs (config
// show, doctor) tells the same truth as a session: a name that cannot be
// resolved is a problem of Load, and one that resolves with notices
// (opusplan, a model without prices) is shown by config show.
func (c *Config) resolveModelNames(p *problems) {
	if c.Provider.Value == ProviderNone {
		return
	}
	if strings.TrimSpace(c.Model.Value) == "" {
		return // already a problem
	}
	var err error
	if c.Resolved, err = c.ResolveModel(false); err != nil {
		p.add(err)
	}
	if c.ResolvedSmallFast, err = c.ResolveModel(true); err != nil {
		p.add(err)
	}
}

// ModelRequest is the model.Request for the primary model, or the
// small/fast one: every input resolution depends on, from this
// configuration. Whoever builds a session resolves with it, so that the
// session and config show agree.
func (c *Config) ModelRequest(smallFast bool) model.Request {
	req := model.Request{
		Provider:     string(c.Provider.Value),
		Region:       c.Region.Value,
		RegionPrefix: c.RegionPrefix.Value,
		Aliases:      map[model.Family]string{},
		Overrides:    map[string]string{},
		SmallFast:    smallFast,
	}
	for fam, v := range map[model.Family]Value[string]{model.Opus: c.OpusModel, model.Sonnet: c.SonnetModel, model.Haiku: c.HaikuModel, model.Fable: c.FableModel} {
		if v.Set {
			req.Aliases[fam] = v.Value
		}
	}
	for k, v := range c.ModelOverrides {
		req.Overrides[k] = v.Value
	}
	v := c.Model
	if smallFast {
		v = c.SmallFastModel
		if c.SmallFastRegion.Set {
			req.Region = c.SmallFastRegion.Value
		}
	}
	if v.Set {
		req.Value, req.Source = v.Value, v.Source.String()
	}
	return req
}

func (c *Config) resolveCaching(p *problems) {
	c.DisablePromptCaching = p.boolVar(c, "DISABLE_PROMPT_CACHING")
	c.DisablePromptCachingOpus = p.boolVar(c, "DISABLE_PROMPT_CACHING_OPUS")
	c.DisablePromptCachingSonnet = p.boolVar(c, "DISABLE_PROMPT_CACHING_SONNET")
	c.DisablePromptCachingHaiku = p.boolVar(c, "DISABLE_PROMPT_CACHING_HAIKU")
	c.DisablePromptCachingFable = p.boolVar(c, "DISABLE_PROMPT_CACHING_FABLE")
	c.PromptCaching1H = p.boolVar(c, "ENABLE_PROMPT_CACHING_1H")
	if !c.PromptCaching1H.Set {
		if old := p.boolVar(c, "ENABLE_PROMPT_CACHING_1H_BEDROCK"); old.Set {
			c.PromptCaching1H = old
			c.warnf("ENABLE_PROMPT_CACHING_1H_BEDROCK (%s) is the deprecated name of ENABLE_PROMPT_CACHING_1H; it still works", old.Source)
		}
	}
	c.ForcePromptCaching5M = p.boolVar(c, "FORCE_PROMPT_CACHING_5M")
}

// RegionPrefixes are the inference-profile prefixes Bedrock uses.
var RegionPrefixes = []string{"us", "eu", "apac", "jp", "au", "us-gov", "global"}

// LogLevels are the values of BASALT_LOG.
var LogLevels = []string{"debug", "info", "warn", "error"}

func (c *Config) resolveLogging(p *problems) {
	c.LogLevel = defaultValue("")
	if v := c.stringVar("BASALT_LOG"); v.Set {
		c.LogLevel = Value[string]{Value: strings.ToLower(v.Value), Source: v.Source, Set: true}
		if !slices.Contains(LogLevels, c.LogLevel.Value) {
			p.add(fmt.Errorf("BASALT_LOG=%q (%s): want one of %s", v.Value, v.Source, strings.Join(LogLevels, ", ")))
		}
	}
	if c.flags.Verbose {
		c.LogLevel = Value[string]{Value: "debug", Source: Source{Kind: SourceFlag, Name: "--verbose"}, Set: true}
	}
	c.StateDir = StateDir(c.Getenv)
}

// StateDir is basalt's state directory: $XDG_STATE_HOME/basalt, else
// ~/.local/state/basalt, with getenv the environment to read. A relative
// XDG_STATE_HOME is ignored, as the XDG specification says; without HOME
// the result is relative, which callers that must not be steered by the
// working directory (the trust store) refuse.
func StateDir(getenv func(string) string) string {
	state := getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(state) {
		state = filepath.Join(getenv("HOME"), ".local", "state")
	}
	return filepath.Join(state, "basalt")
}
