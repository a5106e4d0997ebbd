package oauth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/oauthex"
	"golang.org/x/oauth2"
)

// loginTimeout bounds a login whose context has no deadline: a browser
// tab closed without an answer must not hold the command forever.
const loginTimeout = 5 * time.Minute

// clientName is how basalt introduces itself in a registration.
const clientName = "basalt"

// Login runs the whole authorization-code flow for the server and stores
// the result: it asks the server for its challenge, discovers the
// protected-resource and authorization-server metadata, registers a
// client when none is stored for that authorization server, listens on
// 127.0.0.1 for the redirect, calls open with the authorization URL (a
// person opens it in a browser), checks the state of the redirect,
// exchanges the code with the PKCE verifier and the resource indicator,
// and stores the tokens.
//
// open is called once, from the calling goroutine; an error from it ends
// the login. Without a deadline on ctx the wait for the browser ends
// after five minutes.
func (c *Client) Login(ctx context.Context, open func(url string) error) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, loginTimeout)
		defer cancel()
	}
	// c.lock is not held while the browser is open: a request to a
	// server that needs no token must not wait minutes for a login.
	ch, err := c.probe(ctx)
	if err != nil {
		return c.stepErr(StepDiscovery, err, "check the server URL and that the server is running")
	}
	prm, asm, err := c.discover(ctx, ch)
	if err != nil {
		return c.stepErr(StepDiscovery, err, "the server may not support OAuth; check its URL, or give it a token in `headers`")
	}

	rec, err := c.store.load(c.server, c.serverURL)
	if err != nil {
		return c.stepErr(StepRegistration, err, "")
	}
	rec.Resource = prm.Resource
	if rec.Client != nil && (rec.Client.Issuer != asm.Issuer || rec.Client.secretExpired(c.now())) {
		rec.Client = nil // registered with another authorization server, or lapsed
	}

	var cb *callback
	if rec.Client != nil {
		// Reuse the registered port when free: some servers match
		// redirect URIs exactly, port included, despite RFC 8252 §7.3.
		cb, err = listenCallback(rec.Client.RedirectURI)
	} else {
		cb, err = listenCallback("")
	}
	if err != nil {
		return c.stepErr(StepAuthorization, fmt.Errorf("listen for the redirect on 127.0.0.1: %w", err), "")
	}
	defer cb.close()
	if rec.Client != nil && cb.redirectURI != rec.Client.RedirectURI {
		// The registered port is taken: a server that matches redirect URIs
		// exactly would show the user an error page and never redirect, so
		// register again with the port we have.
		rec.Client = nil
	}

	if rec.Client == nil {
		reg, err := c.register(ctx, asm, cb.redirectURI)
		if err != nil {
			return err
		}
		rec.Client = reg
		rec.Token = nil
		// Stored at once: a login that fails later must not register yet
		// another client next time.
		if err := c.store.save(rec); err != nil {
			return c.stepErr(StepRegistration, fmt.Errorf("store the registration: %w", err), "")
		}
	}
	redirectURI := cb.redirectURI

	scopes := strings.Fields(ch.Scope)
	if len(scopes) == 0 {
		scopes = prm.ScopesSupported
	}
	if slices.Contains(asm.ScopesSupported, "offline_access") && !slices.Contains(scopes, "offline_access") {
		// We keep refresh tokens safely (mode 0600): ask for one where the
		// server makes it a scope (MCP SEP-2207).
		scopes = append(slices.Clip(scopes), "offline_access")
	}
	cfg := &oauth2.Config{
		ClientID:    rec.Client.ClientID,
		Endpoint:    oauth2.Endpoint{AuthURL: asm.AuthorizationEndpoint, TokenURL: asm.TokenEndpoint},
		RedirectURL: redirectURI,
		Scopes:      scopes,
	}
	verifier := oauth2.GenerateVerifier()
	state := rand.Text()
	authURL := cfg.AuthCodeURL(state,
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("resource", prm.Resource))
	if err := open(authURL); err != nil {
		return c.stepErr(StepAuthorization, fmt.Errorf("open the browser: %w", err), "open the printed URL by hand")
	}
	res, err := cb.wait(ctx)
	if err != nil {
		return c.stepErr(StepAuthorization, err, "run `basalt mcp login "+c.server+"` again and finish in the browser; "+
			"if the browser showed an error about the client, delete "+c.store.path(c.server)+" first")
	}
	if err := checkRedirect(res, state, asm); err != nil {
		return c.stepErr(StepAuthorization, err, "run `basalt mcp login "+c.server+"` again")
	}

	// The registration may have changed the endpoints (a new discovery);
	// keep the ones in use now for refreshes.
	rec.Client.AuthURL, rec.Client.TokenURL = asm.AuthorizationEndpoint, asm.TokenEndpoint
	rec.Client.RedirectURI = redirectURI
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {res.Get("code")},
		"redirect_uri":  {redirectURI},
		"code_verifier": {verifier},
		"resource":      {prm.Resource},
	}
	tr, _, err := c.tokenRequest(ctx, rec.Client, form)
	var oe *oauthError
	if errors.As(err, &oe) && oe.Code == "invalid_client" {
		// The server no longer knows our registration: forget it, so the
		// next login registers again.
		rec.Client, rec.Token = nil, nil
		if serr := c.store.save(rec); serr != nil {
			err = errors.Join(err, serr)
		}
	}
	if err != nil {
		return c.stepErr(StepTokenExchange, err, "run `basalt mcp login "+c.server+"` again; if it fails again, the server's authorization setup is at fault")
	}
	rec.Token = tr.token(c.now())
	if rec.Token.Scope == "" {
		rec.Token.Scope = strings.Join(scopes, " ")
	}
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	if err := c.store.save(rec); err != nil {
		return c.stepErr(StepTokenExchange, fmt.Errorf("store the token: %w", err), "")
	}
	c.cached = rec
	return nil
}

