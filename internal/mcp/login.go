package mcp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/mcp/oauth"
)

// oauthClient is the OAuth 2.1 client of the HTTP or SSE server s, its
// tokens kept under stateDir.
func oauthClient(s config.MCPServer, stateDir string, base http.RoundTripper) *oauth.Client {
	return oauth.NewClient(s.Name, s.URL, oauth.Store{Dir: oauth.DefaultDir(stateDir)}, base)
}

// Login runs the OAuth browser flow of the HTTP server s, storing its
// tokens under stateDir; open shows the user the authorization URL.
func Login(ctx context.Context, s config.MCPServer, stateDir string, open func(url string) error) error {
	if s.Type == config.MCPStdio {
		return fmt.Errorf("%s is a stdio server: only HTTP and SSE servers log in", s.Name)
	}
	return oauthClient(s, stateDir, http.DefaultTransport).Login(ctx, open)
}

// authTransport is base with the server's stored OAuth tokens added and
// refreshed. A server that needs no login is sent requests without a
// token; one that answers 401 with a challenge is reported as needing a
// login (oauth.ErrNeedsLogin).
func authTransport(s config.MCPServer, stateDir string, base http.RoundTripper) http.RoundTripper {
	return oauthClient(s, stateDir, base).Transport()
}

// needsLogin reports whether a connection error means the server wants
// the user to log in.
func needsLogin(err error) bool {
	var ue *unauthorizedError
	return errors.As(err, &ue) || errors.Is(err, oauth.ErrNeedsLogin)
}
