package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// proxy is the sandbox's only way out: an HTTP proxy that forwards
// CONNECT tunnels and plain HTTP requests to allowed domains, dialling
// from the host, and refuses everything else with a 403 that names the
// domain.
type proxy struct {
	ln        net.Listener
	srv       *http.Server
	network   string // "unix" (Linux: bound into the sandbox) or "tcp" (macOS: loopback)
	addr      string // the socket path or host:port
	dir       string // the socket's private directory, removed on close
	domains   []string
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	onBlocked func(Blocked)
	blocks    *blockLog
	transport *http.Transport

	mu      sync.Mutex
	tunnels map[net.Conn]struct{} // hijacked connections, closed by close
	closed  bool
}

// startProxy listens on network ("unix": a socket in a fresh private
// directory; "tcp": 127.0.0.1 on a free port) and serves until close.
func startProxy(domains []string, o Options, blocks *blockLog, network string) (*proxy, error) {
	p := &proxy{network: network, domains: domains, dial: o.Dial, onBlocked: o.OnBlocked, blocks: blocks, tunnels: map[net.Conn]struct{}{}}
	if p.dial == nil {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		p.dial = d.DialContext
	}
	var err error
	switch network {
	case "unix":
		if p.dir, err = os.MkdirTemp("", "basalt-sandbox-"); err != nil {
			return nil, fmt.Errorf("sandbox proxy: %w", err)
		}
		p.addr = filepath.Join(p.dir, "proxy.sock")
		p.ln, err = net.Listen("unix", p.addr)
	default:
		p.ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			p.addr = p.ln.Addr().String()
		}
	}
	if err != nil {
		if p.dir != "" {
			os.RemoveAll(p.dir)
		}
		return nil, fmt.Errorf("sandbox proxy: listen: %w", err)
	}
	p.transport = &http.Transport{
		Proxy:               nil, // the proxy itself never goes through another one
		DialContext:         p.dial,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 30 * time.Second}
	go p.srv.Serve(p.ln)
	return p, nil
}

func (p *proxy) close() error {
	p.mu.Lock()
	p.closed = true
	for c := range p.tunnels {
		c.Close()
	}
	p.mu.Unlock()
	err := p.srv.Close()
	p.transport.CloseIdleConnections()
	if p.dir != "" {
		os.RemoveAll(p.dir)
	}
	return err
}

// ping sends the proxy a request it answers itself (a request that is
// not a proxy request gets 400) and checks the answer.
func (p *proxy) ping(ctx context.Context) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, p.network, p.addr)
	if err != nil {
		return fmt.Errorf("sandbox proxy: %w", err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	} else {
		c.SetDeadline(time.Now().Add(5 * time.Second))
	}
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: basalt-sandbox-proxy\r\nConnection: close\r\n\r\n"); err != nil {
		return fmt.Errorf("sandbox proxy: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return fmt.Errorf("sandbox proxy: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		return fmt.Errorf("sandbox proxy: unexpected answer %s", resp.Status)
	}
	return nil
}

// track registers a hijacked connection so close can end it; it reports
// false (and closes c) when the proxy is already closed.
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.tunnels[c] = struct{}{}
	return true
}

func (p *proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.tunnels, c)
	p.mu.Unlock()
	c.Close()
}

// BlockedHeader is set on the proxy's refusals, so a client (or a test)
// can tell them from an upstream server's 403.
const BlockedHeader = "X-Proxy-Error"

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodConnect:
		p.serveConnect(w, r)
	case r.URL.IsAbs() && r.URL.Host != "":
		p.serveForward(w, r)
	default:
		http.Error(w, "basalt sandbox proxy: send proxy requests (CONNECT host:port, or an absolute URL)", http.StatusBadRequest)
	}
}

// refuse answers 403, names the domain and the setting that allows it,
// and reports the refusal.
func (p *proxy) refuse(w http.ResponseWriter, host string, port int, why string) {
	p.report(host, port)
	w.Header().Set(BlockedHeader, "blocked-by-allowlist")
	http.Error(w, refusalText(host, why), http.StatusForbidden)
}

