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

	// ServiceTier is sent as X-Amzn-Bedrock-Service-Tier on every
	// InvokeModel request (ANTHROPIC_BEDROCK_SERVICE_TIER); "" sends none.
	ServiceTier string
	// Mantle sends model requests to Bedrock's Mantle endpoint, in the
	// Anthropic Messages API's shape, instead of InvokeModel; nil: off.
	Mantle *Mantle
	// RequestTimeout bounds one attempt of a model request, from sending
	// it to the end of its stream (API_TIMEOUT_MS); zero: no bound
	// beyond IdleTimeout.
	RequestTimeout time.Duration

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

// Mantle is the Mantle endpoint of a Bedrock client.
type Mantle struct {
	// BaseURL is the Messages API's base, e.g.
	// https://bedrock-mantle.us-east-1.api.aws/anthropic; requests go to
	// BaseURL + /v1/messages. "" is the public endpoint of each request's
	// region (ANTHROPIC_BEDROCK_MANTLE_BASE_URL overrides it).
	BaseURL string
	// SkipAuth sends requests unsigned (CLAUDE_CODE_SKIP_MANTLE_AUTH), for
	// a gateway that signs; an Authorization header of
	// ANTHROPIC_CUSTOM_HEADERS is kept.
	SkipAuth bool
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
