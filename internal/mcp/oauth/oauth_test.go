package oauth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// get sends a GET to the fake's /mcp through c's transport.
func get(t *testing.T, c *Client, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Transport().RoundTrip(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func mustOK(t *testing.T, c *Client, url string) {
	t.Helper()
	resp, err := get(t, c, url)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("request: status %s", resp.Status)
	}
}

func mustNeedLogin(t *testing.T, c *Client, url string) error {
	t.Helper()
	_, err := get(t, c, url)
	if !errors.Is(err, ErrNeedsLogin) {
		t.Fatalf("request: err = %v, want ErrNeedsLogin", err)
	}
	if !strings.Contains(err.Error(), `"srv"`) || !strings.Contains(err.Error(), "basalt mcp login srv") {
		t.Errorf("error %q does not name the server and the fix", err)
	}
	return err
}

func login(t *testing.T, c *Client) {
	t.Helper()
	if err := c.Login(t.Context(), browser(t, nil)); err != nil {
		t.Fatalf("login: %v", err)
	}
}

func TestLoginThenReuse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		set  func(*fakeServer)
	}{
		{"resource metadata from WWW-Authenticate", func(*fakeServer) {}},
		{"resource metadata at the well-known path", func(f *fakeServer) { f.noHeaderHint = true }},
		{"OpenID Connect discovery", func(f *fakeServer) { f.oidcOnly = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeServer(t)
			tc.set(f)
			store := Store{Dir: filepath.Join(t.TempDir(), "mcp-auth")}
			c := NewClient("srv", f.mcpURL(), store, nil)
			if got := c.Status(); got != StatusNeedsLogin {
				t.Fatalf("status before login = %v", got)
			}
			mustNeedLogin(t, c, f.mcpURL())
			login(t, c)
			if got := c.Status().String(); got != "logged in" {
				t.Fatalf("status after login = %q", got)
			}
			mustOK(t, c, f.mcpURL())

			// A new process reads the stored token: no second login.
			c2 := NewClient("srv", f.mcpURL(), store, nil)
			mustOK(t, c2, f.mcpURL())
			// Logging in again reuses the registered client.
			login(t, c2)
			if reg, ex, _ := f.counts(); reg != 1 || ex != 2 {
				t.Errorf("registrations, exchanges = %d, %d; want 1, 2", reg, ex)
			}
		})
	}
}

func TestFileModes(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	dir := filepath.Join(t.TempDir(), "state", DirName)
	c := NewClient("srv", f.mcpURL(), Store{Dir: dir}, nil)
	login(t, c)
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files = %v, want one record", entries)
	}
	fi, err = os.Stat(filepath.Join(dir, entries[0].Name()))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if err := c.Logout(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("logout left %v", entries)
	}
	if c.Status() != StatusNeedsLogin {
		t.Errorf("status after logout = %v", c.Status())
	}
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	login(t, c)
	before, _ := c.store.load("srv", f.mcpURL())
	c.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if got := c.Status().String(); got != "expired" {
		t.Fatalf("status = %q, want expired", got)
	}
	mustOK(t, c, f.mcpURL())
	after, _ := c.store.load("srv", f.mcpURL())
	if after.Token.AccessToken == before.Token.AccessToken || after.Token.RefreshToken == before.Token.RefreshToken {
		t.Error("refresh did not store the new (rotated) tokens")
	}
	if _, _, n := f.counts(); n != 1 {
		t.Errorf("refreshes = %d, want 1", n)
	}
}

func TestRefreshRefusedNeedsLogin(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	login(t, c)
	f.refuseRefresh = true
	c.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	err := mustNeedLogin(t, c, f.mcpURL())
	if !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("error %q does not say why", err)
	}
	if c.Status() != StatusNeedsLogin {
		t.Errorf("status after a refused refresh = %v", c.Status())
	}
	// The registration survives: the next login does not register again.
	f.refuseRefresh = false
	login(t, c)
	if reg, _, _ := f.counts(); reg != 1 {
		t.Errorf("registrations = %d, want 1", reg)
	}
}

func TestExpiredWithoutRefreshToken(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	f.noRefresh = true
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	login(t, c)
	c.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if c.Status() != StatusNeedsLogin {
		t.Errorf("status = %v, want needs login", c.Status())
	}
	mustNeedLogin(t, c, f.mcpURL())
}

