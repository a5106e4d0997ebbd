package webfetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// names is a fake resolver: a name maps to its addresses.
type names map[string][]string

func (n names) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range n[host] {
		out = append(out, netip.MustParseAddr(s))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no such host %s", host)
	}
	return out, nil
}

func named(hosts ...string) func(string) bool {
	return func(h string) bool {
		for _, x := range hosts {
			if x == h {
				return true
			}
		}
		return false
	}
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><script>evil()</script></head><body><h1>Title</h1><p>Some <b>bold</b> text and <a href="/x">a link</a>.</p></body></html>`)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "plain *text*")
	})
	mux.HandleFunc("/same", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/page", http.StatusFound) })
	mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost"+r.Host[strings.LastIndex(r.Host, ":"):]+"/page", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/creds", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://user:secret@"+r.Host+"/auth", http.StatusFound)
	})
	mux.HandleFunc("/auth", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "authorization=%q", r.Header.Get("Authorization"))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(strings.Repeat("a", 2000))) // no Content-Length up front: chunked
		w.(http.Flusher).Flush()
		w.Write([]byte(strings.Repeat("a", 2000)))
	})
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("/missing", http.NotFound)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchRefusesLoopbackWithoutANamingRule(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tt := range []struct {
		name string
		o    Options
	}{
		{"no rule", Options{}},
		{"a rule for another host", Options{HostNamed: named("example.com")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := New(tt.o)
			_, err := f.Fetch(t.Context(), srv.URL+"/page")
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("Fetch = %v, want a refusal", err)
			}
			for _, want := range []string{"127.0.0.1", "loopback", `WebFetch(domain:127.0.0.1)`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("refusal %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestFetchNamedLoopbackHTMLToMarkdown(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	f := New(Options{HostNamed: named("127.0.0.1")})
	p, err := f.Fetch(t.Context(), srv.URL+"/page#frag")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %s: a named loopback host keeps plain http", p.URL)
	}
	for _, want := range []string{"# Title", "**bold**", "[a link](http://127.0.0.1:"} {
		if !strings.Contains(p.Content, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, p.Content)
		}
	}
	if strings.Contains(p.Content, "evil") {
		t.Errorf("the script survived:\n%s", p.Content)
	}
	if p.MediaType != "text/html" || p.Status != 200 {
		t.Errorf("MediaType, Status = %s, %d", p.MediaType, p.Status)
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	f := New(Options{HostNamed: named("127.0.0.1", "localhost", "10.0.0.5")})
	tests := []struct{ in, want, err string }{
		{"http://example.com/a?b#c", "https://example.com/a?b", ""},
		{"HTTPS://Example.com./x", "https://example.com/x", ""},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/", ""},
		{"http://localhost/", "http://localhost/", ""},
		{"http://10.0.0.5/", "https://10.0.0.5/", ""},   // named, but not loopback: upgraded
		{"http://127.0.0.2/", "https://127.0.0.2/", ""}, // loopback, not named
		{"http://[::1]/", "https://[::1]/", ""},
		{"ftp://example.com/", "", "only http and https"},
		{"example.com/page", "", "fully-formed"},
		{"https://user:pw@example.com/", "", "credentials"},
		{"http://2130706433/", "", "decimal"},
		{"http://0x7f.0.0.1/", "", "decimal"},
		{"https://example.com:99999/", "", "port"},
		{"https://" + strings.Repeat("a", 2001) + ".com/", "", "longer than"},
	}
	for _, tt := range tests {
		u, err := f.Normalize(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Normalize(%.40q) = %v, %v; want an error about %q", tt.in, u, err, tt.err)
			}
		case err != nil:
			t.Errorf("Normalize(%q): %v", tt.in, err)
		case u.String() != tt.want:
			t.Errorf("Normalize(%q) = %s, want %s", tt.in, u, tt.want)
		}
	}
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	f := New(Options{HostNamed: named("127.0.0.1")})
	p, err := f.Fetch(t.Context(), srv.URL+"/same")
	if err != nil {
		t.Fatal(err)
	}
	if p.Redirect != nil || !strings.HasSuffix(p.FinalURL, "/page") || !strings.Contains(p.Content, "# Title") {
		t.Errorf("same-host redirect not followed: %+v", p)
	}
	p, err = f.Fetch(t.Context(), srv.URL+"/other")
	if err != nil {
		t.Fatal(err)
	}
	if p.Redirect == nil || !strings.HasPrefix(p.Redirect.To, "http://localhost:") || p.Redirect.Status != 301 || p.Content != "" {
		t.Errorf("redirect to another host: %+v, want it reported, not followed", p)
	}
	p, err = f.Fetch(t.Context(), srv.URL+"/creds")
	if err != nil || p.Content != `authorization=""` {
		t.Errorf("credentials in a redirect's Location were sent: %+v, %v", p, err)
	}
	if _, err := f.Fetch(t.Context(), srv.URL+"/loop"); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
}

func TestSameHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to string
		want     bool
	}{
		{"https://a.com/x", "https://a.com/y", true},
		{"https://a.com/x", "https://A.com/y", true},
		{"http://a.com/x", "https://a.com/y", true},
		{"https://a.com/x", "http://a.com/y", false},
		{"https://a.com/x", "https://www.a.com/y", false},
		{"https://a.com/x", "https://b.com/y", false},
		{"https://a.com/x", "https://a.com:8443/y", false},
		{"http://a.com:8080/x", "http://a.com:8080/y", true},
		{"https://a.com/x", "https://a.com.evil.com/y", false},
	}
	for _, tt := range tests {
		from, _ := url.Parse(tt.from)
		to, _ := url.Parse(tt.to)
		if got := sameHost(from, to); got != tt.want {
			t.Errorf("sameHost(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestFetchBounds(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	f := New(Options{HostNamed: named("127.0.0.1"), MaxBytes: 3000})
	var tooLarge *TooLargeError
	if _, err := f.Fetch(t.Context(), srv.URL+"/big"); !errors.As(err, &tooLarge) {
		t.Errorf("a 4000-byte body under a 3000-byte bound: %v", err)
	}
	var notText *NotTextError
	if _, err := f.Fetch(t.Context(), srv.URL+"/png"); !errors.As(err, &notText) || !strings.Contains(err.Error(), "image/png") {
		t.Errorf("an image: %v", err)
	}
	var status *StatusError
	if _, err := f.Fetch(t.Context(), srv.URL+"/missing"); !errors.As(err, &status) || status.Status != 404 {
		t.Errorf("a 404: %v", err)
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	f = New(Options{HostNamed: named("127.0.0.1"), Timeout: 100 * time.Millisecond})
	if _, err := f.Fetch(t.Context(), slow.URL); err == nil || !strings.Contains(err.Error(), "within 100ms") {
		t.Errorf("a page that never comes: %v", err)
	}
}

func TestFetchDialsTheAddressItChecked(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	// A name that resolves to loopback is refused unless a rule names
	// the name; a name resolving to a public and a private address is
	// refused whole.
	res := names{"evil.test": {"127.0.0.1"}, "mixed.test": {"93.184.215.14", "10.0.0.1"}, "docs.test": {"127.0.0.1"}}
	f := New(Options{Resolver: res, HostNamed: named("docs.test")})
	var refused *RefusedError
	if _, err := f.Fetch(t.Context(), "https://evil.test:"+port+"/page"); !errors.As(err, &refused) || refused.Host != "evil.test" {
		t.Errorf("a name resolving to loopback: %v", err)
	}
	if _, err := f.Fetch(t.Context(), "https://mixed.test:"+port+"/page"); !errors.As(err, &refused) || refused.Addr.String() != "10.0.0.1" {
		t.Errorf("a name resolving to a public and a private address: %v", err)
	}
	// A rule naming the host lets it through; the server speaks plain
	// HTTP, so fetch it as such through a same-named dial.
	f2 := New(Options{Resolver: res, HostNamed: named("docs.test")})
	u, _ := f2.Normalize("http://docs.test:" + port + "/text")
	if u.Scheme != "https" {
		t.Fatalf("a named non-loopback name keeps http: %s", u)
	}
	p, err := f2.fetch(t.Context(), &url.URL{Scheme: "http", Host: "docs.test:" + port, Path: "/text"})
	if err != nil || p.Content != "plain *text*" {
		t.Errorf("a named host on loopback: %+v, %v", p, err)
	}
}

func TestFetchCache(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintf(w, "hit %d", hits.Load())
	}))
	defer srv.Close()
	now := time.Unix(1000, 0)
	allowed := true
	f := New(Options{HostNamed: func(h string) bool { return allowed && h == "127.0.0.1" }, Now: func() time.Time { return now }})
	p1, err := f.Fetch(t.Context(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := f.Fetch(t.Context(), srv.URL+"#other-fragment")
	if err != nil || !p2.Cached || p2.Content != p1.Content {
		t.Fatalf("second fetch within 15 minutes: %+v, %v; want the cached page", p2, err)
	}
	now = now.Add(CacheTTL)
	p3, err := f.Fetch(t.Context(), srv.URL)
	if err != nil || p3.Cached || p3.Content != "hit 2" {
		t.Fatalf("fetch after 15 minutes: %+v, %v; want a new fetch", p3, err)
	}
	allowed = false
	if _, err := f.Fetch(t.Context(), srv.URL); err == nil {
		t.Fatal("the cache served a page whose naming rule is gone")
	}
	now = now.Add(CacheTTL)
	f.cache.put("other", Page{})
	if n := f.cache.len(); n != 1 {
		t.Errorf("cache holds %d pages after everything expired, want 1 (it cleans itself)", n)
	}
}

func TestFetchThroughProxy(t *testing.T) {
	t.Parallel()
	// The proxy is the user's choice and may sit on loopback; the
	// target is still judged.
	var seen atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.URL.String())
		fmt.Fprint(w, "via proxy")
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	res := names{"public.test": {"93.184.215.14"}, "inside.test": {"10.1.1.1"}}
	f := New(Options{Resolver: res, Proxy: func(*url.URL) (*url.URL, error) { return pu, nil }})
	_, err := f.fetch(t.Context(), &url.URL{Scheme: "http", Host: "public.test", Path: "/x"})
	if err != nil || seen.Load() != "http://public.test/x" {
		t.Fatalf("through the proxy: %v (proxy saw %v)", err, seen.Load())
	}
	var refused *RefusedError
	if _, err := f.fetch(t.Context(), &url.URL{Scheme: "http", Host: "inside.test", Path: "/x"}); !errors.As(err, &refused) {
		t.Errorf("a private target through the proxy: %v", err)
	}
	if _, err := f.fetch(t.Context(), &url.URL{Scheme: "http", Host: "169.254.169.254", Path: "/latest"}); !errors.As(err, &refused) || !strings.Contains(err.Error(), "metadata") {
		t.Errorf("the metadata address through the proxy: %v", err)
	}
}

func TestPruneCutsLongPages(t *testing.T) {
	t.Parallel()
	para := "<p>" + strings.Repeat("word ", 200) + "</p>"
	long := []byte("<html><body><script>" + strings.Repeat("x", 5000) + "</script><div>" + strings.Repeat(para, 1000) + "<p>THE-END</p></div></body></html>")
	text, _, ok, err := toText(t.Context(), long, "text/html", "https://example.com/")
	if err != nil || !ok {
		t.Fatal(err)
	}
	if strings.Contains(text, "THE-END") || !strings.HasSuffix(text, "[the rest of the page was cut]") {
		t.Errorf("a page of %d bytes of text was not cut (%d bytes of Markdown)", 1000*len(para), len(text))
	}
	if len(text) < maxTextBytes || len(text) > 2*maxTextBytes {
		t.Errorf("%d bytes of Markdown, want about %d", len(text), maxTextBytes)
	}
	if strings.Contains(text, "xxxx") {
		t.Error("the script's text survived")
	}
	short, _, _, _ := toText(t.Context(), []byte("<p>one</p><p>THE-END</p>"), "text/html", "https://example.com/")
	if !strings.Contains(short, "THE-END") || strings.Contains(short, "cut") {
		t.Errorf("a short page was cut: %q", short)
	}
}
