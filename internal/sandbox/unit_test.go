package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestDomainAllowedMatchesClaudeCode(t *testing.T) {
	b, err := os.ReadFile("testdata/claude-code/domain-matching.txt")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) != 3 {
			t.Fatalf("domain-matching.txt:%d: want 3 fields", i+1)
		}
		if got := domainAllowed(f[1], []string{f[0]}); fmt.Sprint(got) != f[2] {
			t.Errorf("domain-matching.txt:%d: pattern %s host %s: got %v, want %s", i+1, f[0], f[1], got, f[2])
		}
	}
}

func TestNormalizeRefusesRelativePaths(t *testing.T) {
	t.Parallel()
	_, err := normalize(Policy{Writable: []string{"/p"}, DenyWrite: []string{".claude/settings.json"}})
	if err == nil || !strings.Contains(err.Error(), ".claude/settings.json") {
		t.Fatalf("want an error naming the relative path, got %v", err)
	}
	p, err := normalize(Policy{Writable: []string{"/p/./a/", "/p/a", ""}, AllowedDomains: []string{" Example.COM. ", "example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Policy{Writable: []string{"/p/a"}, AllowedDomains: []string{"example.com"}}, p); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestMergeEnvLaterWins(t *testing.T) {
	t.Parallel()
	got := mergeEnv([]string{"A=1", "HTTPS_PROXY=http://corp:8080", "B=2"}, []string{"B=3"}, proxyEnv(4000))
	want := []string{"A=1", "HTTPS_PROXY=http://127.0.0.1:4000", "B=3", "HTTP_PROXY=http://127.0.0.1:4000", "http_proxy=http://127.0.0.1:4000", "https_proxy=http://127.0.0.1:4000", "ALL_PROXY=http://127.0.0.1:4000", "all_proxy=http://127.0.0.1:4000", "NO_PROXY=localhost,127.0.0.1,::1", "no_proxy=localhost,127.0.0.1,::1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestClassifyBwrapFailure(t *testing.T) {
	t.Parallel()
	nsErr := "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces. On e.g. debian this can be enabled with 'sysctl kernel.unprivileged_userns_clone=1'.\n"
	for _, tc := range []struct {
		name   string
		stderr string
		facts  nsFacts
		reason string // substring
		hint   string // substring
	}{
		{"debian sysctl", nsErr, nsFacts{sysctl: map[string]string{"kernel.unprivileged_userns_clone": "0"}}, "kernel.unprivileged_userns_clone=0", "sysctl -w kernel.unprivileged_userns_clone=1"},
		{"max namespaces", nsErr, nsFacts{sysctl: map[string]string{"user.max_user_namespaces": "0", "kernel.unprivileged_userns_clone": "0"}}, "user.max_user_namespaces=0", "user.max_user_namespaces="},
		{"apparmor", "bwrap: setting up uid map: Permission denied\n", nsFacts{sysctl: map[string]string{"kernel.apparmor_restrict_unprivileged_userns": "1"}}, "AppArmor", "apparmor_restrict_unprivileged_userns=0"},
		{"root ignores unprivileged switches", "bwrap: Creating new namespace failed: Operation not permitted\n", nsFacts{sysctl: map[string]string{"kernel.unprivileged_userns_clone": "0"}, root: true, container: "docker"}, "docker container", "seccomp=unconfined"},
		{"container", "bwrap: Creating new namespace failed: Operation not permitted\n", nsFacts{container: "kubepods"}, "kubepods container that does not allow new namespaces (Creating new namespace failed: Operation not permitted)", "SYS_ADMIN"},
		{"unknown", "bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n", nsFacts{}, "bubblewrap cannot create a sandbox here: Can't mount proc", "bwrap --unshare-user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reason, hint := classifyBwrapFailure(tc.stderr, tc.facts)
			if !strings.Contains(reason, tc.reason) || !strings.Contains(hint, tc.hint) {
				t.Errorf("got reason %q hint %q; want %q and %q", reason, hint, tc.reason, tc.hint)
			}
		})
	}
	if st := bwrapMissing(); !strings.Contains(st.Hint, "apt-get install bubblewrap") || !strings.Contains(st.Hint, "dnf install bubblewrap") || st.Available {
		t.Errorf("missing bwrap: %+v", st)
	}
}

func TestViolation(t *testing.T) {
	t.Parallel()
	s := &Sandbox{policy: Policy{Writable: []string{"/proj", "/tmp"}, DenyWrite: []string{"/proj/.claude/settings.json"}, DenyRead: []string{"/home/u/.ssh"}, AllowedDomains: []string{"github.com"}}, blocks: &blockLog{}}
	s.blocks.add(Blocked{Host: "evil.example", Port: 443, Time: time.Now()})
	for _, tc := range []struct {
		name, output string
		code         int
		want         string // substring; "" means no violation
	}{
		{"success", "touch: cannot touch '/etc/x': Read-only file system", 0, ""},
		{"erofs coreutils", "touch: cannot touch '/etc/x': Read-only file system\n", 1, "blocked writing /etc/x: it allows writes only in /proj, /tmp"},
		{"erofs dash", "sh: 1: cannot create /usr/local/bin/tool: Read-only file system\n", 2, "blocked writing /usr/local/bin/tool"},
		{"erofs go", "open /home/u/.config/x: read-only file system", 1, "blocked writing /home/u/.config/x"},
		{"erofs python", "OSError: [Errno 30] Read-only file system: '/opt/x'", 1, "blocked writing /opt/x"},
		{"protected", "bash: /proj/.claude/settings.json: Read-only file system", 1, "protects /proj/.claude/settings.json from writes"},
		{"hidden", "cat: /home/u/.ssh/id_rsa: Permission denied", 1, "hides /home/u/.ssh/id_rsa"},
		{"permission denied inside is not ours", "bash: /proj/script.sh: Permission denied", 126, ""},
		{"permission denied outside", "mkdir: cannot create directory '/var/lib/x': Permission denied", 1, "blocked writing /var/lib/x"},
		{"busy", "rm: cannot remove '.claude/settings.json': Device or resource busy", 1, "protects .claude/settings.json"},
		{"proxy body", "basalt sandbox: network access to pypi.org is blocked; to allow it, add …", 22, "refused pypi.org"},
		{"curl tunnel 403", "curl: (56) CONNECT tunnel failed, response 403", 56, "refused evil.example"},
		{"curl resolve allowed", "curl: (6) Could not resolve host: github.com", 6, "programs must use the proxy"},
		{"curl resolve unlisted", "curl: (6) Could not resolve host: example.org", 6, "no network access to example.org"},
		{"node", "Error: getaddrinfo ENOTFOUND registry.npmjs.org", 1, "registry.npmjs.org: it is not in sandbox.network.allowedDomains"},
		{"unix socket filter", "dial: dial unix /run/db.sock: socket: operation not permitted", 1, "blocks the unix socket /run/db.sock; allow it with sandbox.network.allowUnixSockets"},
		{"docker", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. dial unix /var/run/docker.sock: connect: connection refused", 1, "blocks the unix socket /var/run/docker.sock"},
		{"unrelated", "FAIL: TestFoo (0.00s)", 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := s.Violation(tc.code, tc.output)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("Violation(%d, %q) = %q, want %q", tc.code, tc.output, got, tc.want)
			}
		})
	}
	noNet := &Sandbox{policy: Policy{Writable: []string{"/proj"}}, blocks: &blockLog{}}
	if got := noNet.Violation(6, "curl: (6) Could not resolve host: github.com"); !strings.Contains(got, "allows no network access (github.com cannot be reached)") {
		t.Errorf("no-network sandbox: %q", got)
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	got := Describe(Policy{Writable: []string{"/proj", "/tmp"}, DenyWrite: []string{"/proj/.git/hooks"}, AllowedDomains: []string{"*.npmjs.org", "github.com"}, AllowLocalBinding: true},
		Status{Available: true, Backend: "bwrap"})
	want := `sandbox: available (bwrap)
writable:
  /proj
  /tmp
protected from writes:
  /proj/.git/hooks
hidden (not readable): none
network (through basalt's proxy):
  *.npmjs.org
  github.com
unix sockets: none (pipes work)
local binding: allowed (loopback only)`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	got = Describe(Policy{}, bwrapMissing())
	if !strings.Contains(got, "unavailable: bubblewrap (bwrap) is not installed\n  fix: install it") || !strings.Contains(got, "network (through basalt's proxy): none: no network access") {
		t.Errorf("unavailable: %s", got)
	}
}

func TestSeatbeltProfile(t *testing.T) {
	t.Parallel()
	p := Policy{
		Writable:         []string{"/tmp/proj"},
		DenyWrite:        []string{"/tmp/proj/.mcp.json"},
		DenyRead:         []string{`/Users/u/.ssh") (allow default`},
		AllowUnixSockets: []string{"/var/run/docker.sock"},
	}
	real := func(p string) string { return strings.Replace(p, "/tmp/", "/private/tmp/", 1) }
	profile, params := seatbeltProfile(p, 4321, real)
	if *update {
		os.WriteFile("testdata/seatbelt.sb", []byte(profile), 0o644)
	}
	golden, err := os.ReadFile("testdata/seatbelt.sb")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(golden), profile); diff != "" {
		t.Errorf("profile mismatch (-want +got):\n%s", diff)
	}
	wantParams := []string{"-D", "WRITABLE_0=/private/tmp/proj", "-D", "DENY_WRITE_1=/private/tmp/proj/.mcp.json", "-D", `DENY_READ_2=/Users/u/.ssh") (allow default`, "-D", "UNIX_SOCKET_3=/var/run/docker.sock"}
	if diff := cmp.Diff(wantParams, params); diff != "" {
		t.Errorf("params mismatch (-want +got):\n%s", diff)
	}
	if strings.Contains(profile, "/Users") {
		t.Errorf("a path leaked into the profile text, where it could change the rules")
	}
	if open, closed := strings.Count(profile, "("), strings.Count(profile, ")"); open != closed {
		t.Errorf("unbalanced profile: %d ( and %d )", open, closed)
	}
	noNet, _ := seatbeltProfile(Policy{Writable: []string{"/p"}}, 0, real)
	if strings.Contains(noNet, "network-outbound") || !strings.Contains(noNet, "(deny network*)") {
		t.Errorf("without a proxy the profile must deny all network:\n%s", noNet)
	}
}

// The proxy's checks without a sandbox around the client: a Go client
// talks to it directly.
func TestProxyRefusesAndChecksSNI(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	defer srv.Close()
	var (
		mu      sync.Mutex // OnBlocked runs on the proxy's goroutines
		blocked []Blocked
	)
	blocks := &blockLog{}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	px, err := startProxy([]string{"allowed.test"}, Options{Dial: dial, OnBlocked: func(b Blocked) { mu.Lock(); blocked = append(blocked, b); mu.Unlock() }}, blocks, "tcp")
	if err != nil {
		t.Fatal(err)
	}
	defer px.close()

	if err := px.ping(context.Background()); err != nil {
		t.Errorf("ping: %v", err)
	}
	connect := func(host, sni string) (string, error) {
		c, err := net.Dial("tcp", px.addr)
		if err != nil {
			return "", err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(c, "CONNECT %s:443 HTTP/1.1\r\nHost: %s:443\r\n\r\n", host, host)
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return "", err
		}
		if resp.StatusCode != 200 {
			b := make([]byte, 512)
			n, _ := resp.Body.Read(b)
			return resp.Status + " " + string(b[:n]) + " " + resp.Header.Get(BlockedHeader), nil
		}
		tc := tls.Client(c, &tls.Config{ServerName: sni, InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			return "", err
		}
		return "tls ok", nil
	}
	if got, err := connect("allowed.test", "allowed.test"); got != "tls ok" {
		t.Errorf("allowed host: %q %v", got, err)
	}
	got, err := connect("blocked.test", "blocked.test")
	if err != nil || !strings.HasPrefix(got, "403") || !strings.Contains(got, "blocked.test") || !strings.Contains(got, "sandbox.network.allowedDomains") || !strings.Contains(got, "blocked-by-allowlist") {
		t.Errorf("blocked host: %q %v", got, err)
	}
	if got, err := connect("allowed.test", "blocked.test"); err == nil {
		t.Errorf("a ClientHello for blocked.test went through a tunnel to allowed.test: %q", got)
	}
	var hosts []string
	mu.Lock()
	defer mu.Unlock()
	for _, b := range blocked {
		hosts = append(hosts, fmt.Sprintf("%s:%d", b.Host, b.Port))
	}
	if diff := cmp.Diff([]string{"blocked.test:443", "blocked.test:443"}, hosts); diff != "" {
		t.Errorf("OnBlocked mismatch (-want +got):\n%s", diff)
	}
	if len(blocks.since(time.Now().Add(-time.Minute))) != 2 {
		t.Errorf("the block log lost a refusal")
	}
}