// refusalText is the 403's body; Violation recognises its first words.
func refusalText(host, why string) string {
	msg := "basalt sandbox: network access to " + host + " is blocked"
	if why != "" {
		msg += " (" + why + ")"
	}
	return msg + "; to allow it, add \"" + host + "\" to sandbox.network.allowedDomains in your settings"
}

func (p *proxy) report(host string, port int) {
	b := Blocked{Host: host, Port: port, Time: time.Now()}
	p.blocks.add(b)
	if p.onBlocked != nil {
		p.onBlocked(b)
	}
}

func (p *proxy) serveConnect(w http.ResponseWriter, r *http.Request) {
	host, port, err := splitHostPort(r.Host, 443)
	if err != nil {
		http.Error(w, "basalt sandbox proxy: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !domainAllowed(host, p.domains) {
		p.refuse(w, host, port, "")
		return
	}
	upstream, err := p.dial(r.Context(), "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		http.Error(w, "basalt sandbox proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(w, "basalt sandbox proxy: cannot tunnel", http.StatusInternalServerError)
		return
	}
	client, rw, err := hj.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	if !p.track(client) {
		upstream.Close()
		return
	}
	defer p.untrack(client)
	if !p.track(upstream) {
		return
	}
	defer p.untrack(upstream)
	if _, err := client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		return
	}
	// The server may speak first (SSH, SMTP), so its direction runs
	// before the client's first bytes are looked at.
	done := make(chan struct{})
	go func() {
		io.Copy(client, upstream)
		closeWrite(client)
		close(done)
	}()
	first, err := checkClientHello(rw.Reader, host)
	if err != nil {
		var mismatch *sniMismatchError
		if errors.As(err, &mismatch) {
			p.report(mismatch.sni, port)
		}
		return
	}
	if _, err := upstream.Write(first); err == nil {
		io.Copy(upstream, rw.Reader)
	}
	closeWrite(upstream)
	<-done
}

// closeWrite half-closes c when it can, so the other side sees EOF
// while its answer can still come back.
func closeWrite(c net.Conn) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
		return
	}
	c.Close()
}

// hopHeaders are a proxy hop's own headers (RFC 9110 §7.6.1), never
// forwarded.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func (p *proxy) serveForward(w http.ResponseWriter, r *http.Request) {
	defPort := 80
	if r.URL.Scheme == "https" {
		defPort = 443
	}
	host, port, err := splitHostPort(r.URL.Host, defPort)
	if err != nil {
		http.Error(w, "basalt sandbox proxy: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !domainAllowed(host, p.domains) {
		p.refuse(w, host, port, "")
		return
	}
	// The request goes to the URL's host with that host in its Host
	// header, whatever Host header the client sent: a proxy must ignore it
	// for an absolute-form request (RFC 9112 §3.2.2), and Go's server has
	// already set r.Host from the URL. So a Host header naming another
	// site on the allowed site's server (virtual hosting) never reaches it.
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Host = r.URL.Host
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, "basalt sandbox proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for _, h := range hopHeaders {
		resp.Header.Del(h)
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// splitHostPort splits an authority, defaulting the port; the host comes
// back lower-case, without brackets or a trailing dot.
func splitHostPort(authority string, defPort int) (string, int, error) {
	host, portText, err := net.SplitHostPort(authority)
	var addrErr *net.AddrError
	if errors.As(err, &addrErr) && addrErr.Err == "missing port in address" {
		host, portText, err = authority, strconv.Itoa(defPort), nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("bad host %q", authority)
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 || host == "" {
		return "", 0, fmt.Errorf("bad host %q", authority)
	}
	return host, port, nil
}

// blockLog keeps the last refusals, so Violation can name the domain
// when a command's output only says "403".
type blockLog struct {
	mu   sync.Mutex
	last []Blocked
}

const blockLogSize = 16

func (l *blockLog) add(b Blocked) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = append(l.last, b)
	if len(l.last) > blockLogSize {
		l.last = l.last[len(l.last)-blockLogSize:]
	}
}

// since returns the refusals at or after t.
func (l *blockLog) since(t time.Time) []Blocked {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Blocked
	for _, b := range l.last {
		if !b.Time.Before(t) {
			out = append(out, b)
		}
	}
	return out
}
