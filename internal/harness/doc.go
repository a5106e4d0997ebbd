// Package harness is the home of a running session: everything between a
// loaded config.Config and a frontend.
//
// It builds what a session needs from the configuration (credentials,
// the model client, the resolved models, the tools, the permission
// checker, the transcript store, the metrics recorder), owns the
// session's life (new, continue, resume, fork, clear, model switch,
// compact, budget, close), saves permission-rule edits and applies them
// to the running checker in one step, and produces the status, info and
// result summary every frontend shows, with secrets hidden by config's
// one rule.
//
// It renders nothing and parses no flags: the command layer (cli) turns
// flags into Options and errors into exit codes, and the frontends (tui,
// headless) present what it returns. Frontends may use its types, but
// they never build a session: cli does, through [Open].
package harness
