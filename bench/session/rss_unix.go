//go:build unix

package main

import (
	"os"
	"syscall"
)

// maxRSSKB is the peak resident set of a finished process, in KiB (Linux
// reports getrusage's ru_maxrss in KiB).
func maxRSSKB(st *os.ProcessState) int64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
