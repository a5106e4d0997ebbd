package oauth

import (
	"context"
	"net/http"
	"time"
)

// expirySkew treats a token as expired this long before its expiry, so a
// request does not leave with a token that dies on the way.
const expirySkew = 30 * time.Second

// Client holds one MCP server's OAuth state: it logs in, keeps the token
// fresh and signs requests. Its methods are safe for concurrent use.
type Client struct {
	server    string
	serverURL string
	store     Store
	base      http.RoundTripper
	now       func() time.Time

	// lock guards cached and serializes refreshes. It is a channel, not a
	// mutex, so a request waiting for another's refresh can give up when
	// its context ends.
	lock   chan struct{}
	cached *record
}

// NewClient returns the Client of the MCP server called server at
// serverURL, keeping its state in store and sending its requests (to the
// MCP server and to the authorization server) through base, or
// http.DefaultTransport when base is nil.
func NewClient(server, serverURL string, store Store, base http.RoundTripper) *Client {
	if base == nil {
		base = http.DefaultTransport
	}
	return &Client{
		server: server, serverURL: serverURL, store: store, base: base,
		now:  time.Now,
		lock: make(chan struct{}, 1),
	}
}

// Status is what a user is told about a server's login.
type Status int

const (
	// StatusNeedsLogin: no token, or one the server or the authorization
	// server refused.
	StatusNeedsLogin Status = iota
	// StatusLoggedIn: an access token that has not expired.
	StatusLoggedIn
	// StatusExpired: the access token expired; the refresh token will be
	// tried on the next request.
	StatusExpired
)

func (s Status) String() string {
	switch s {
	case StatusLoggedIn:
		return "logged in"
	case StatusExpired:
		return "expired"
	}
	return "needs login"
}

// Status reads the stored state. An unreadable record counts as needing a
// login.
func (c *Client) Status() Status {
	r, err := c.store.load(c.server, c.serverURL)
	if err != nil || r.Token == nil || r.Token.AccessToken == "" {
		return StatusNeedsLogin
	}
	if c.valid(r.Token) {
		return StatusLoggedIn
	}
	if r.Token.RefreshToken != "" && r.Client != nil {
		return StatusExpired
	}
	return StatusNeedsLogin
}

// Logout forgets the server's tokens and client registration.
func (c *Client) Logout() error {
	if err := c.acquire(context.Background()); err != nil {
		return err
	}
	defer c.release()
	c.cached = nil
	return c.store.remove(c.server)
}

func (c *Client) valid(t *token) bool {
	return t.AccessToken != "" && (t.Expiry.IsZero() || c.now().Add(expirySkew).Before(t.Expiry))
}

func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) release() { <-c.lock }