// register makes basalt a public native client of the authorization
// server (RFC 7591) with the loopback redirect URI.
func (c *Client) register(ctx context.Context, asm *oauthex.AuthServerMeta, redirectURI string) (*registration, error) {
	if asm.RegistrationEndpoint == "" {
		return nil, c.stepErr(StepRegistration,
			fmt.Errorf("authorization server %s offers no dynamic client registration", asm.Issuer),
			"this server needs a client registered by hand, which basalt does not support yet")
	}
	meta := &oauthex.ClientRegistrationMetadata{
		RedirectURIs:            []string{redirectURI},
		TokenEndpointAuthMethod: "none",
		GrantTypes:              []string{"authorization_code", "refresh_token"},
		ResponseTypes:           []string{"code"},
		ClientName:              clientName,
		ApplicationType:         "native",
	}
	resp, err := oauthex.RegisterClient(ctx, asm.RegistrationEndpoint, meta, &http.Client{Transport: c.base})
	if err != nil {
		return nil, c.stepErr(StepRegistration, err, "the authorization server refused to register basalt; check its logs or ask its administrator")
	}
	method := resp.TokenEndpointAuthMethod
	if method == "" {
		if resp.ClientSecret != "" {
			method = "client_secret_basic" // RFC 7591 §2's default
		} else {
			method = "none"
		}
	}
	var secretExpires int64
	if !resp.ClientSecretExpiresAt.IsZero() {
		secretExpires = resp.ClientSecretExpiresAt.Unix()
	}
	return &registration{
		SecretExpiresAt: secretExpires,
		Issuer:          asm.Issuer,
		ClientID:        resp.ClientID,
		ClientSecret:    resp.ClientSecret,
		AuthMethod:      method,
		RedirectURI:     redirectURI,
		AuthURL:         asm.AuthorizationEndpoint,
		TokenURL:        asm.TokenEndpoint,
		RegisteredAt:    c.now().Unix(),
	}, nil
}

// checkRedirect verifies the authorization response: the state we sent
// (CSRF), no error, a code, and per RFC 9207 the issuer when given.
func checkRedirect(q url.Values, state string, asm *oauthex.AuthServerMeta) error {
	if q.Get("state") != state {
		return errors.New("the redirect carries the wrong state; it did not come from this login")
	}
	if e := q.Get("error"); e != "" {
		msg := "the authorization server refused: " + e
		if d := q.Get("error_description"); d != "" {
			msg += ": " + d
		}
		return errors.New(msg)
	}
	if q.Get("code") == "" {
		return errors.New("the redirect carries no authorization code")
	}
	if iss := q.Get("iss"); iss != "" && iss != asm.Issuer {
		return fmt.Errorf("the redirect names issuer %q, not %q", iss, asm.Issuer)
	}
	if asm.AuthorizationResponseIssParameterSupported && q.Get("iss") == "" {
		return errors.New("the redirect carries no issuer though the server promises one (RFC 9207)")
	}
	return nil
}
