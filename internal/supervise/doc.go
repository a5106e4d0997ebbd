// Package supervise is the supervisor that every Bash command runs under
// on Linux: basalt's own executable, started again with [Arg].
//
// A command's process tree must not outlive it: not its timeout, not a
// cancelled turn, not basalt itself, even when basalt is killed by
// SIGKILL, and not when a child leaves the command's process group
// (setsid, nohup, a double fork). A process-group kill cannot promise that:
// a child that calls setsid is out of the group, and nothing in basalt runs
// after SIGKILL. So on Linux each command runs under a supervisor, basalt's
// own executable started with [Arg] (see [Run]):
//
//   - it is a child subreaper (PR_SET_CHILD_SUBREAPER), so every orphan of
//     the command, daemonised or not, is reparented to it rather than to
//     init, and its descendants can be found by their parent links in /proc;
//   - it reads a lifeline pipe whose only writer is basalt: end of file
//     means basalt is gone, however it died, and the supervisor kills the
//     whole tree at once (PR_SET_PDEATHSIG would be tied to the thread that
//     started it, which the Go runtime does not promise to keep);
//   - on SIGTERM (a timeout, a cancelled turn, KillBash, session close) it
//     sends SIGTERM to every descendant, waits [KillGrace], then SIGKILLs
//     what is left until no descendant remains;
//   - when the command's shell ends by itself, whatever it left running is
//     stopped the same way: a foreground command's tree ends with it
//     (servers belong in run_in_background);
//   - it exits as the shell did (same code, or killed by the same signal),
//     so exit statuses read the same as without it.
//
// The shell runs in a process group of its own, so `kill 0` in the command
// does not reach the supervisor, and with PR_SET_PDEATHSIG, so that it dies
// with the supervisor. What this cannot stop: a command that kills the
// supervisor by its pid (kill -9 $PPID) leaves its grandchildren to init,
// and a command that asks another daemon to run something (systemd-run,
// at, docker) was never in the tree. A cgroup per command would close the
// first; it is not used because containers rarely delegate a writable one.
//
// Elsewhere, and when no supervisor is configured (test binaries of other
// packages), commands run directly in their own process group, which is
// signalled as a whole.
//
// The supervisor starts once per command, so its start-up is paid on every
// Bash call. It therefore runs from this package's init function: by the
// Go specification, packages are initialised in import-path order as soon
// as their own imports are, and this one imports only a few standard
// packages. It runs after some seventy small packages whose paths sort
// before it and are ready sooner (the standard library's crypto and
// encoding, a few leaves), and exits before the other ~150 (the AWS and
// Anthropic SDKs, the terminal interface, basalt's own) are initialised:
// 21 ms of CPU and 11 MiB here instead of 31 ms and 20 MiB.
// TestSupervisorSkipsTheProgramsInit fails if one of those starts first.
package supervise
