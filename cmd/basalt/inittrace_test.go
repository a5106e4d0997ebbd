package main

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// maxInitBytes is what one of basalt's packages may allocate while the
// binary starts: a table of a few dozen entries. A bigger one is built
// on first use (sync.OnceValue, lazyre.New), so that commands that never
// look at it do not pay for it at every start.
const maxInitBytes = 8 << 10

// TestNoHeavyPackageInit runs this test binary, which links every package
// basalt links, with GODEBUG=inittrace=1 and no test, and fails when one
// of basalt's own packages allocates more than maxInitBytes in its
// initialisation. A guard on what is allocated, not a timed assertion.
func TestNoHeavyPackageInit(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ours := 0
	for line := range strings.Lines(string(out)) {
		// init PKG @0.5 ms, 0.01 ms clock, 1234 bytes, 5 allocs
		f := strings.Fields(line)
		if len(f) < 10 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/basalt-dev/basalt/") {
			continue
		}
		if f[1] == "github.com/basalt-dev/basalt/cmd/basalt" {
			continue // this test binary's own package: the tests' tables
		}
		ours++
		n, err := strconv.Atoi(f[len(f)-4])
		if err != nil || f[len(f)-3] != "bytes," {
			t.Fatalf("cannot read %q", line)
		}
		if n > maxInitBytes {
			t.Errorf("%s allocates %d bytes at start-up (limit %d): build its tables on first use", f[1], n, maxInitBytes)
		}
	}
	if ours < 10 {
		t.Fatalf("inittrace listed %d of basalt's packages; output:\n%.2000s", ours, out)
	}
}

// TestSupervisorSkipsTheProgramsInit: every Bash command starts basalt's
// executable again as its supervisor (package supervise), which runs from
// its package's init function and exits there, so that a command does not
// wait for the SDKs, the terminal interface and basalt's own packages to
// be initialised. This test binary links all of them; run as a supervisor
// of `true`, none of them may have started.
func TestSupervisorSkipsTheProgramsInit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the supervisor runs on Linux only")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	truePath, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1)")
	}
	cmd := exec.Command(exe, "__supervise", truePath, "true")
	cmd.Args[0] = "basalt"
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	// The lifeline, as basalt passes it: without it the supervisor takes
	// basalt for gone and kills the command at once.
	lifeline, keep, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close()
	cmd.ExtraFiles = []*os.File{lifeline}
	out, err := cmd.CombinedOutput()
	lifeline.Close()
	if err != nil {
		t.Fatalf("supervisor of true: %v\n%s", err, out)
	}
	inits := 0
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "init" {
			continue
		}
		inits++
		for _, heavy := range []string{
			"github.com/basalt-dev/basalt/",
			"github.com/anthropics/anthropic-sdk-go ",
			"github.com/aws/aws-sdk-go-v2/service/",
			"github.com/aws/aws-sdk-go-v2/config",
			"github.com/yuin/goldmark",
			"github.com/modelcontextprotocol/",
			"charm.land/",
		} {
			if strings.HasPrefix(f[1]+" ", heavy) {
				t.Errorf("%s was initialised before the supervisor ran", f[1])
			}
		}
	}
	if inits == 0 {
		t.Fatalf("inittrace listed no package; output:\n%.2000s", out)
	}
	t.Logf("%d packages initialised before the supervisor", inits)
}
