package mcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/basalt-dev/basalt/internal/config"
)

// unauthorizedError is a 401 from an HTTP server: it wants a login.
type unauthorizedError struct{ server string }

func (e *unauthorizedError) Error() string {
	return fmt.Sprintf("the server answered 401 Unauthorized: run `basalt mcp login %s`", e.server)
}

// headerTransport adds the server's configured headers to every request
// and turns a 401 into an *unauthorizedError, which the SDK would
// otherwise report as a plain connection failure.
type headerTransport struct {
	server  string
	headers map[string]string
	base    http.RoundTripper
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	for k, v := range t.headers {
		req.Header.Set(k, v)
	}
	resp, err := t.base.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		resp.Body.Close()
		return nil, &unauthorizedError{server: t.server}
	}
	return resp, err
}

// transport builds the SDK transport of s. For stdio it returns the
// command too, so that Close can end its process group.
func (m *Manager) transport(s config.MCPServer) (sdk.Transport, *exec.Cmd, *tailBuffer) {
	switch s.Type {
	case config.MCPHTTP, config.MCPSSE:
		base := m.o.HTTPTransport
		if base == nil {
			base = http.DefaultTransport
		}
		rt := &headerTransport{server: s.Name, headers: s.Headers, base: authTransport(s, m.o.StateDir, base)}
		client := &http.Client{Transport: rt}
		if s.Type == config.MCPSSE {
			return &sdk.SSEClientTransport{Endpoint: s.URL, HTTPClient: client}, nil, nil
		}
		return &sdk.StreamableClientTransport{Endpoint: s.URL, HTTPClient: client, MaxRetries: 1}, nil, nil
	}
	var cmd *exec.Cmd
	if m.o.Wrap != nil {
		wrapped, err := m.o.Wrap(s.Command, s.Args, m.o.WorkDir, mergeEnv(m.o.Env, s.Env))
		if err != nil {
			return failedTransport{fmt.Errorf("sandbox: %w", err)}, nil, nil
		}
		cmd = wrapped
	}
	if cmd == nil {
		cmd = exec.Command(s.Command, s.Args...)
		cmd.Dir = m.o.WorkDir
		cmd.Env = mergeEnv(m.o.Env, s.Env)
	}
	cmd.SysProcAttr = childAttr()
	tail := &tailBuffer{max: 4096}
	cmd.Stderr = tail
	return &sdk.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second}, cmd, tail
}

// failedTransport is a server that cannot start: connecting returns why.
type failedTransport struct{ err error }

func (f failedTransport) Connect(context.Context) (sdk.Connection, error) { return nil, f.err }

// mergeEnv is base with the server's variables over it.
func mergeEnv(base []string, over map[string]string) []string {
	out := make([]string, 0, len(base)+len(over))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := over[k]; !ok {
			out = append(out, kv)
		}
	}
	keys := make([]string, 0, len(over))
	for k := range over {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+over[k])
	}
	return out
}

// tailBuffer keeps the last bytes a server wrote to stderr: the reason
// it failed is usually there.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

// LastLine is the last non-empty line written.
func (t *tailBuffer) LastLine() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.b)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// describeConnectError turns a connection failure into a reason.
func describeConnectError(err error, tail *tailBuffer, timeout time.Duration) string {
	var ue *unauthorizedError
	switch {
	case errors.As(err, &ue):
		return ue.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("did not answer within %s (MCP_TIMEOUT)", timeout)
	}
	// A network failure is the address's fault, not the protocol's: say
	// which address and what the network said, without the SDK's layers.
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return fmt.Sprintf("cannot resolve %s: %v", dns.Name, dns.Err)
	case errors.As(err, &op) && op.Addr != nil:
		return fmt.Sprintf("cannot reach %s: %v", op.Addr, op.Err)
	}
	msg := err.Error()
	if l := tail.LastLine(); l != "" {
		msg += ": " + l
	}
	return msg
}