func TestUnauthorizedAnswer(t *testing.T) {
	t.Parallel()
	t.Run("refreshed and retried", func(t *testing.T) {
		t.Parallel()
		f := newFakeServer(t)
		c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
		login(t, c)
		f.revokeAll()
		// A body with GetBody can be sent again after the refresh.
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, f.mcpURL(), strings.NewReader(`{"jsonrpc":"2.0"}`))
		resp, err := c.Transport().RoundTrip(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("retry after refresh: %v %v", resp, err)
		}
		resp.Body.Close()
	})
	t.Run("no refresh token", func(t *testing.T) {
		t.Parallel()
		f := newFakeServer(t)
		f.noRefresh = true
		c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
		login(t, c)
		f.revokeAll()
		mustNeedLogin(t, c, f.mcpURL())
		if c.Status() != StatusNeedsLogin {
			t.Errorf("status after a refused token = %v", c.Status())
		}
	})
	t.Run("refused again after refresh", func(t *testing.T) {
		t.Parallel()
		f := newFakeServer(t)
		c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
		login(t, c)
		// A resource that refuses every token: the transport refreshes once,
		// then gives up instead of looping.
		f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/token" {
				f.token(w, r)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(401)
		})
		mustNeedLogin(t, c, f.mcpURL())
		if _, _, n := f.counts(); n != 1 {
			t.Errorf("refreshes = %d, want 1", n)
		}
	})
	t.Run("bare 401 passes through", func(t *testing.T) {
		t.Parallel()
		f := newFakeServer(t)
		c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
		f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) })
		resp, err := get(t, c, f.mcpURL())
		if err != nil || resp.StatusCode != 401 {
			t.Fatalf("got %v, %v; want the 401 itself", resp, err)
		}
	})
}

func TestWrongStateRejected(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	f.redirectState = "forged"
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	err := c.Login(t.Context(), browser(t, nil))
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepAuthorization || !strings.Contains(err.Error(), "state") {
		t.Fatalf("login err = %v, want an authorization step error about the state", err)
	}
	if _, ex, _ := f.counts(); ex != 0 {
		t.Errorf("a code from a forged redirect was exchanged")
	}
	if c.Status() != StatusNeedsLogin {
		t.Errorf("status = %v", c.Status())
	}
}

func TestWrongVerifierRejected(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	// Someone swaps the challenge on the way: the verifier basalt holds no
	// longer matches, and the authorization server must refuse the code.
	swap := func(u *url.URL) {
		q := u.Query()
		q.Set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
		u.RawQuery = q.Encode()
	}
	err := c.Login(t.Context(), browser(t, swap))
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepTokenExchange || !strings.Contains(err.Error(), "PKCE") {
		t.Fatalf("login err = %v, want a token exchange error naming PKCE", err)
	}
	if !strings.Contains(err.Error(), `"srv"`) {
		t.Errorf("error %q does not name the server", err)
	}
}

func TestURLChangeInvalidates(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	store := Store{Dir: t.TempDir()}
	login(t, NewClient("srv", f.mcpURL(), store, nil))
	moved := NewClient("srv", f.mcpURL()+"?v=2", store, nil)
	if moved.Status() != StatusNeedsLogin {
		t.Fatalf("status after the URL changed = %v", moved.Status())
	}
	// Another server name is another record.
	if NewClient("other", f.mcpURL(), store, nil).Status() != StatusNeedsLogin {
		t.Fatal("a record is shared between server names")
	}
	// Login for the new URL registers afresh (the old registration was for
	// another resource) and replaces the record.
	f.expectResource = f.mcpURL() + "?v=2"
	f.noHeaderHint = true
	if err := moved.Login(t.Context(), browser(t, nil)); err == nil {
		// The fake's metadata names the old resource, so RFC 9728 §3.3
		// forbids using it; basalt falls back to the 2025-03-26 rules.
		if reg, _, _ := f.counts(); reg != 2 {
			t.Errorf("registrations = %d, want 2", reg)
		}
	} else {
		t.Fatalf("login at the new URL: %v", err)
	}
	if NewClient("srv", f.mcpURL(), store, nil).Status() != StatusNeedsLogin {
		t.Error("the old URL's token survived a login for the new URL")
	}
}

func TestConcurrentRefreshOnce(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	f.refreshDelay = 50 * time.Millisecond
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	login(t, c)
	later := time.Now().Add(2 * time.Hour)
	c.now = func() time.Time { return later }
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, f.mcpURL(), nil)
			resp, err := c.Transport().RoundTrip(req)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- errors.New(resp.Status)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, _, n := f.counts(); n != 1 {
		t.Errorf("refreshes = %d, want 1", n)
	}
}

func TestWaitingRequestHonoursContext(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	c.lock <- struct{}{} // a refresh in progress that never ends
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.mcpURL(), nil)
	if _, err := c.Transport().RoundTrip(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's", err)
	}
}

func TestErrorsNeverCarryTokens(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	store := Store{Dir: t.TempDir()}
	c := NewClient("srv", f.mcpURL(), store, nil)
	login(t, c)
	rec, _ := store.load("srv", f.mcpURL())
	f.refuseRefresh = true
	c.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	_, err := get(t, c, f.mcpURL())
	for _, secret := range []string{rec.Token.AccessToken, rec.Token.RefreshToken} {
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error %q shows a token", err)
		}
	}
}

