package provider_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/provider"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// keysOnly is a client rig with static keys and no server.
func keysOnly(t *testing.T) *bedrock {
	env := emulatortest.Env(t)
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIAEXAMPLE", "secret"
	return &bedrock{env: env}
}

// TestUnreachableFailsFast: an endpoint that cannot be reached at all
// fails on the first attempt, in one sentence naming the endpoint and
// the variable that set it; nothing is retried. Every server is on
// loopback, and the unresolvable name never reaches a resolver.
func TestUnreachableFailsFast(t *testing.T) {
	t.Parallel()
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	selfSigned := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(selfSigned.Close)
	// What harness.HTTPClient does for RFC 6761's reserved name.
	noDNS := &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}}
	b := keysOnly(t)
	tests := []struct {
		name, url string
		client    *http.Client
		want      string
	}{
		{"connection refused", "http://" + closedPort(t), nil, "connection refused"},
		{"no such host", "https://bedrock.example.invalid", noDNS, "no such host bedrock.example.invalid"},
		{"plain HTTP on https", strings.Replace(plain.URL, "http://", "https://", 1), nil, "TLS: the server does not speak TLS"},
		{"untrusted certificate", selfSigned.URL, nil, "TLS: the server's certificate is signed by an authority this machine does not trust"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := b.client(t, clientOpts{mutate: func(c *provider.Config) {
				c.BaseURL, c.EndpointSource = tt.url, "ANTHROPIC_BEDROCK_BASE_URL, from env"
				c.BackoffBase, c.BackoffMax = time.Second, time.Second // a retry would show in the time taken
				if tt.client != nil {
					c.HTTPClient = tt.client
				}
			}})
			start := time.Now()
			retries := 0
			_, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, func(ev provider.Event) {
				if ev.Kind == provider.EventRetry {
					retries++
				}
			})
			var api *provider.APIError
			if !errors.As(err, &api) || api.Kind != provider.KindUnreachable || !errors.Is(err, provider.ErrUnreachable) {
				t.Fatalf("error %v; want an unreachable endpoint", err)
			}
			origin := tt.url
			wantMsg := "cannot reach " + origin + " (ANTHROPIC_BEDROCK_BASE_URL, from env): " + tt.want
			if !strings.HasPrefix(err.Error(), wantMsg) {
				t.Errorf("message:\n%s\nwant it to start with:\n%s", err, wantMsg)
			}
			if retries != 0 || api.Attempts != 1 || time.Since(start) > 3*time.Second {
				t.Errorf("%d retries, %d attempts in %s; want one attempt", retries, api.Attempts, time.Since(start))
			}
			if !strings.Contains(api.Fix, "ANTHROPIC_BEDROCK_BASE_URL") {
				t.Errorf("fix %q does not name the variable", api.Fix)
			}
			// The control plane says the same, without the SDK's chain.
			_, err = c.ListProfiles(t.Context(), "")
			if !errors.Is(err, provider.ErrUnreachable) || strings.Contains(err.Error(), "operation error") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ListProfiles: %v; want the same one sentence", err)
			}
		})
	}
}

// TestConnectionLostMidRequestIsRetried: a connection that was made and
// then dropped is still retried, as before.
func TestConnectionLostMidRequestIsRetried(t *testing.T) {
	t.Parallel()
	drop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer drop.Close()
	b := keysOnly(t)
	c := b.client(t, clientOpts{mutate: func(c *provider.Config) { c.BaseURL, c.MaxRetries = drop.URL, 2 }})
	retries := 0
	_, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, func(ev provider.Event) {
		if ev.Kind == provider.EventRetry {
			retries++
		}
	})
	var api *provider.APIError
	if !errors.As(err, &api) || api.Kind != provider.KindConnection || retries != 2 {
		t.Errorf("error %v after %d retries; want a lost connection retried twice", err, retries)
	}
}

// TestUnreachableProxy: a proxy that does not answer is named as such,
// with the proxy variables as the fix.
func TestUnreachableProxy(t *testing.T) {
	t.Parallel()
	proxy := "http://" + closedPort(t)
	b := keysOnly(t)
	c := b.client(t, clientOpts{mutate: func(c *provider.Config) {
		c.BaseURL, c.EndpointSource = "http://bedrock.example.test", "ANTHROPIC_BEDROCK_BASE_URL, from env"
		c.HTTPClient = &http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return url.Parse(proxy) }}}
	}})
	_, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil)
	var api *provider.APIError
	if !errors.As(err, &api) {
		t.Fatalf("error %v; want an *APIError", err)
	}
	if !strings.Contains(err.Error(), "the proxy: connection refused") || !strings.Contains(api.Fix, "HTTPS_PROXY") || api.Attempts != 1 {
		t.Errorf("error %v (fix %q, %d attempts); want the proxy named, once", err, api.Fix, api.Attempts)
	}
}
