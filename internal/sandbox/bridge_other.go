//go:build !unix

package sandbox

import "os"

var forwardedSignals = []os.Signal{os.Interrupt}
