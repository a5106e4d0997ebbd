// Package hooks runs the commands a team configured for session events
// (Claude Code's "hooks" settings key) and turns what they print and how
// they exit into an [Outcome] its caller acts on (DESIGN.md §9).
//
// It owns: reading the "hooks" value of each settings layer ([Parse],
// [FromConfig]), which hooks may run at all ([Load]: managed-only,
// disableAllHooks, trust), matching an event against matchers, running
// the matching commands in parallel with a timeout and their own process
// group ([Runner.Run]), and combining their results. It fires nothing by
// itself: the agent loop, the harness and the frontends call
// [Runner.Run] at the points WIRING.md names.
//
// It must not run a hook from a workspace the user has not trusted, and
// it renders nothing: output for the user is returned, never printed.
//
// Claude Code is the authority for every event name, stdin field, exit
// code and JSON field; testdata/claude-code holds what its release wrote
// on a hook's stdin, recorded by testdata/claude-code/record.sh.
package hooks
