//go:build !unix

package main

import "os"

// maxRSSKB is not measured where getrusage does not exist.
func maxRSSKB(*os.ProcessState) int64 { return 0 }
