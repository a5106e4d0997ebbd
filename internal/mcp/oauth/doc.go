// Package oauth signs basalt in to HTTP MCP servers the way the MCP
// authorization specification (2025-06-18, 2025-11-25) asks of a client:
// protected-resource metadata discovery (RFC 9728), authorization-server
// metadata (RFC 8414, with the OpenID Connect discovery fallback), dynamic
// client registration (RFC 7591), the authorization-code grant with PKCE
// S256, the resource indicator (RFC 8707) and a loopback redirect
// (RFC 8252).
//
// The metadata, registration and WWW-Authenticate pieces come from the MCP
// Go SDK's oauthex and auth packages; the code exchange from
// golang.org/x/oauth2. This package adds what a terminal client needs
// around them: one [Client] per configured server, an interactive
// [Client.Login], a [Client.Transport] that never starts a login itself
// (it answers [ErrNeedsLogin] so the caller can say which server needs
// `basalt mcp login NAME`), refresh with the refresh token, and a [Store]
// of tokens and client registrations on disk, mode 0600.
//
// It must not print or log a token, a refresh token or a client secret,
// and it sends no traffic anywhere but the configured server, the
// authorization server that server names, and the loopback redirect.
package oauth
