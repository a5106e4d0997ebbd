package supervise

import (
	"os"
	"time"
)

// Arg is the first argument that makes basalt's executable a supervisor
// ([Run]) instead of the command line interface. It is not a command a
// user types.
const Arg = "__supervise"

// Argv0 is argv[0] of the supervisor: the name basalt's executable is
// started under.
const Argv0 = "basalt"

// LifelineFD is the supervisor's file descriptor for the lifeline pipe
// (the first of exec.Cmd.ExtraFiles).
const LifelineFD = 3

// KillGrace is how long a command's processes have between SIGTERM and
// SIGKILL.
const KillGrace = 2 * time.Second

// init is the supervisor's entry point, ahead of every package that
// imports this one (see the package comment for why not main): started as
// `basalt __supervise PATH ARGV0 [ARG...]`, the process runs the command
// and exits here.
func init() {
	if len(os.Args) > 1 && os.Args[1] == Arg {
		os.Exit(Run(os.Args[2:]))
	}
}
