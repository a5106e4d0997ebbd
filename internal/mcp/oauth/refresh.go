package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// refreshLocked trades the refresh token for a new access token and
// stores it. The caller holds c.lock and has checked that c.cached has a
// refresh token and a registration.
//
// golang.org/x/oauth2 refreshes without a way to add the RFC 8707
// resource parameter, which the MCP specification requires on every
// token request, so the refresh request is built here.
func (c *Client) refreshLocked(ctx context.Context) error {
	r := c.cached
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {r.Token.RefreshToken},
	}
	if r.Resource != "" {
		form.Set("resource", r.Resource)
	}
	tr, status, err := c.tokenRequest(ctx, r.Client, form)
	if err != nil {
		var oe *oauthError
		if errors.As(err, &oe) && (status == http.StatusBadRequest || status == http.StatusUnauthorized) {
			// Another basalt may have refreshed first and rotated the
			// refresh token away: its new token is in the file.
			if fresh, _ := c.store.load(c.server, c.serverURL); fresh != nil && fresh.Token != nil &&
				fresh.Token.RefreshToken != r.Token.RefreshToken && c.valid(fresh.Token) {
				c.cached = fresh
				return nil
			}
			// The authorization server refused the grant (invalid_grant:
			// revoked, expired): only a new login helps.
			c.dropTokenLocked()
			return &NeedsLoginError{Server: c.server, Reason: "refresh refused: " + oe.Error()}
		}
		return c.stepErr(StepRefresh, err, "check the network and the authorization server, then try again; if it persists, run `basalt mcp login "+c.server+"`")
	}
	next := tr.token(c.now())
	if next.RefreshToken == "" {
		// RFC 6749 §6: without a new refresh token the old one stays good.
		next.RefreshToken = r.Token.RefreshToken
	}
	if next.Scope == "" {
		next.Scope = r.Token.Scope
	}
	r.Token = next
	if err := c.store.save(r); err != nil {
		return c.stepErr(StepRefresh, fmt.Errorf("store the new token: %w", err), "")
	}
	return nil
}

// tokenResponse is RFC 6749 §5.1.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
}

func (t tokenResponse) token(now time.Time) *token {
	tok := &token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken, Scope: t.Scope}
	if t.ExpiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(t.ExpiresIn) * time.Second)
	}
	return tok
}

// oauthError is RFC 6749 §5.2. Its text carries the code and description
// only: a server's raw body could echo what we sent.
type oauthError struct {
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func (e *oauthError) Error() string {
	if e.Description != "" {
		return e.Code + ": " + e.Description
	}
	return e.Code
}

// tokenRequest posts form to the token endpoint with the client's
// authentication and returns the decoded answer and the HTTP status.
func (c *Client) tokenRequest(ctx context.Context, reg *registration, form url.Values) (*tokenResponse, int, error) {
	switch reg.AuthMethod {
	case "client_secret_basic":
	default:
		form.Set("client_id", reg.ClientID)
		if reg.AuthMethod == "client_secret_post" && reg.ClientSecret != "" {
			form.Set("client_secret", reg.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, reg.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if reg.AuthMethod == "client_secret_basic" {
		req.SetBasicAuth(url.QueryEscape(reg.ClientID), url.QueryEscape(reg.ClientSecret))
	}
	resp, err := (&http.Client{Transport: c.base}).Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		var oe oauthError
		if json.Unmarshal(body, &oe) == nil && oe.Code != "" {
			return nil, resp.StatusCode, &oe
		}
		return nil, resp.StatusCode, fmt.Errorf("token endpoint answered %s", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		return nil, resp.StatusCode, fmt.Errorf("token endpoint answered %q, not JSON", mt)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, resp.StatusCode, fmt.Errorf("decode token response: %v", err)
	}
	if tr.AccessToken == "" {
		return nil, resp.StatusCode, errors.New("token response has no access_token")
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return nil, resp.StatusCode, fmt.Errorf("token type %q is not Bearer", tr.TokenType)
	}
	return &tr, resp.StatusCode, nil
}
