package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/basalt-dev/basalt/internal/sandbox"
)

// sandboxRuns is the scripts' [sandbox] condition: bwrap is installed
// and user namespaces are allowed here, so the OS sandbox really runs.
var sandboxRuns = sync.OnceValue(func() bool {
	return sandbox.Probe(context.Background()).Available
})

// cmdHideProgram takes a program off the script's PATH and leaves the
// rest of it: each PATH directory that holds the program is replaced by
// a directory of links to everything else in it.
//
//	hide-program bwrap
func cmdHideProgram(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hide-program NAME")
	}
	name := args[0]
	var dirs []string
	for i, d := range filepath.SplitList(ts.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, name)); err != nil {
			dirs = append(dirs, d)
			continue
		}
		shadow := ts.MkAbs(filepath.Join(".path-without-"+name, strconv.Itoa(i)))
		ts.Check(os.MkdirAll(shadow, 0o755))
		entries, err := os.ReadDir(d)
		ts.Check(err)
		for _, e := range entries {
			if e.Name() == name {
				continue
			}
			ts.Check(os.Symlink(filepath.Join(d, e.Name()), filepath.Join(shadow, e.Name())))
		}
		dirs = append(dirs, shadow)
	}
	ts.Setenv("PATH", strings.Join(dirs, string(os.PathListSeparator)))
}
