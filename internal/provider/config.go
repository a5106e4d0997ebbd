package provider

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/basalt-dev/basalt/internal/awsauth"
)

// Service is the API a Client talks to.
type Service string

// The services. Their spelling is the configuration's ("bedrock",
// "anthropic"), so a caller converts one into the other.
const (
	Bedrock   Service = "bedrock"
	Anthropic Service = "anthropic"
)

// Header is one custom request header (ANTHROPIC_CUSTOM_HEADERS).
type Header struct {
	Name  string
	Value string
}

// ErrNoService means the configuration names neither Bedrock nor the
// Anthropic API.
var ErrNoService = errors.New("provider: no service: want bedrock or anthropic")

// Config is the provider's slice of the configuration; the harness
// fills it in from the loaded configuration (provider never reads it).
type Config struct {
	Provider Service
	Region   string
	// BaseURL replaces the service endpoint: ANTHROPIC_BEDROCK_BASE_URL or
	// ANTHROPIC_BASE_URL. A path prefix is kept.
	BaseURL string
	// EndpointSource names what chose the endpoint, for the error of an
	// unreachable one: "ANTHROPIC_BEDROCK_BASE_URL, from env" or "the
	// endpoint of region us-east-1, from env AWS_REGION".
	EndpointSource string
	APIKey         string        // the Anthropic API
	Auth           *awsauth.Auth // Bedrock
	Headers        []Header

	MaxOutputTokens int // 0: DefaultMaxTokens
	MaxRetries      int
	// Thinking is extended thinking and effort as the user set them;
	// [Client.SetEffort] changes the effort of a running session.
	Thinking Thinking
	// Betas is ANTHROPIC_BETAS: added to every request's betas (the body's
	// anthropic_beta on Bedrock).
	Betas []string
	// ExtraBody is CLAUDE_CODE_EXTRA_BODY: top-level fields merged into
	// every request body. The configuration has already refused the
	// fields basalt owns (config.ExtraBodyOwned).
	ExtraBody map[string]json.RawMessage
	// GuardContent tags the user's own prompt text for a Bedrock
	// guardrail's input filters (guardcontent.go); GuardTagSuffix is the
	// tag suffix, fixed per client.
	GuardContent GuardContent

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
