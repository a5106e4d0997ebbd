package sandbox

import (
	"context"
	"net"
	"os"
	"time"
)

// Policy is what a sandboxed command may touch. Paths are absolute and
// cleaned; the caller fills it from the settings.
type Policy struct {
	Writable            []string // project dir, additional dirs, temp dir, allowed tool caches
	DenyWrite           []string // inside Writable but protected (settings files, .git/hooks, …): read-only, and not creatable when missing
	DenyRead            []string // not readable at all (~/.ssh, ~/.aws, …): an empty directory or file over them
	AllowedDomains      []string // "example.com", "*.example.com"; empty = no network at all
	AllowUnixSockets    []string // socket paths bound into the sandbox
	AllowAllUnixSockets bool
	AllowLocalBinding   bool     // may listen on loopback inside the sandbox
	Env                 []string // extra env for the command (proxy vars are added by Command)
}

// Status is what [Probe] found: whether the sandbox can run here and, if
// not, why and how to fix it.
type Status struct {
	Available bool
	Backend   string // "bwrap" | "sandbox-exec" | ""
	Reason    string // e.g. "bubblewrap (bwrap) is not installed"
	Hint      string // e.g. "install it: sudo apt-get install bubblewrap"
}

// Blocked is one refused network request, reported so the user can
// allow the domain.
type Blocked struct {
	Host string
	Port int
	Time time.Time
}

// Options are the sandbox's hooks. The zero value is the production
// setup.
type Options struct {
	// OnBlocked, if set, is called from the proxy's goroutine for each
	// refused request. It must not block for long.
	OnBlocked func(Blocked)
	// Dial is how the proxy reaches an allowed host from outside the
	// sandbox; nil means a net.Dialer. Tests map test domains to a
	// loopback server with it.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// BridgePath is the executable run inside the sandbox as the network
	// bridge (it must dispatch [BridgeArg] to [RunBridge]); "" means the
	// running executable, which is basalt.
	BridgePath string

	// bridgePerCommand makes every command start its own network
	// namespace and bridge, as when nsenter is missing (tests).
	bridgePerCommand bool
}

// Sandbox is a started policy: the proxy (when the policy allows any
// domain) and what every command's wrapper needs. It is safe for
// concurrent use; Close it when the session ends.
type Sandbox struct {
	policy  Policy
	opts    Options
	status  Status
	backend backend
	proxy   *proxy // nil when no domain is allowed
	blocks  *blockLog
}

// backend is the per-OS half: how one command is wrapped and what it
// leaves behind.
type backend interface {
	// command returns the argv (argv[0] a path) that runs shell -c
	// script in dir under the policy, and the extra environment.
	wrap(ctx context.Context, shell, script, dir string) (argv, env []string, files []*os.File, err error)
	close() error
}

// Start checks that the sandbox can run here ([Probe]) and starts what
// the policy needs: the proxy when AllowedDomains is non-empty. The
// error carries the probe's reason and hint when the sandbox is
// unavailable.
func Start(ctx context.Context, p Policy, o Options) (*Sandbox, error) {
	st := Probe(ctx)
	if !st.Available {
		return nil, &UnavailableError{Status: st}
	}
	p, err := normalize(p)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{policy: p, opts: o, status: st, blocks: &blockLog{}}
	if len(p.AllowedDomains) > 0 {
		px, err := startProxy(p.AllowedDomains, o, s.blocks, proxyNetwork)
		if err != nil {
			return nil, err
		}
		s.proxy = px
	}
	b, err := newBackend(s)
	if err != nil {
		if s.proxy != nil {
			s.proxy.close()
		}
		return nil, err
	}
	s.backend = b
	return s, nil
}

// UnavailableError is Start's error when [Probe] says the sandbox cannot
// run here.
type UnavailableError struct{ Status Status }

func (e *UnavailableError) Error() string {
	msg := "sandbox unavailable: " + e.Status.Reason
	if e.Status.Hint != "" {
		msg += " (" + e.Status.Hint + ")"
	}
	return msg
}

// Policy returns the policy the sandbox enforces (paths cleaned).
func (s *Sandbox) Policy() Policy { return s.policy }

// ProxyReachable checks that the sandbox's proxy answers (for doctor):
// nil when no domain is allowed, since then there is no proxy.
func (s *Sandbox) ProxyReachable(ctx context.Context) error {
	if s.proxy == nil {
		return nil
	}
	return s.proxy.ping(ctx)
}

// Close stops the proxy and removes what the sandbox left on the host.
// Commands still running lose their network.
func (s *Sandbox) Close() error {
	var err error
	if s.backend != nil {
		err = s.backend.close()
	}
	if s.proxy != nil {
		if perr := s.proxy.close(); err == nil {
			err = perr
		}
	}
	return err
}
