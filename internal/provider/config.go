package provider

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
)

// Config is the provider's slice of the configuration.
type Config struct {
	Provider config.Provider
	Region   string
	// BaseURL replaces the service endpoint: ANTHROPIC_BEDROCK_BASE_URL or
	// ANTHROPIC_BASE_URL. A path prefix is kept.
	BaseURL string
	APIKey  string        // the Anthropic API
	Auth    *awsauth.Auth // Bedrock
	Headers []config.Header

	MaxOutputTokens int // 0: DefaultMaxTokens
	ThinkingTokens  int // 0: off
	MaxRetries      int

	Caching Caching

	// IdleTimeout aborts and retries a stream that sends nothing for this
	// long. Zero means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// BackoffBase and BackoffMax shape the retry delays; zero means the
	// defaults. Tests shrink them.
	BackoffBase time.Duration
	BackoffMax  time.Duration

	HTTPClient *http.Client
	Log        *slog.Logger
}

// Caching is what the user said about prompt caching.
type Caching struct {
	Disabled         bool
	DisabledFamilies map[string]bool // "opus", "sonnet", "haiku"
	TTL1H            bool
	Force5M          bool
}

// Defaults.
const (
	// DefaultMaxTokens on Bedrock: the seed documents recommend 4096
	// because Bedrock reserves max_tokens against the quota (burndown), so
	// a larger value throttles sooner without making answers better.
	DefaultMaxTokens   = 4096
	DefaultIdleTimeout = 5 * time.Minute
	defaultBackoffBase = 500 * time.Millisecond
	defaultBackoffMax  = 30 * time.Second
)

// ConfigFrom takes the provider's values from the configuration.
func ConfigFrom(c *config.Config, auth *awsauth.Auth) Config {
	pc := Config{
		Provider:        c.Provider.Value,
		Region:          c.Region.Value,
		Auth:            auth,
		Headers:         c.CustomHeaders.Value,
		MaxOutputTokens: c.MaxOutputTokens.Value,
		ThinkingTokens:  c.MaxThinkingTokens.Value,
		MaxRetries:      c.MaxRetries.Value,
		Caching: Caching{
			Disabled: c.DisablePromptCaching.Value,
			DisabledFamilies: map[string]bool{
				"opus":   c.DisablePromptCachingOpus.Value,
				"sonnet": c.DisablePromptCachingSonnet.Value,
				"haiku":  c.DisablePromptCachingHaiku.Value,
			},
			TTL1H:   c.PromptCaching1H.Value,
			Force5M: c.ForcePromptCaching5M.Value,
		},
	}
	switch pc.Provider {
	case config.ProviderBedrock:
		pc.BaseURL = c.BedrockBaseURL.Value
	case config.ProviderAnthropic:
		pc.BaseURL = c.AnthropicBaseURL.Value
		pc.APIKey = c.Getenv("ANTHROPIC_API_KEY")
	}
	return pc
}
