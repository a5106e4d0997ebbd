package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/harness"
)

// sandboxFake adds the sandbox to the fake backend.
type sandboxFake struct {
	*fakeBackend
	view harness.SandboxView
	err  error
	set  []bool
}

func (f *sandboxFake) Sandbox() harness.SandboxView { return f.view }
func (f *sandboxFake) SetSandbox(_ context.Context, on bool) (harness.SandboxView, error) {
	f.set = append(f.set, on)
	if f.err != nil {
		return f.view, f.err
	}
	f.view.On = on
	f.fakeBackend.info.Sandbox = map[bool]string{true: "sandbox", false: "sandbox off"}[on]
	return f.view, nil
}

func TestSandboxCommand(t *testing.T) {
	m, fb := newTestModel(t, 200, 50)
	sf := &sandboxFake{fakeBackend: fb, view: harness.SandboxView{Configured: true, On: true, AutoAllow: true, Description: "Writable:\n  /proj"}}
	m.b = sf
	slash(m, "/sandbox")
	frame := ansi.Strip(m.Frame())
	for _, want := range []string{"Sandbox: on (auto-allow", "Writable:", "/sandbox on, /sandbox off"} {
		if !strings.Contains(frame, want) {
			t.Errorf("/sandbox lacks %q:\n%s", want, frame)
		}
	}

	slash(m, "/sandbox off")
	frame = ansi.Strip(m.Frame())
	if len(sf.set) != 1 || sf.set[0] || !strings.Contains(frame, "Sandbox off: Bash commands run under the permission rules alone") || !strings.Contains(frame, "sandbox off") {
		t.Errorf("/sandbox off: set %v\n%s", sf.set, frame)
	}

	sf.err = errors.New("the sandbox cannot run here: bubblewrap (bwrap) is not installed")
	slash(m, "/sandbox on")
	if frame = ansi.Strip(m.Frame()); !strings.Contains(frame, "bubblewrap (bwrap) is not installed") {
		t.Errorf("/sandbox on failure not shown:\n%s", frame)
	}
}

func TestSandboxReportUnavailable(t *testing.T) {
	t.Parallel()
	got := sandboxReport(harness.SandboxView{Configured: true, Probed: true, Refusal: "Bash is refused: sandbox.failIfUnavailable requires the sandbox"})
	if !strings.Contains(got, "required but unavailable") {
		t.Errorf("report = %q", got)
	}
}
