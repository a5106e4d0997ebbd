package harness

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/provider"
)

// ClientOptions shape the model client [NewClient] builds.
type ClientOptions struct {
	// RefreshOutput receives each line awsAuthRefresh prints; nil drops
	// them. Headless runs print them on stderr, the TUI shows them.
	RefreshOutput func(line string)
	// OnRefresh learns of each credential refresh (awsauth.Options).
	OnRefresh func(method string, took time.Duration, err error)
	Log       *slog.Logger
}

// NewClient builds the credentials and the model client of cfg. The
// credentials are nil off Bedrock. A configuration without a provider is
// a *UsageError.
func NewClient(ctx context.Context, cfg *config.Config, o ClientOptions) (*provider.Client, *awsauth.Auth, error) {
	if err := cfg.RequireProvider(); err != nil {
		return nil, nil, &UsageError{Err: err, Hint: "for example: export CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1"}
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The provider and the SDK log requests and errors: never a secret of
	// this configuration, whatever its shape.
	log = scrubLog(log, logSecrets(cfg))
	refresh := o.RefreshOutput
	if refresh == nil {
		refresh = func(string) {}
	}
	// One network (CA bundles, client certificate, proxies) for the model
	// client, the control plane and the SDK's credential calls: a bundle
	// is parsed once, when first needed.
	network := awsauth.NewNetwork(cfg.EnvMap())
	var auth *awsauth.Auth
	if cfg.Provider.Value == config.ProviderBedrock {
		var err error
		auth, err = awsauth.New(ctx, awsauth.Options{
			Network:        network,
			SkipCredCache:  cfg.Net.SkipAWSCredCache.Value,
			ChainTimeout:   cfg.Net.ChainResolveTimeout.Value,
			Env:            cfg.EnvMap(),
			Region:         cfg.Region.Value,
			SkipAuth:       cfg.SkipBedrockAuth.Value,
			ExportCommand:  cfg.AWSCredentialExport.Value,
			RefreshCommand: cfg.AWSAuthRefresh.Value,
			RefreshOutput:  refresh,
			OnRefresh:      o.OnRefresh,
			Log:            log,
		})
		if err != nil {
			return nil, nil, err
		}
	}
	pc := ProviderConfig(cfg, auth)
	pc.Log = log
	pc.HTTPClient = &http.Client{Transport: Transport(network)}
	c, err := provider.New(pc)
	return c, auth, err
}

// ProviderConfig takes the provider's slice of the configuration: the
// one place that knows which settings the model client reads.
func ProviderConfig(c *config.Config, auth *awsauth.Auth) provider.Config {
	headers := make([]provider.Header, len(c.CustomHeaders.Value))
	for i, h := range c.CustomHeaders.Value {
		headers[i] = provider.Header{Name: h.Name, Value: h.Value}
	}
	pc := provider.Config{
		Provider:        provider.Service(c.Provider.Value),
		Region:          c.Region.Value,
		Auth:            auth,
		Headers:         headers,
		MaxOutputTokens: c.MaxOutputTokens.Value,
		Thinking:        ThinkingConfig(c),
		Betas:           c.Betas.Value,
		ExtraBody:       c.ExtraBody.Value,
		MaxRetries:      c.MaxRetries.Value,
		RequestTimeout:  c.Net.APITimeout.Value,
		Caching: provider.Caching{
			Disabled: c.DisablePromptCaching.Value,
			DisabledFamilies: map[string]bool{
				"opus":   c.DisablePromptCachingOpus.Value,
				"sonnet": c.DisablePromptCachingSonnet.Value,
				"haiku":  c.DisablePromptCachingHaiku.Value,
				"fable":  c.DisablePromptCachingFable.Value,
			},
			TTL1H:   c.PromptCaching1H.Value,
			Force5M: c.ForcePromptCaching5M.Value,
		},
	}
	if _, ok := config.GuardrailFrom(c.CustomHeaders.Value); ok {
		for _, t := range c.GuardrailInputTags.Value {
			switch t {
			case "prompt":
				pc.GuardContent.Prompt = true
			case "system":
				pc.GuardContent.System = true
			case "toolResults":
				pc.GuardContent.ToolResults = true
			}
		}
	}
	switch c.Provider.Value {
	case config.ProviderBedrock:
		pc.BaseURL = c.BedrockBaseURL.Value
		pc.EndpointSource = endpointSource("ANTHROPIC_BEDROCK_BASE_URL", c.BedrockBaseURL)
		if pc.BaseURL == "" {
			pc.EndpointSource = fmt.Sprintf("the endpoint of region %s, from %s", c.Region.Value, c.Region.Source)
		}
		pc.ServiceTier = c.Net.ServiceTier.Value
		if c.UsesMantle() {
			pc.ServiceTier = "" // Claude Code sends the tier to InvokeModel only
			pc.Mantle = &provider.Mantle{BaseURL: c.Net.MantleBaseURL.Value, SkipAuth: c.Net.SkipMantleAuth.Value}
			pc.EndpointSource = endpointSource("ANTHROPIC_BEDROCK_MANTLE_BASE_URL", c.Net.MantleBaseURL)
			if !c.Net.MantleBaseURL.Set {
				pc.EndpointSource = fmt.Sprintf("the Mantle endpoint of region %s, from %s", c.Region.Value, c.Region.Source)
			}
		}
	case config.ProviderAnthropic:
		pc.BaseURL = c.AnthropicBaseURL.Value
		pc.APIKey = c.Getenv("ANTHROPIC_API_KEY")
		pc.EndpointSource = endpointSource("ANTHROPIC_BASE_URL", c.AnthropicBaseURL)
		if pc.BaseURL == "" {
			pc.EndpointSource = "the Anthropic API"
		}
	}
	return pc
}

// endpointSource names the variable that set an endpoint and where it
// was set: "ANTHROPIC_BEDROCK_BASE_URL, from env" or "…, from user
// ~/.config/basalt/settings.json".
func endpointSource(name string, v config.Value[string]) string {
	src := string(v.Source.Kind)
	if v.Source.Kind != config.SourceEnv && v.Source.Name != "" {
		src += " " + v.Source.Name
	}
	return name + ", from " + src
}

// HTTPClient honours the corporate network of the effective environment
// (awsauth.Network): an HTTPS_PROXY or a CA bundle set in a settings
// file's env applies to basalt's own requests as it does in Claude Code,
// not only the process environment's, and so does a client certificate.
func HTTPClient(cfg *config.Config) *http.Client {
	return &http.Client{Transport: Transport(awsauth.NewNetwork(cfg.EnvMap()))}
}

// dialTimeout bounds connecting to the endpoint: an address that drops
// packets fails in seconds, like one that refuses them.
const dialTimeout = 10 * time.Second

// Transport is the round tripper of [HTTPClient] on the given network
// (shared with the AWS SDK's clients, so a bundle is parsed once). It is
// built on its first request: a run that sends nothing reads no bundle.
// A bundle or client certificate that cannot be used fails every request
// with its *awsauth.CAError or *awsauth.CertError.
func Transport(n *awsauth.Network) http.RoundTripper {
	return &lazyTransport{build: func() (*http.Transport, error) {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if err := n.Configure(tr); err != nil {
			return nil, err
		}
		tr.DialContext = dialer(&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second})
		return tr, nil
	}}
}

