package webfetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The bounds of one fetch, as in Claude Code.
const (
	MaxBytes     = 10 << 20
	Timeout      = 30 * time.Second
	MaxURLLength = 2000
	// maxRedirects bounds same-host redirects; a loop ends here.
	maxRedirects = 10
)

// Resolver looks host names up; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Options configure a [Fetcher].
type Options struct {
	// Proxy picks the proxy of a request (HTTPS_PROXY, NO_PROXY, … of the
	// session's environment); nil connects directly.
	Proxy func(*url.URL) (*url.URL, error)
	// RootCAs returns the certificate authorities to trust (AWS_CA_BUNDLE,
	// NODE_EXTRA_CA_CERTS); nil, or a nil pool, trusts the system's.
	RootCAs func() (*x509.CertPool, error)
	// HostNamed reports whether an allow rule names host itself (not
	// through a wildcard): only such a host may be on the user's own
	// network (loopback, private, link-local, …). nil names none.
	HostNamed func(host string) bool
	// Resolver looks names up; nil uses net.DefaultResolver.
	Resolver Resolver
	// UserAgent is sent with every request.
	UserAgent string
	// Now is the cache's clock; nil is time.Now.
	Now func() time.Time
	// MaxBytes and Timeout override the bounds (tests); 0 keeps them.
	MaxBytes int64
	Timeout  time.Duration
}

// Page is one fetched page.
type Page struct {
	// URL is the address fetched, after http was upgraded to https;
	// FinalURL where it ended after same-host redirects.
	URL, FinalURL string
	Status        int
	StatusText    string
	MediaType     string
	// Bytes is the size of the body as received (decompressed).
	Bytes int
	// Content is the page as Markdown (HTML) or as text.
	Content string
	// Redirect is set when the page moved to another host: nothing was
	// fetched from there, and the caller says where it went.
	Redirect *Redirect
	// Cached: the page came from the cache.
	Cached bool
}

// Redirect is a redirect to another host, which is not followed.
type Redirect struct {
	From, To string
	Status   int
}

// Fetcher fetches pages. It is safe for concurrent use.
type Fetcher struct {
	o     Options
	cache *cache

	once   sync.Once
	client *http.Client
	err    error

	mu      sync.Mutex
	proxies map[string]bool // host:port of every proxy used, dialled unchecked
}

// New returns a fetcher. The HTTP client is built on first use.
func New(o Options) *Fetcher {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = MaxBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = Timeout
	}
	return &Fetcher{o: o, cache: newCache(o.Now), proxies: map[string]bool{}}
}

// URLError is a URL that is not fetched as written.
type URLError struct {
	URL string
	Why string
}

func (e *URLError) Error() string { return "url " + e.URL + ": " + e.Why }

// RefusedError is a host whose address lies in the user's own network
// (or is otherwise not public) while no allow rule names the host.
type RefusedError struct {
	Host  string
	Addr  netip.Addr
	Class string
}

func (e *RefusedError) Error() string {
	host := e.Host
	if host == "" {
		host = e.Addr.String()
	}
	where := host + " is " + e.Class
	if e.Addr.String() != host {
		where = fmt.Sprintf("%s resolves to %s, %s", host, e.Addr, e.Class)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return fmt.Sprintf("refused: %s. WebFetch does not reach into your own network unless an allow rule names the host; if this host is meant to be fetched, add \"WebFetch(domain:%s)\" to permissions.allow (a wildcard rule is not enough)", where, host)
}

// TooLargeError is a body past the size bound.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the page is larger than %s, the most WebFetch reads", sizeString(e.Limit))
}

// NotTextError is a body that is not text (an image, an archive).
type NotTextError struct{ MediaType string }

func (e *NotTextError) Error() string {
	return fmt.Sprintf("the page is %s, not text or HTML; WebFetch reads text and HTML pages only", e.MediaType)
}

