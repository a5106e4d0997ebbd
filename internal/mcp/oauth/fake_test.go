package oauth

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// fakeServer is an MCP-like protected resource at /mcp and its
// authorization server in one httptest server: RFC 9728 and RFC 8414
// metadata, RFC 7591 registration, authorization with PKCE S256 and the
// RFC 8707 resource, a token endpoint for codes and refresh tokens.
type fakeServer struct {
	t   *testing.T
	srv *httptest.Server

	// Options, set before use.
	oidcOnly       bool          // serve only /.well-known/openid-configuration
	noHeaderHint   bool          // 401 without resource_metadata
	noRefresh      bool          // issue no refresh tokens
	refreshDelay   time.Duration // widen the window for concurrent refreshes
	refuseRefresh  bool          // answer invalid_grant to refresh_token
	redirectState  string        // when set, redirect with this state instead
	expectResource string        // defaults to the /mcp URL
	refuseRegister bool          // answer registration with 400
	noRegistration bool          // publish no registration_endpoint
	noS256         bool          // publish only the plain PKCE method
	deny           bool          // redirect with error=access_denied
	issuerPath     string        // publish another issuer than the URL
	mcpHandler     http.Handler  // when set, serves /mcp instead of the stub
	invalidClient  bool          // token endpoint: invalid_client

	mu            sync.Mutex
	clients       map[string]string // client_id → redirect URI
	codes         map[string]grant
	access        map[string]bool // valid access tokens
	refresh       map[string]bool // valid refresh tokens
	registrations int
	refreshes     int
	exchanges     int
}

type grant struct {
	clientID, redirectURI, challenge, resource string
}

func newFakeServer(t *testing.T) *fakeServer {
	f := &fakeServer{t: t, clients: map[string]string{}, codes: map[string]grant{}, access: map[string]bool{}, refresh: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/oauth-protected-resource/mcp", f.resourceMetadata)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", f.serverMetadata(false))
	mux.HandleFunc("GET /.well-known/openid-configuration", f.serverMetadata(true))
	mux.HandleFunc("POST /register", f.register)
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("/mcp", f.mcp)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) mcpURL() string { return f.srv.URL + "/mcp" }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeServer) resourceMetadata(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"resource":              f.mcpURL(),
		"authorization_servers": []string{f.srv.URL},
		"scopes_supported":      []string{"mcp:tools"},
	})
}

func (f *fakeServer) serverMetadata(oidc bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.oidcOnly != oidc {
			http.NotFound(w, r)
			return
		}
		meta := map[string]any{
			"issuer":                                f.srv.URL + f.issuerPath,
			"authorization_endpoint":                f.srv.URL + "/authorize",
			"token_endpoint":                        f.srv.URL + "/token",
			"registration_endpoint":                 f.srv.URL + "/register",
			"response_types_supported":              []string{"code"},
			"code_challenge_methods_supported":      []string{"S256"},
			"scopes_supported":                      []string{"mcp:tools", "offline_access"},
			"token_endpoint_auth_methods_supported": []string{"none"},
		}
		if f.noRegistration {
			delete(meta, "registration_endpoint")
		}
		if f.noS256 {
			meta["code_challenge_methods_supported"] = []string{"plain"}
		}
		writeJSON(w, 200, meta)
	}
}

