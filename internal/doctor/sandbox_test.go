package doctor

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/sandbox"
)

func sandboxChecks(t *testing.T, settings string, st sandbox.Status, start func(context.Context, sandbox.Policy, sandbox.Options) (*sandbox.Sandbox, error)) map[string]Check {
	t.Helper()
	r := localRunner(t, bedrockEnv(nil), map[string]string{"~/.config/basalt/settings.json": settings})
	r.in.Sandbox = &SandboxInput{
		Policy: sandbox.Policy{Writable: []string{"/proj"}},
		Probe:  func(context.Context) sandbox.Status { return st },
		Start:  start,
	}
	out := map[string]Check{}
	for _, c := range r.checkSandbox(t.Context()) {
		out[c.ID] = c
	}
	return out
}

func TestSandboxChecksUnavailable(t *testing.T) {
	t.Parallel()
	missing := sandbox.Status{Reason: "bubblewrap (bwrap) is not installed", Hint: "install it: sudo apt-get install bubblewrap"}
	for _, tt := range []struct {
		name, settings string
		want           Status
	}{
		{"not asked for", `{}`, StatusSkip},
		{"enabled", `{"sandbox": {"enabled": true}}`, StatusWarn},
		{"required", `{"sandbox": {"enabled": true, "failIfUnavailable": true}}`, StatusFail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cs := sandboxChecks(t, tt.settings, missing, nil)
			c := cs["sandbox"]
			if c.Status != tt.want || !strings.Contains(c.Summary, "bwrap") || !strings.Contains(c.Fix, "apt-get install bubblewrap") {
				t.Errorf("sandbox check = %+v, want %s", c, tt.want)
			}
			if cs["sandbox.proxy"].Status != StatusSkip {
				t.Errorf("proxy check ran without a sandbox: %+v", cs["sandbox.proxy"])
			}
			if p := cs["sandbox.policy"]; !strings.Contains(p.Detail, "/proj") {
				t.Errorf("policy not printed: %+v", p)
			}
		})
	}
}

// On a machine where the sandbox runs, the proxy check runs it for real.
func TestSandboxProxyCheck(t *testing.T) {
	if _, err := exec.LookPath("bwrap"); err != nil {
		t.Skip("bwrap is not installed")
	}
	st := sandbox.Probe(t.Context())
	if !st.Available {
		t.Skipf("the sandbox cannot run here: %s", st.Reason)
	}
	cs := sandboxChecks(t, `{"sandbox": {"enabled": true}}`, st, sandbox.Start)
	if c := cs["sandbox.proxy"]; c.Status != StatusOK {
		t.Errorf("proxy check = %+v", c)
	}
	if c := cs["sandbox"]; c.Status != StatusOK {
		t.Errorf("sandbox check = %+v", c)
	}
}
