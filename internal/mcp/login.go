package mcp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/basalt-dev/basalt/internal/config"
)

// ErrLoginUnsupported is returned by [Login] in a build without the
// OAuth client.
var ErrLoginUnsupported = errors.New("this basalt has no OAuth client for MCP servers yet")

// Login runs the OAuth browser flow of the HTTP server s, storing its
// tokens under stateDir; open shows the user the authorization URL.
// This is the one place the OAuth client (internal/mcp/oauth) plugs in.
func Login(ctx context.Context, s config.MCPServer, stateDir string, open func(url string) error) error {
	if s.Type == config.MCPStdio {
		return fmt.Errorf("%s is a stdio server: only HTTP and SSE servers log in", s.Name)
	}
	return ErrLoginUnsupported
}

// authTransport is base with the server's stored OAuth tokens added; the
// OAuth client plugs in here.
func authTransport(s config.MCPServer, stateDir string, base http.RoundTripper) http.RoundTripper {
	return base
}

// needsLogin reports whether a connection error means the server wants
// the user to log in.
func needsLogin(err error) bool {
	var ue *unauthorizedError
	return errors.As(err, &ue)
}