func (f *fakeServer) register(w http.ResponseWriter, r *http.Request) {
	var meta struct {
		RedirectURIs []string `json:"redirect_uris"`
		AuthMethod   string   `json:"token_endpoint_auth_method"`
	}
	if err := json.NewDecoder(r.Body).Decode(&meta); err != nil || len(meta.RedirectURIs) != 1 {
		writeJSON(w, 400, map[string]string{"error": "invalid_client_metadata"})
		return
	}
	if f.refuseRegister {
		writeJSON(w, 400, map[string]string{"error": "invalid_redirect_uri", "error_description": "loopback redirects are not allowed"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.registrations++
	id := "client-" + rand.Text()[:8]
	f.clients[id] = meta.RedirectURIs[0]
	writeJSON(w, 201, map[string]any{
		"client_id":                  id,
		"redirect_uris":              meta.RedirectURIs,
		"token_endpoint_auth_method": meta.AuthMethod,
	})
}

func (f *fakeServer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	registered, ok := f.clients[q.Get("client_id")]
	switch {
	case !ok:
		http.Error(w, "unknown client", 400)
		return
	case !sameLoopbackRedirect(registered, q.Get("redirect_uri")):
		http.Error(w, "redirect_uri not registered", 400)
		return
	case q.Get("response_type") != "code", q.Get("code_challenge_method") != "S256", q.Get("code_challenge") == "":
		http.Error(w, "PKCE S256 required", 400)
		return
	case q.Get("resource") != f.wantResource():
		http.Error(w, "wrong resource "+q.Get("resource"), 400)
		return
	}
	code := rand.Text()
	f.codes[code] = grant{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), resource: q.Get("resource")}
	state := q.Get("state")
	if f.redirectState != "" {
		state = f.redirectState
	}
	answer := url.Values{"code": {code}, "state": {state}}
	if f.deny {
		answer = url.Values{"error": {"access_denied"}, "error_description": {"the user said no"}, "state": {state}}
	}
	back := q.Get("redirect_uri") + "?" + answer.Encode()
	http.Redirect(w, r, back, http.StatusFound)
}

// sameLoopbackRedirect compares redirect URIs ignoring the port of a
// loopback one, as RFC 8252 §7.3 asks of authorization servers.
func sameLoopbackRedirect(registered, got string) bool {
	a, err1 := url.Parse(registered)
	b, err2 := url.Parse(got)
	return err1 == nil && err2 == nil && a.Scheme == b.Scheme && a.Hostname() == "127.0.0.1" && b.Hostname() == "127.0.0.1" && a.Path == b.Path
}

func (f *fakeServer) wantResource() string {
	if f.expectResource != "" {
		return f.expectResource
	}
	return f.mcpURL()
}

func (f *fakeServer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, 400, map[string]string{"error": "invalid_request"})
		return
	}
	form := r.PostForm
	if f.invalidClient {
		writeJSON(w, 401, map[string]string{"error": "invalid_client"})
		return
	}
	if form.Get("resource") != f.wantResource() {
		writeJSON(w, 400, map[string]string{"error": "invalid_target", "error_description": "resource " + form.Get("resource")})
		return
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		f.mu.Lock()
		g, ok := f.codes[form.Get("code")]
		delete(f.codes, form.Get("code"))
		f.exchanges++
		f.mu.Unlock()
		switch {
		case !ok:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "unknown code"})
		case g.clientID != form.Get("client_id") || g.redirectURI != form.Get("redirect_uri"):
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "client or redirect mismatch"})
		case oauth2.S256ChallengeFromVerifier(form.Get("code_verifier")) != g.challenge:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
		default:
			f.issue(w)
		}
	case "refresh_token":
		time.Sleep(f.refreshDelay)
		f.mu.Lock()
		f.refreshes++
		ok := f.refresh[form.Get("refresh_token")] && !f.refuseRefresh
		delete(f.refresh, form.Get("refresh_token")) // rotation
		f.mu.Unlock()
		if !ok {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "refresh token revoked"})
			return
		}
		f.issue(w)
	default:
		writeJSON(w, 400, map[string]string{"error": "unsupported_grant_type"})
	}
}

func (f *fakeServer) issue(w http.ResponseWriter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := map[string]any{"access_token": "at-" + rand.Text(), "token_type": "Bearer", "expires_in": 3600}
	f.access[resp["access_token"].(string)] = true
	if !f.noRefresh {
		rt := "rt-" + rand.Text()
		f.refresh[rt] = true
		resp["refresh_token"] = rt
	}
	writeJSON(w, 200, resp)
}

// valid reports whether tok is an access token the server issued.
func (f *fakeServer) valid(tok string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.access[tok]
}

// revokeAll invalidates every access token, as a server restart might.
func (f *fakeServer) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
}

func (f *fakeServer) mcp(w http.ResponseWriter, r *http.Request) {
	if f.mcpHandler != nil {
		f.mcpHandler.ServeHTTP(w, r)
		return
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	valid := ok && f.access[tok]
	f.mu.Unlock()
	if !valid {
		challenge := `Bearer error="invalid_token", scope="mcp:tools"`
		if !f.noHeaderHint {
			challenge += fmt.Sprintf(`, resource_metadata="%s/.well-known/oauth-protected-resource/mcp"`, f.srv.URL)
		}
		w.Header().Set("WWW-Authenticate", challenge)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	writeJSON(w, 200, map[string]any{"jsonrpc": "2.0", "id": 1, "result": map[string]any{}})
}

func (f *fakeServer) counts() (registrations, exchanges, refreshes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.registrations, f.exchanges, f.refreshes
}

// browser returns an open func that visits the authorization URL the way
// a person's browser would: following the redirect to the loopback.
// rewrite, when not nil, changes the URL first.
func browser(t *testing.T, rewrite func(*url.URL)) func(string) error {
	return func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		if rewrite != nil {
			rewrite(u)
		}
		resp, err := http.Get(u.String())
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Logf("browser ended on %s", resp.Status)
		}
		return nil
	}
}