// StatusError is an HTTP error status.
type StatusError struct {
	Status int
	Text   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("the server answered HTTP %d %s", e.Status, e.Text)
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Normalize checks a URL the model sent and returns the one to fetch:
// http or https only, no credentials, a host that is a name or a plainly
// written address, no fragment, and http upgraded to https, except for a
// loopback host an allow rule names (a local server, which serves plain
// HTTP; the request never leaves the machine).
func (f *Fetcher) Normalize(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxURLLength {
		return nil, &URLError{URL: raw[:80] + "…", Why: fmt.Sprintf("longer than %d characters", MaxURLLength)}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &URLError{URL: raw, Why: "not a valid URL"}
	}
	switch u.Scheme = strings.ToLower(u.Scheme); u.Scheme {
	case "http", "https":
	case "":
		return nil, &URLError{URL: raw, Why: "not a fully-formed URL: it needs https://"}
	default:
		return nil, &URLError{URL: raw, Why: "only http and https URLs can be fetched"}
	}
	if u.User != nil {
		return nil, &URLError{URL: raw, Why: "credentials in a URL are never sent; remove the user:password@ part"}
	}
	if u.Opaque != "" {
		return nil, &URLError{URL: raw, Why: "not a fully-formed URL"}
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, &URLError{URL: raw, Why: "invalid port " + p}
		}
	}
	name, addr, err := ParseHost(bracketed(u))
	if err != nil {
		return nil, err
	}
	host := name
	if addr.IsValid() {
		host = addr.String()
		if addr.Is6() {
			host = "[" + host + "]"
		}
	}
	if p := u.Port(); p != "" {
		u.Host = host + ":" + p
	} else {
		u.Host = host
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Scheme == "http" && !f.keepHTTP(name, addr) {
		u.Scheme = "https"
	}
	return u, nil
}

// bracketed is the URL's host as written, IPv6 brackets kept.
func bracketed(u *url.URL) string {
	h := u.Hostname()
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

// keepHTTP: plain http stays only for a loopback host named by a rule.
func (f *Fetcher) keepHTTP(name string, addr netip.Addr) bool {
	if f.o.HostNamed == nil {
		return false
	}
	if addr.IsValid() {
		return embeddedIPv4(addr).IsLoopback() && f.o.HostNamed(addr.String())
	}
	return name == "localhost" && f.o.HostNamed(name)
}

// HostOf is the host a rule names for u: the name, or the address
// without brackets.
func HostOf(u *url.URL) string { return strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")) }

// Fetch fetches the page at raw (see [Fetcher.Normalize]) and returns it,
// from the cache when it was fetched less than [CacheTTL] ago. A redirect
// to another host is returned as Page.Redirect, not followed. The errors
// the model can act on are *URLError, *HostError, *RefusedError,
// *TooLargeError, *NotTextError and *StatusError; others are network
// failures.
func (f *Fetcher) Fetch(ctx context.Context, raw string) (Page, error) {
	u, err := f.Normalize(raw)
	if err != nil {
		return Page{}, err
	}
	// A page fetched under a rule that named its host is not handed out
	// after the rule is gone: the rule is part of the key.
	key := u.String()
	if f.o.HostNamed != nil && f.o.HostNamed(HostOf(u)) {
		key += "\x00named"
	}
	if p, ok := f.cache.get(key); ok {
		p.Cached = true
		return p, nil
	}
	p, err := f.fetch(ctx, u)
	if err != nil {
		return Page{}, err
	}
	f.cache.put(key, p)
	return p, nil
}

func (f *Fetcher) httpClient() (*http.Client, error) {
	f.once.Do(func() {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = f.proxy
		tr.DialContext = f.dial
		tr.MaxResponseHeaderBytes = 1 << 20
		if f.o.RootCAs != nil {
			pool, err := f.o.RootCAs()
			if err != nil {
				f.err = err
				return
			}
			if pool != nil {
				tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
			}
		}
		f.client = &http.Client{
			Transport: tr,
			// Redirects are followed by fetch, hop by hop, so that each
			// one is judged.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	})
	return f.client, f.err
}

func (f *Fetcher) fetch(ctx context.Context, u *url.URL) (Page, error) {
	client, err := f.httpClient()
	if err != nil {
		return Page{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.o.Timeout)
	defer cancel()
	page := Page{URL: u.String()}
	cur := u
	for hop := 0; ; hop++ {
		if err := f.checkProxied(ctx, cur); err != nil {
			return Page{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, cur.String(), nil)
		if err != nil {
			return Page{}, &URLError{URL: cur.String(), Why: err.Error()}
		}
		req.Header.Set("Accept", "text/markdown, text/html, */*")
		if f.o.UserAgent != "" {
			req.Header.Set("User-Agent", f.o.UserAgent)
		}
		resp, err := client.Do(req)
		if err != nil {
			return Page{}, f.networkError(ctx, cur, err)
		}
		if isRedirect(resp.StatusCode) {
			loc := resp.Header.Get("Location")
			resp.Body.Close()
			if loc == "" {
				return Page{}, &StatusError{Status: resp.StatusCode, Text: http.StatusText(resp.StatusCode) + " without a Location"}
			}
			next, err := cur.Parse(loc)
			if err != nil {
				return Page{}, &URLError{URL: loc, Why: "the redirect's Location is not a valid URL"}
			}
			next.Fragment, next.RawFragment = "", ""
			// Credentials a server puts in a Location are never sent.
			next.User = nil
			if !sameHost(cur, next) {
				page.FinalURL = cur.String()
				page.Status, page.StatusText = resp.StatusCode, http.StatusText(resp.StatusCode)
				page.Redirect = &Redirect{From: cur.String(), To: next.String(), Status: resp.StatusCode}
				return page, nil
			}
			if hop >= maxRedirects {
				return Page{}, &URLError{URL: page.URL, Why: fmt.Sprintf("more than %d redirects", maxRedirects)}
			}
			cur = next
			continue
		}
		defer resp.Body.Close()
		page.FinalURL = cur.String()
		page.Status, page.StatusText = resp.StatusCode, http.StatusText(resp.StatusCode)
		if resp.StatusCode >= 400 {
			return Page{}, &StatusError{Status: resp.StatusCode, Text: http.StatusText(resp.StatusCode)}
		}
		if resp.ContentLength > f.o.MaxBytes {
			return Page{}, &TooLargeError{Limit: f.o.MaxBytes}
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, f.o.MaxBytes+1))
		if err != nil {
			return Page{}, f.networkError(ctx, cur, err)
		}
		if int64(len(body)) > f.o.MaxBytes {
			return Page{}, &TooLargeError{Limit: f.o.MaxBytes}
		}
		page.Bytes = len(body)
		text, mt, ok, err := toText(ctx, body, resp.Header.Get("Content-Type"), cur.String())
		page.MediaType = mt
		if err != nil {
			return Page{}, fmt.Errorf("convert the page to Markdown: %w", err)
		}
		if !ok {
			return Page{}, &NotTextError{MediaType: mt}
		}
		page.Content = text
		return page, nil
	}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// sameHost reports whether a redirect stays where the permission check
// looked: the same host and port, and the same scheme or http to https.
// Anything else (another host, www. added, https to http) is left to the
// model, which calls WebFetch again and so passes the check again.
func sameHost(from, to *url.URL) bool {
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	if port(from) != port(to) && !(from.Scheme == "http" && to.Scheme == "https" && from.Port() == "" && to.Port() == "") {
		return false
	}
	return to.Scheme == from.Scheme || from.Scheme == "http" && to.Scheme == "https"
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// networkError turns a failed request into the error to report: the
// refusal or bound that caused it when there is one.
func (f *Fetcher) networkError(ctx context.Context, u *url.URL, err error) error {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	var hostErr *HostError
	if errors.As(err, &hostErr) {
		return hostErr
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("fetch %s: no complete answer within %s", u, f.o.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("fetch %s: %w", u, err)
}

// proxy is Options.Proxy, noting the proxies it picks: their addresses
// are the user's own choice and are dialled without the address check.
func (f *Fetcher) proxy(r *http.Request) (*url.URL, error) {
	if f.o.Proxy == nil {
		return nil, nil
	}
	p, err := f.o.Proxy(r.URL)
	if err != nil || p == nil {
		return p, err
	}
	f.mu.Lock()
	f.proxies[net.JoinHostPort(p.Hostname(), port(p))] = true
	f.mu.Unlock()
	return p, nil
}

func (f *Fetcher) isProxy(addr string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.proxies[addr]
}

// checkProxied judges the host of a request that goes through a proxy,
// which connects to it for us: an address literal is judged as is, a
// name by what it resolves to here. A name that does not resolve here
// goes on: the proxy, not this machine, reaches it, and only what the
// proxy's network holds is reachable.
func (f *Fetcher) checkProxied(ctx context.Context, u *url.URL) error {
	if f.o.Proxy == nil {
		return nil
	}
	p, err := f.o.Proxy(u)
	if err != nil || p == nil {
		return nil // direct: the dialer checks
	}
	host := HostOf(u)
	addrs, err := f.lookup(ctx, host)
	if err != nil {
		return nil
	}
	return f.judge(host, addrs)
}

func (f *Fetcher) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	if _, _, err := ParseHost(host); err != nil {
		return nil, err
	}
	addrs, err := f.o.Resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// judge refuses a host when any of its addresses is not public and no
// rule names it: a name that resolves to a public and a private address
// is refused whole, since which one a retry dials is not ours to know.
func (f *Fetcher) judge(host string, addrs []netip.Addr) error {
	for _, a := range addrs {
		if class := Classify(a); class != "" {
			if f.o.HostNamed != nil && f.o.HostNamed(host) {
				continue
			}
			return &RefusedError{Host: host, Addr: a.Unmap(), Class: class}
		}
	}
	return nil
}

// dial resolves the host, judges every address, and dials the addresses
// it judged, never the name: a DNS answer that changes between the check
// and the connection (rebinding) cannot move the request.
func (f *Fetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if f.isProxy(addr) {
		return d.DialContext(ctx, network, addr)
	}
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	addrs, err := f.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	if err := f.judge(host, addrs); err != nil {
		return nil, err
	}
	var errs []error
	for _, a := range addrs {
		c, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), p))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}
