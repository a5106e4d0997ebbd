package sandbox

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// testNet is an HTTPS and an HTTP server on the host's loopback that
// answer for every name, and a dialer that sends the test domains to
// them: the proxy's production dialer would resolve them for real.
type testNet struct {
	tlsSrv, plainSrv *httptest.Server
	mu               sync.Mutex
	blocked          []string
}

func newTestNet(t *testing.T) *testNet {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.Host)
	})
	n := &testNet{tlsSrv: httptest.NewUnstartedServer(h), plainSrv: httptest.NewServer(h)}
	// The SNI test closes a tunnel mid-handshake on purpose.
	n.tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	n.tlsSrv.StartTLS()
	t.Cleanup(n.tlsSrv.Close)
	t.Cleanup(n.plainSrv.Close)
	return n
}

func (n *testNet) options() Options {
	return Options{
		OnBlocked: func(b Blocked) {
			n.mu.Lock()
			n.blocked = append(n.blocked, b.Host)
			n.mu.Unlock()
		},
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, _ := net.SplitHostPort(addr)
			if !strings.HasSuffix(host, ".test") {
				return nil, fmt.Errorf("test dialer: %s is not a test domain", host)
			}
			target := n.plainSrv.Listener.Addr().String()
			if port == "443" {
				target = n.tlsSrv.Listener.Addr().String()
			}
			var d net.Dialer
			return d.DialContext(ctx, network, target)
		},
	}
}

func (n *testNet) wasBlocked(host string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, h := range n.blocked {
		if h == host {
			return true
		}
	}
	return false
}

func needCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed (apt-get install curl)")
	}
}

// netModes are the two ways a command reaches the proxy: the network
// namespace shared through nsenter, and a namespace and bridge per
// command (the fallback).
var netModes = []struct {
	name      string
	perCmd    bool
	wantShare bool
}{{"shared namespace", false, true}, {"bridge per command", true, false}}

func TestSandboxNetworkThroughProxy(t *testing.T) {
	needCurl(t)
	for _, mode := range netModes {
		t.Run(mode.name, func(t *testing.T) {
			n := newTestNet(t)
			o := n.options()
			o.bridgePerCommand = mode.perCmd
			f := newFixture(t)
			s := startSandbox(t, Policy{Writable: []string{f.proj}, AllowedDomains: []string{"allowed.test", "*.wild.test"}}, o)
			shared := s.backend.(*bwrapBackend).holder != nil
			if _, err := exec.LookPath("nsenter"); err == nil && shared != mode.wantShare {
				t.Fatalf("shared network namespace in use: %v, want %v", shared, mode.wantShare)
			}
			// The command keeps the user's own uid whichever way it starts.
			if code, out := run(t, s, f.proj, "id -u"); code != 0 || strings.TrimSpace(out) != strconv.Itoa(os.Getuid()) {
				t.Errorf("id -u in the sandbox: exit %d %q, want %d", code, out, os.Getuid())
			}
			testNetworkThroughProxy(t, s, n, f)
		})
	}
}

func testNetworkThroughProxy(t *testing.T, s *Sandbox, n *testNet, f fixture) {
	for _, tc := range []struct {
		name, script string
		ok           bool
		want         string // in the output when ok
		blocked      string // host the proxy must report when refused
	}{
		{"https allowed", "curl -sSk https://allowed.test/", true, "hello from allowed.test", ""},
		{"https wildcard", "curl -sSk https://api.wild.test/", true, "hello from api.wild.test", ""},
		{"http allowed", "curl -sSf http://allowed.test/", true, "hello from allowed.test", ""},
		{"https refused", "curl -sSk https://blocked.test/", false, "", "blocked.test"},
		{"wildcard is not the apex", "curl -sSk https://wild.test/", false, "", "wild.test"},
		{"http refused", "curl -sSf http://blocked.test/", false, "", "blocked.test"},
		// The Host header is replaced by the URL's host (RFC 9112 §3.2.2):
		// the server answers for allowed.test, never for blocked.test.
		{"host header differs", "curl -sSf -H 'Host: blocked.test' http://allowed.test/", true, "hello from allowed.test", ""},
		{"sni differs from connect", "curl -sSk --connect-to blocked.test:443:allowed.test:443 https://blocked.test/", false, "", "blocked.test"},
		{"around the proxy", "curl -sS --noproxy '*' --max-time 5 " + n.plainSrv.URL, false, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run(t, s, f.proj, tc.script)
			if tc.ok {
				if code != 0 || !strings.Contains(out, tc.want) {
					t.Fatalf("want success with %q, got exit %d: %s", tc.want, code, out)
				}
				return
			}
			if code == 0 {
				t.Fatalf("request got through: %s", out)
			}
			if tc.blocked != "" {
				if !n.wasBlocked(tc.blocked) {
					t.Errorf("OnBlocked was not called for %s (got %v); output %s", tc.blocked, n.blocked, out)
				}
				if v := s.Violation(code, out); !strings.Contains(v, tc.blocked) {
					t.Errorf("Violation %q does not name %s; output %s", v, tc.blocked, out)
				}
			}
		})
	}
}

func TestSandboxNoNetworkWithoutDomains(t *testing.T) {
	needCurl(t)
	f := newFixture(t)
	n := newTestNet(t)
	s := startSandbox(t, Policy{Writable: []string{f.proj}}, n.options())
	for _, script := range []string{
		"curl -sS --max-time 5 http://allowed.test/",
		"curl -sS --max-time 5 " + n.plainSrv.URL,
	} {
		code, out := run(t, s, f.proj, script)
		if code == 0 {
			t.Fatalf("%s reached the network: %s", script, out)
		}
		if v := s.Violation(code, out); script == "curl -sS --max-time 5 http://allowed.test/" && !strings.Contains(v, "no network") {
			t.Errorf("Violation %q for %s", v, out)
		}
	}
}
