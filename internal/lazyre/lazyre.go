// Package lazyre defers compiling a package-level regular expression to
// its first use.
//
// A `var x = regexp.MustCompile(…)` runs at every start of the binary,
// for every command, whether the expression is ever used or not; with
// dozens of them across basalt's packages that was a measurable part of
// `basalt version`'s CPU time (GODEBUG=inittrace=1). New keeps the
// declaration where it was and makes the cost due on first use, once,
// safe for concurrent use.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles pattern on its first call and
// returns the same *regexp.Regexp on every call. Like regexp.MustCompile
// it panics on an invalid pattern, at that first call; every expression is
// exercised by its package's tests, which is where a typo shows.
func New(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
