package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/net/http/httpproxy"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/provider"
)

// newProvider builds the credentials and the model client from the loaded
// configuration. The output of awsAuthRefresh goes to refreshOut, line by
// line (stderr in headless mode; the TUI passes its own sink).
func (a *App) newProvider(ctx context.Context, refreshOut func(string)) (*provider.Client, error) {
	c, _, err := a.newProviderAuth(ctx, refreshOut)
	return c, err
}

// newProviderAuth is newProvider that also returns the credentials (nil
// off Bedrock), for /status to say where they come from.
func (a *App) newProviderAuth(ctx context.Context, refreshOut func(string)) (*provider.Client, *awsauth.Auth, error) {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.RequireProvider(); err != nil {
		return nil, nil, &UsageError{Err: err, Hint: "for example: export CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1"}
	}
	if refreshOut == nil {
		refreshOut = func(line string) { fmt.Fprintf(a.IO.ErrOut, "awsAuthRefresh: %s\n", line) }
	}
	var auth *awsauth.Auth
	if cfg.Provider.Value == config.ProviderBedrock {
		auth, err = awsauth.New(ctx, awsauth.Options{
			Env:            cfg.EnvMap(),
			Region:         cfg.Region.Value,
			SkipAuth:       cfg.SkipBedrockAuth.Value,
			ExportCommand:  cfg.AWSCredentialExport.Value,
			RefreshCommand: cfg.AWSAuthRefresh.Value,
			RefreshOutput:  refreshOut,
			Log:            a.Log,
		})
		if err != nil {
			return nil, nil, err
		}
	}
	pc := provider.ConfigFrom(cfg, auth)
	pc.Log = a.Log
	pc.HTTPClient = httpClient(cfg)
	c, err := provider.New(pc)
	return c, auth, err
}

// httpClient honours the proxy variables of the effective environment, so
// that an HTTPS_PROXY set in a settings file's env applies to basalt's own
// requests as it does in Claude Code, not only the process environment's.
func httpClient(cfg *config.Config) *http.Client {
	either := func(upper, lower string) string {
		if v := cfg.Getenv(upper); v != "" {
			return v
		}
		return cfg.Getenv(lower)
	}
	proxy := (&httpproxy.Config{
		HTTPProxy:  either("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: either("HTTPS_PROXY", "https_proxy"),
		NoProxy:    either("NO_PROXY", "no_proxy"),
	}).ProxyFunc()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
	return &http.Client{Transport: tr}
}
