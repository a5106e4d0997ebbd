package provider

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/bedrock"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client sends streaming Messages requests to Bedrock or the Anthropic
// API. It is safe for concurrent use.
type Client struct {
	cfg Config

	mu          sync.Mutex
	sdk         map[string]*anthropic.Client // by region
	unavailable map[string]bool              // models that failed with an access error
	profiles    profileCache
}

// New checks the configuration and prepares a client. It does not contact
// the service.
func New(cfg Config) (*Client, error) {
	switch cfg.Provider {
	case Bedrock:
		if cfg.Auth == nil {
			return nil, errors.New("provider: bedrock needs credentials (awsauth.Auth)")
		}
		if cfg.Region == "" {
			return nil, errors.New("provider: bedrock needs a region")
		}
	case Anthropic:
		if cfg.APIKey == "" {
			return nil, errors.New("provider: the Anthropic API needs ANTHROPIC_API_KEY")
		}
	default:
		return nil, ErrNoService
	}
	if cfg.MaxOutputTokens <= 0 {
		cfg.MaxOutputTokens = DefaultMaxTokens
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = defaultBackoffBase
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = defaultBackoffMax
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.GuardContent.on() && cfg.GuardContent.Suffix == "" {
		cfg.GuardContent.Suffix = newGuardSuffix()
	}
	return &Client{cfg: cfg, sdk: map[string]*anthropic.Client{}, unavailable: map[string]bool{}}, nil
}

// Provider reports which API the client talks to.
func (c *Client) Provider() Service { return c.cfg.Provider }

// Region is the client's default region.
func (c *Client) Region() string { return c.cfg.Region }

// ServiceTier is the Bedrock service tier requests ask for; "" when none
// is sent (the standard tier).
func (c *Client) ServiceTier() string { return c.cfg.ServiceTier }

// Mantle reports whether model requests go to Bedrock's Mantle endpoint.
func (c *Client) Mantle() bool { return c.cfg.Mantle != nil }

// sdkClient returns the SDK client for a region, creating it once.
func (c *Client) sdkClient(region string) *anthropic.Client {
	if region == "" {
		region = c.cfg.Region
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.sdk[region]; ok {
		return cl
	}
	opts := []option.RequestOption{
		option.WithHTTPClient(c.cfg.HTTPClient),
		option.WithMaxRetries(0), // retries are ours: visible, and refresh-aware
	}
	var customAuth string
	for _, h := range c.cfg.Headers {
		if strings.EqualFold(h.Name, "Authorization") {
			customAuth = h.Value
			continue
		}
		opts = append(opts, option.WithHeader(h.Name, h.Value))
	}
	switch c.cfg.Provider {
	case Bedrock:
		if c.cfg.Mantle != nil {
			opts = append(opts, c.mantleOptions(region, customAuth)...)
			break
		}
		if c.cfg.ServiceTier != "" {
			opts = append(opts, option.WithHeader(ServiceTierHeader, c.cfg.ServiceTier))
		}
		// The adapter is given a placeholder bearer token so that it never
		// signs; authMiddleware, registered after it and so closer to the
		// wire, does.
		awsCfg := aws.Config{
			Region:                  region,
			BearerAuthTokenProvider: bedrock.NewStaticBearerTokenProvider("basalt-placeholder"),
			AuthSchemePreference:    []string{"httpBearerAuth"},
		}
		opts = append(opts, bedrock.WithConfig(awsCfg))
		var prefix string
		if c.cfg.BaseURL != "" {
			var origin string
			origin, prefix = splitBaseURL(c.cfg.BaseURL)
			opts = append(opts, option.WithBaseURL(origin)) // after WithConfig, which sets its own
		}
		mw := &authMiddleware{auth: c.cfg.Auth, service: sigV4Bedrock, region: region, pathPrefix: prefix, customAuth: customAuth, signer: v4.NewSigner(), now: time.Now}
		opts = append(opts, option.WithMiddleware(mw.handle))
	case Anthropic:
		opts = append(opts, option.WithAPIKey(c.cfg.APIKey))
		if c.cfg.BaseURL != "" {
			opts = append(opts, option.WithBaseURL(c.cfg.BaseURL))
		}
		if customAuth != "" {
			opts = append(opts, option.WithHeader("Authorization", customAuth))
		}
	}
	// Last, so it sees the request as sent and the response as received.
	opts = append(opts, option.WithMiddleware(c.logMiddleware))
	cl := anthropic.NewClient(opts...)
	c.sdk[region] = &cl
	return &cl
}

// RetryInfo describes a retry as it happens, for the status line and
// stderr.
type RetryInfo struct {
	Attempt int // the attempt about to start, from 2
	Max     int // the last attempt allowed
	Delay   time.Duration
	Reason  string
	Status  int // the HTTP status of the failed attempt; 0 when none came back
}

func (r RetryInfo) String() string {
	return fmt.Sprintf("retrying in %.1fs: %s (attempt %d/%d)", r.Delay.Seconds(), r.Reason, r.Attempt, r.Max)
}
