package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// challenge is what a 401 from the MCP server told us.
type challenge struct {
	// ResourceMetadata is the RFC 9728 §5.1 resource_metadata URL.
	ResourceMetadata string
	// Scope is the scope the server asks for, space separated.
	Scope string
}

// parseChallenge reads the Bearer challenge's resource_metadata and scope
// from WWW-Authenticate values, through the SDK's RFC 9110 parser.
func parseChallenge(values []string) (challenge, error) {
	cs, err := oauthex.ParseWWWAuthenticate(values)
	if err != nil {
		return challenge{}, err
	}
	var ch challenge
	for _, c := range cs {
		if c.Scheme != "bearer" {
			continue
		}
		if ch.ResourceMetadata == "" {
			ch.ResourceMetadata = c.Params["resource_metadata"]
		}
		if ch.Scope == "" {
			ch.Scope = c.Params["scope"]
		}
	}
	return ch, nil
}

// probe sends the MCP server an unauthenticated JSON-RPC ping, as a client
// without a token would, and returns the challenge of its 401. Any other
// answer is an empty challenge: discovery then tries the well-known URLs.
func (c *Client) probe(ctx context.Context) (challenge, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.serverURL,
		strings.NewReader(`{"jsonrpc":"2.0","id":0,"method":"ping"}`))
	if err != nil {
		return challenge{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return challenge{}, err
	}
	drain(resp)
	if resp.StatusCode != http.StatusUnauthorized {
		return challenge{}, nil
	}
	ch, err := parseChallenge(resp.Header.Values("WWW-Authenticate"))
	if err != nil {
		return challenge{}, fmt.Errorf("read WWW-Authenticate: %v", err)
	}
	return ch, nil
}

// metadataCandidates lists where the protected-resource metadata may be,
// in the order the MCP specification (2025-11-25, "Protected Resource
// Metadata Discovery Requirements") gives, each with the resource
// identifier RFC 9728 §3.3 requires the document to name.
func metadataCandidates(fromHeader, serverURL string) [][2]string {
	var out [][2]string
	u, err := url.Parse(serverURL)
	if fromHeader != "" {
		// RFC 9728 wants an absolute URL; a server that sends a path
		// means one on itself, so resolve it rather than fail on it.
		if h, herr := url.Parse(fromHeader); herr == nil && !h.IsAbs() && err == nil {
			fromHeader = u.ResolveReference(h).String()
		}
		out = append(out, [2]string{fromHeader, serverURL})
	}
	if err != nil {
		return out
	}
	m := *u
	m.RawQuery, m.Fragment = "", ""
	if p := strings.Trim(u.Path, "/"); p != "" {
		m.Path = "/.well-known/oauth-protected-resource/" + p
		out = append(out, [2]string{m.String(), serverURL})
	}
	m.Path = "/.well-known/oauth-protected-resource"
	root := *u
	root.Path, root.RawQuery, root.Fragment = "", "", ""
	out = append(out, [2]string{m.String(), root.String()})
	return out
}

// discover finds the resource's metadata and its authorization server's.
func (c *Client) discover(ctx context.Context, ch challenge) (*oauthex.ProtectedResourceMetadata, *oauthex.AuthServerMeta, error) {
	// Wrapped so the SDK does not swap in its dialer that refuses private
	// addresses: a company's MCP server is often a name that resolves to
	// 10.x. The SDK still refuses metadata URLs that are literal private
	// addresses or plain HTTP off loopback, and redirects into them.
	hc := &http.Client{Transport: roundTripperFunc(c.base.RoundTrip)}
	var prm *oauthex.ProtectedResourceMetadata
	var tried []error
	for _, cand := range metadataCandidates(ch.ResourceMetadata, c.serverURL) {
		m, err := oauthex.GetProtectedResourceMetadata(ctx, cand[0], cand[1], hc)
		if err != nil {
			tried = append(tried, err)
			continue
		}
		if len(m.AuthorizationServers) == 0 {
			return nil, nil, fmt.Errorf("protected-resource metadata at %s names no authorization server", cand[0])
		}
		prm = m
		break
	}
	if prm == nil {
		if ch.ResourceMetadata != "" {
			// The server pointed at its metadata and it was unusable: do
			// not guess past that.
			return nil, nil, fmt.Errorf("protected-resource metadata: %w", errors.Join(tried...))
		}
		// MCP 2025-03-26: a server without RFC 9728 metadata is its own
		// authorization server.
		u, err := url.Parse(c.serverURL)
		if err != nil {
			return nil, nil, err
		}
		u.Path, u.RawQuery, u.Fragment = "", "", ""
		prm = &oauthex.ProtectedResourceMetadata{Resource: c.serverURL, AuthorizationServers: []string{u.String()}}
	}
	issuer := prm.AuthorizationServers[0]
	asm, err := auth.GetAuthServerMetadata(ctx, issuer, hc)
	if err != nil {
		return nil, nil, fmt.Errorf("authorization server metadata of %s: %w", issuer, err)
	}
	if asm == nil {
		return nil, nil, fmt.Errorf("authorization server %s publishes no metadata (RFC 8414 or OpenID Connect discovery)", issuer)
	}
	if !slices.Contains(asm.CodeChallengeMethodsSupported, "S256") {
		return nil, nil, fmt.Errorf("authorization server %s does not support PKCE S256", issuer)
	}
	return prm, asm, nil
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
