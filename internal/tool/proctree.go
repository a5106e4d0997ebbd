package tool

import "github.com/basalt-dev/basalt/internal/supervise"

// Each command runs under a supervisor on Linux, so that its process tree
// does not outlive it (package supervise says how). Elsewhere, and when no
// supervisor is configured (test binaries of other packages), commands run
// directly in their own process group, which is signalled as a whole.

// SuperviseArg is the first argument that makes basalt's executable a
// supervisor instead of the command line interface: supervise.Arg, which
// that package's init function dispatches on.
const SuperviseArg = supervise.Arg

// superviseArgv0 is argv[0] of the supervisor.
const superviseArgv0 = supervise.Argv0