// dialer answers for the names RFC 6761 reserves as never resolving
// (".invalid") without asking a DNS server, and dials the rest.
func dialer(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err == nil && isInvalidName(host) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		}
		return d.DialContext(ctx, network, addr)
	}
}

func isInvalidName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

// lazyTransport builds its transport on the first request.
type lazyTransport struct {
	build func() (*http.Transport, error)

	once sync.Once
	tr   *http.Transport
	err  error
}

func (l *lazyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	l.once.Do(func() { l.tr, l.err = l.build() })
	if l.err != nil {
		if r.Body != nil {
			r.Body.Close() // a RoundTripper closes the body, even on error
		}
		return nil, l.err
	}
	return l.tr.RoundTrip(r)
}

// ThinkingConfig is the provider's reading of the thinking settings.
func ThinkingConfig(c *config.Config) provider.Thinking {
	t := provider.Thinking{
		Budget:             c.MaxThinkingTokens.Value,
		Effort:             c.Thinking.Effort.Value,
		Disable:            c.Thinking.Disable.Value,
		DisableAdaptive:    c.Thinking.DisableAdaptive.Value,
		DisableInterleaved: c.Thinking.DisableInterleaved.Value,
	}
	if c.Thinking.Always.Set {
		v := c.Thinking.Always.Value
		t.Always = &v
	}
	return t
}
