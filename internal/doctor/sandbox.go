package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/sandbox"
)

// SandboxInput is what the sandbox checks need: the policy a session
// would enforce (the harness builds it from the settings) and the
// sandbox's own probe and start, which tests replace.
type SandboxInput struct {
	Policy   sandbox.Policy
	Warnings []string // settings the policy could not use
	Probe    func(context.Context) sandbox.Status
	Start    func(context.Context, sandbox.Policy, sandbox.Options) (*sandbox.Sandbox, error)
}

// proxyProbeDomain is the only domain the proxy check allows; the request
// it sends is for another, which the proxy must refuse without ever
// connecting anywhere.
const (
	proxyProbeDomain  = "allowed.doctor.invalid"
	proxyRefusedHost  = "refused.doctor.invalid"
	proxyCheckTimeout = 10 * time.Second
)

// checkSandbox reports whether the OS sandbox can run here (bwrap
// present, user namespaces allowed), whether its proxy answers and
// refuses what it must, and the policy a session would enforce.
func (r *runner) checkSandbox(ctx context.Context) []Check {
	in := r.in.Sandbox
	if in == nil {
		return nil
	}
	sc := r.in.Config.Sandbox
	wanted := sc.Enabled.Value
	st := in.Probe(ctx)

	avail := Check{ID: "sandbox", Status: StatusOK}
	switch {
	case st.Available:
		avail.Summary = fmt.Sprintf("the OS sandbox can run here (%s)", st.Backend)
		if runtime.GOOS == "linux" {
			avail.Detail = "bubblewrap is installed and user namespaces are allowed"
		}
		if !wanted {
			avail.Detail = strings.TrimSpace(avail.Detail + "\nsandbox.enabled is off: Bash commands run without it (turn it on in your settings, or /sandbox on)")
		}
	default:
		avail.Summary = "the OS sandbox cannot run here: " + st.Reason
		avail.Fix = st.Hint
		avail.Status = StatusSkip
		if wanted {
			avail.Status = StatusWarn
			avail.Detail = fmt.Sprintf("sandbox.enabled is on (%s): Bash commands run without it, under the permission rules alone", sc.Enabled.Source)
			if f := sc.FailIfUnavailable; f.Value {
				avail.Status = StatusFail
				avail.Detail = fmt.Sprintf("sandbox.failIfUnavailable is on (%s): Bash refuses every command until the sandbox can run", f.Source)
			}
		}
	}
	out := []Check{avail}

	proxy := Check{ID: "sandbox.proxy"}
	if !st.Available {
		proxy.Status, proxy.Summary = StatusSkip, "not tried: the sandbox cannot run here"
	} else {
		proxy = r.checkSandboxProxy(ctx, in)
	}
	out = append(out, proxy)

	pol := Check{ID: "sandbox.policy", Status: StatusOK, Summary: "what a sandboxed command may write, read and reach", Detail: strings.TrimRight(sandbox.Describe(in.Policy, st), "\n")}
	if len(in.Warnings) > 0 {
		pol.Status = StatusWarn
		pol.Summary = fmt.Sprintf("%d sandbox %s could not be used as written", len(in.Warnings), plural(len(in.Warnings), "setting", "settings"))
		pol.Detail = strings.Join(in.Warnings, "\n") + "\n" + pol.Detail
	}
	return append(out, pol)
}

// checkSandboxProxy starts a sandbox that allows one made-up domain and,
// from inside it, asks the proxy for another: a proxy that answers and
// refuses (and reports the refusal) is reachable and filtering. Nothing
// leaves the machine: the refused host is never dialled.
func (r *runner) checkSandboxProxy(ctx context.Context, in *SandboxInput) Check {
	c := Check{ID: "sandbox.proxy"}
	fail := func(summary string, err error) Check {
		c.Status, c.Summary = StatusFail, summary
		if err != nil {
			c.Detail = err.Error()
		}
		c.Fix = "run `basalt doctor` again; if it persists, report it with this output"
		return c
	}
	dir, err := os.MkdirTemp("", "basalt-doctor-")
	if err != nil {
		return fail("cannot make a scratch directory", err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, proxyCheckTimeout)
	defer cancel()
	var mu sync.Mutex
	var blocked []string
	sb, err := in.Start(ctx, sandbox.Policy{Writable: []string{dir}, AllowedDomains: []string{proxyProbeDomain}}, sandbox.Options{OnBlocked: func(b sandbox.Blocked) {
		mu.Lock()
		blocked = append(blocked, b.Host)
		mu.Unlock()
	}})
	if err != nil {
		return fail("the sandbox with its proxy did not start", err)
	}
	defer sb.Close()
	script := `p=${HTTPS_PROXY:-$https_proxy}; hp=${p#*://}; hp=${hp%%/*}; host=${hp%:*}; port=${hp##*:}
[ -n "$port" ] || { echo "no proxy in the environment"; exit 3; }
exec 3<>"/dev/tcp/$host/$port" || exit 4
printf 'CONNECT ` + proxyRefusedHost + `:443 HTTP/1.1\r\nHost: ` + proxyRefusedHost + `:443\r\n\r\n' >&3
IFS= read -r line <&3; echo "$line"`
	cmd, err := sb.Command(ctx, "/bin/bash", script, dir, []string{"PATH=/usr/bin:/bin"})
	if err != nil {
		return fail("cannot run a command inside the sandbox", err)
	}
	var outBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outBuf, &outBuf
	runErr := cmd.Run()
	answer := strings.TrimSpace(outBuf.String())
	if !strings.HasPrefix(answer, "HTTP/1.") {
		return fail("the proxy did not answer from inside the sandbox", errors.Join(runErr, fmt.Errorf("output: %q", answer)))
	}
	// The refusal is reported from the proxy's goroutine; give it a moment.
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		n := len(blocked)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	status := strings.Fields(answer)
	if len(status) < 2 || strings.HasPrefix(status[1], "2") {
		return fail("the proxy let a request for an unlisted host through", fmt.Errorf("answer: %q", answer))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(blocked) == 0 {
		return fail("the proxy refused an unlisted host but did not report it", fmt.Errorf("answer: %q", answer))
	}
	c.Status = StatusOK
	c.Summary = "the proxy is reachable from inside the sandbox and refuses unlisted hosts"
	c.Detail = fmt.Sprintf("CONNECT %s:443 → %s (reported as refused)", proxyRefusedHost, answer)
	return c
}
