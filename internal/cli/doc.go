// Package cli owns the command tree, its flags, and the one place where an
// error becomes a message, a hint and an exit code ([Main]).
//
// Commands follow one shape: newXCmd(app, runF) parses flags into an
// options struct and calls runX(ctx, opts); tests replace runF to check
// flag parsing alone. Commands reach other packages only through their
// exported API.
package cli
