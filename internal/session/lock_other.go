//go:build !unix && !windows

package session

import "os"

// flock does nothing where flock(2) does not exist: sessions are not
// locked there, and the user must not resume one session twice at once.
func flock(*os.File) error { return nil }
