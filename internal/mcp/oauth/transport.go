package oauth

import (
	"context"
	"io"
	"net/http"
	"strings"
)

// Transport returns a RoundTripper for requests to the MCP server. It adds
// `Authorization: Bearer` with the stored token, refreshing an expired one
// first (one refresh however many requests wait for it). It never starts
// a login: it returns an error wrapping [ErrNeedsLogin] that names the
// server when
//   - the refresh token is refused, or there is none for an expired token;
//   - the server answers 401 with a WWW-Authenticate challenge, after one
//     refresh and retry when a refresh token and a replayable body allow.
//
// With no token stored at all the request goes out without Authorization,
// so a server that needs no login works through the same transport; if it
// answers 401 with a challenge, that too is [ErrNeedsLogin].
func (c *Client) Transport() http.RoundTripper { return transport{c} }

type transport struct{ c *Client }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	tok, err := c.token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := c.base.RoundTrip(authorize(req, tok))
	if err != nil || !challenged(resp) {
		return resp, err
	}
	drain(resp)
	if tok == "" {
		closeBody(req)
		return nil, &NeedsLoginError{Server: c.server, Reason: "the server asks for a login"}
	}
	// The server refused a token we thought good (revoked, or the server
	// restarted): refresh once if that token is still the current one, and
	// retry when the body can be sent again.
	fresh, err := c.refreshAfterRejection(req.Context(), tok)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	retry, ok := rewind(req)
	if !ok {
		return nil, &NeedsLoginError{Server: c.server, Reason: "the server refused the token"}
	}
	resp, err = c.base.RoundTrip(authorize(retry, fresh))
	if err != nil || !challenged(resp) {
		return resp, err
	}
	drain(resp)
	c.dropToken(fresh)
	return nil, &NeedsLoginError{Server: c.server, Reason: "the server refused the token"}
}

// token returns the access token to send: "" when none is stored, the
// stored one while valid, else a refreshed one.
func (c *Client) token(ctx context.Context) (string, error) {
	if err := c.acquire(ctx); err != nil {
		return "", err
	}
	defer c.release()
	if c.cached == nil || c.cached.Token == nil || !c.valid(c.cached.Token) {
		// Read the file again: another basalt may have logged in or
		// refreshed (and rotated the refresh token) since.
		r, err := c.store.load(c.server, c.serverURL)
		if err != nil {
			return "", c.stepErr(StepRefresh, err, "")
		}
		c.cached = r
	}
	r := c.cached
	switch {
	case r.Token == nil || r.Token.AccessToken == "":
		return "", nil
	case c.valid(r.Token):
		return r.Token.AccessToken, nil
	case r.Token.RefreshToken == "" || r.Client == nil:
		return "", &NeedsLoginError{Server: c.server, Reason: "the access token expired and there is no refresh token"}
	}
	if err := c.refreshLocked(ctx); err != nil {
		return "", err
	}
	return c.cached.Token.AccessToken, nil
}

// refreshAfterRejection refreshes unless another request already replaced
// the rejected token, and returns the token to retry with.
func (c *Client) refreshAfterRejection(ctx context.Context, rejected string) (string, error) {
	if err := c.acquire(ctx); err != nil {
		return "", err
	}
	defer c.release()
	if c.cached != nil && c.cached.Token != nil && c.cached.Token.AccessToken != rejected && c.valid(c.cached.Token) {
		return c.cached.Token.AccessToken, nil
	}
	if c.cached == nil || c.cached.Token == nil || c.cached.Token.RefreshToken == "" || c.cached.Client == nil {
		c.dropTokenLocked()
		return "", &NeedsLoginError{Server: c.server, Reason: "the server refused the token"}
	}
	if err := c.refreshLocked(ctx); err != nil {
		return "", err
	}
	return c.cached.Token.AccessToken, nil
}

// dropToken forgets tok if it is still the current token, keeping the
// client registration for the next login.
func (c *Client) dropToken(tok string) {
	if c.acquire(context.Background()) != nil {
		return
	}
	defer c.release()
	if c.cached != nil && c.cached.Token != nil && c.cached.Token.AccessToken == tok {
		c.dropTokenLocked()
	}
}

func (c *Client) dropTokenLocked() {
	if c.cached == nil || c.cached.Token == nil {
		return
	}
	dropped := c.cached.Token.AccessToken
	c.cached.Token = nil
	if onDisk, err := c.store.load(c.server, c.serverURL); err == nil && onDisk.Token != nil && onDisk.Token.AccessToken != dropped {
		return // another basalt stored a newer token: keep it
	}
	// Best effort: if the file cannot be written, Status still reads the
	// old token, and the next request is refused again.
	_ = c.store.save(c.cached)
}

func authorize(req *http.Request, tok string) *http.Request {
	if tok == "" {
		return req
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return r
}

// challenged reports a 401 carrying a WWW-Authenticate challenge: the
// server asks for (another) token. A bare 401 is passed on as it is.
func challenged(resp *http.Response) bool {
	if resp.StatusCode != http.StatusUnauthorized {
		return false
	}
	for _, h := range resp.Header.Values("WWW-Authenticate") {
		if strings.TrimSpace(h) != "" {
			return true
		}
	}
	return false
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// rewind returns a copy of req whose body can be sent again.
func rewind(req *http.Request) (*http.Request, bool) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r.Body = body
	return r, true
}

// closeBody honours the RoundTripper contract: the request body is closed
// even when no request is sent.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