func TestDiscoveryFailureNamesStep(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	// A server with no OAuth at all: 401 challenges, but no metadata
	// anywhere.
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mcp" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="x"`)
			w.WriteHeader(401)
			return
		}
		http.NotFound(w, r)
	})
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	err := c.Login(t.Context(), func(string) error { t.Fatal("browser opened"); return nil })
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepDiscovery || !strings.Contains(err.Error(), `mcp server "srv": discovery`) {
		t.Fatalf("err = %v, want a discovery step error", err)
	}
}

func TestCorruptRecordIsReported(t *testing.T) {
	t.Parallel()
	store := Store{Dir: t.TempDir()}
	if err := os.WriteFile(store.path("srv"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.load("srv", "http://127.0.0.1/mcp")
	if err == nil || !strings.Contains(err.Error(), store.path("srv")) {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

func TestLoginStepFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		set      func(*fakeServer)
		open     func(string) error
		step     string
		contains string
	}{
		{"registration refused", func(f *fakeServer) { f.refuseRegister = true }, nil, StepRegistration, "invalid_redirect_uri"},
		{"no registration endpoint", func(f *fakeServer) { f.noRegistration = true }, nil, StepRegistration, "no dynamic client registration"},
		{"no PKCE S256", func(f *fakeServer) { f.noS256 = true }, nil, StepDiscovery, "S256"},
		{"issuer mismatch", func(f *fakeServer) { f.issuerPath = "/other" }, nil, StepDiscovery, "issuer"},
		{"user denies", func(f *fakeServer) { f.deny = true }, nil, StepAuthorization, "access_denied: the user said no"},
		{"browser fails", func(*fakeServer) {}, func(string) error { return errors.New("no display") }, StepAuthorization, "open the printed URL by hand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeServer(t)
			tc.set(f)
			c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
			open := tc.open
			if open == nil {
				open = browser(t, nil)
			}
			err := c.Login(t.Context(), open)
			var se *StepError
			if !errors.As(err, &se) || se.Step != tc.step {
				t.Fatalf("err = %v, want a %s step error", err, tc.step)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.contains) || !strings.HasPrefix(msg, `mcp server "srv": `+tc.step+": ") || se.Hint == "" {
				t.Errorf("message %q lacks the server, the step, %q or a hint", msg, tc.contains)
			}
			if c.Status() != StatusNeedsLogin {
				t.Errorf("status = %v", c.Status())
			}
		})
	}
}

func TestLoginGivesUpWithContext(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	c := NewClient("srv", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The browser never comes back, and the user presses Ctrl-C.
	err := c.Login(ctx, func(string) error { cancel(); return nil })
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepAuthorization || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// Two basalt processes share the store. When the other one refreshed
// first and the server rotated the refresh token, this one's refresh is
// refused; it takes the other's token from the file instead of asking
// for a login (or erasing that token).
func TestRefreshLostToAnotherProcess(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	store := Store{Dir: t.TempDir()}
	a := NewClient("srv", f.mcpURL(), store, nil)
	login(t, a)
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	b := NewClient("srv", f.mcpURL(), store, nil)
	stale, _ := store.load("srv", f.mcpURL())
	a.now, b.now = later, later
	mustOK(t, a, f.mcpURL()) // a refreshes; the old refresh token is gone

	b.lock <- struct{}{}
	b.cached = stale
	err := b.refreshLocked(t.Context())
	b.release()
	if err != nil {
		t.Fatalf("refresh after losing the race: %v", err)
	}
	mustOK(t, b, f.mcpURL())
	if a.Status() != StatusLoggedIn {
		t.Errorf("status = %v: the winner's token was erased", a.Status())
	}
}

func TestRegistrationRenewed(t *testing.T) {
	t.Parallel()
	t.Run("registered port taken", func(t *testing.T) {
		t.Parallel()
		f := newFakeServer(t)
		store := Store{Dir: t.TempDir()}
		c := NewClient("srv", f.mcpURL(), store, nil)
		login(t, c)
		rec, _ := store.load("srv", f.mcpURL())
		u, _ := url.Parse(rec.Client.RedirectURI)
		busy, err := net.Listen("tcp", u.Host)
		if err != nil {
			t.Skipf("cannot hold the port: %v", err)
		}
		defer busy.Close()
		login(t, c)
		if reg, _, _ := f.counts(); reg != 2 {
			t.Errorf("registrations = %d, want 2 (a new one for the new port)", reg)
		}
	})
	t.Run("server forgot the client", func(t *testing.T) {
		t.Parallel()
		f := newFakeServer(t)
		store := Store{Dir: t.TempDir()}
		c := NewClient("srv", f.mcpURL(), store, nil)
		login(t, c)
		f.invalidClient = true
		var se *StepError
		if err := c.Login(t.Context(), browser(t, nil)); !errors.As(err, &se) || se.Step != StepTokenExchange {
			t.Fatalf("err = %v, want a token exchange error", err)
		}
		f.invalidClient = false
		login(t, c)
		if reg, _, _ := f.counts(); reg != 2 {
			t.Errorf("registrations = %d, want 2 (the forgotten one replaced)", reg)
		}
	})
}
