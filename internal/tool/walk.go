package tool

import (
	"context"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// walkOptions select the files of a tree walk.
type walkOptions struct {
	root     string      // absolute, clean directory
	globs    *globSet    // Grep's glob filter; nil for none
	types    *typeFilter // Grep's type filter; nil for none
	workers  int         // 0: GOMAXPROCS
	dirs     bool        // also visit directories
	maxDepth int         // 0: unlimited; else files at most this many segments deep
	// hidden, when set, reports the files and directories a Read deny
	// rule covers: they are left out, and such directories not entered.
	hidden func(abs string) bool
}

// walkEntry is a file (or, with walkOptions.dirs, a directory) found by a
// walk.
type walkEntry struct {
	abs, rel string // rel is slash-separated from the root
	entry    fs.DirEntry
}

// walkTree visits the files below opts.root that the ignore files, globs,
// types and opts.hidden let through, skipping .git and not following
// symlinks, like rg does. Directories are read in parallel; visit is called from several
// goroutines at once, with worker in [0, workers) so callers can keep
// per-worker state. A directory that cannot be read is skipped. Returning
// false from visit stops the walk early.
func walkTree(ctx context.Context, opts walkOptions, visit func(worker int, e walkEntry) bool) error {
	workers := opts.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	w := &walker{opts: opts, visit: visit}
	w.cond = sync.NewCond(&w.mu)
	w.queue = []dirJob{{abs: opts.root, ign: ignoreChain(opts.root)}}
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work(ctx, i)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

type dirJob struct {
	abs, rel string
	ign      *ignoreDir
}

type walker struct {
	opts  walkOptions
	visit func(int, walkEntry) bool

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []dirJob
	active  int
	stopped bool
}

func (w *walker) work(ctx context.Context, worker int) {
	var found []dirJob
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && w.active > 0 && !w.stopped {
			w.cond.Wait()
		}
		if w.stopped || len(w.queue) == 0 {
			w.mu.Unlock()
			return
		}
		job := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		w.active++
		w.mu.Unlock()

		found = found[:0]
		ok := ctx.Err() == nil && w.readDir(worker, job, &found)

		w.mu.Lock()
		w.active--
		if !ok {
			w.stopped = true
		}
		w.queue = append(w.queue, found...)
		if w.stopped || len(found) > 0 || w.active == 0 {
			w.cond.Broadcast()
		}
		w.mu.Unlock()
	}
}

// readDir lists one directory, visits its files and appends its
// subdirectories to found. It returns false to stop the walk.
func (w *walker) readDir(worker int, job dirJob, found *[]dirJob) bool {
	f, err := os.Open(job.abs)
	if err != nil {
		return true
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil && len(entries) == 0 {
		return true
	}
	ign := childIgnore(job, entries)
	for _, e := range entries {
		we, isDir, ok := admit(w.opts, job, ign, e)
		if !ok {
			continue
		}
		if isDir {
			if w.opts.maxDepth == 0 || strings.Count(we.rel, "/")+1 < w.opts.maxDepth {
				*found = append(*found, dirJob{abs: we.abs, rel: we.rel, ign: ign})
			}
			if !w.opts.dirs {
				continue
			}
		}
		if !w.visit(worker, we) {
			return false
		}
	}
	return true
}

// childIgnore returns the ignore rules for the entries of job's directory.
func childIgnore(job dirJob, entries []fs.DirEntry) *ignoreDir {
	if job.rel == "" || !slices.ContainsFunc(entries, isIgnoreRelevant) {
		return job.ign // the root's own files are in its chain already
	}
	return loadIgnoreDir(job.abs, func(name string) bool {
		return slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == name })
	}, job.ign)
}

// admit decides whether entry e of job's directory is part of the walk.
func admit(opts walkOptions, job dirJob, ign *ignoreDir, e fs.DirEntry) (we walkEntry, isDir, ok bool) {
	name := e.Name()
	if name == ".git" {
		return we, false, false
	}
	typ := e.Type()
	if typ&fs.ModeSymlink != 0 {
		return we, false, false
	}
	isDir = typ.IsDir()
	if !isDir && !typ.IsRegular() {
		return we, false, false
	}
	rel := name
	if job.rel != "" {
		rel = job.rel + "/" + name
	}
	abs := job.abs + "/" + name
	if job.abs == "/" {
		abs = "/" + name
	}
	switch opts.globs.match(rel, isDir) {
	case matchIgnore:
		return we, false, false
	case matchWhitelist:
		// A matching glob overrides the ignore files and the type.
	default:
		if ign != nil && ign.match(abs, isDir) == matchIgnore {
			return we, false, false
		}
		if !isDir && opts.types != nil && !opts.types.matches(name) {
			return we, false, false
		}
	}
	if opts.hidden != nil && opts.hidden(abs) {
		return we, false, false
	}
	return walkEntry{abs: abs, rel: rel, entry: e}, isDir, true
}

// isIgnoreRelevant reports whether a directory entry changes the ignore
// rules of its directory.
func isIgnoreRelevant(e fs.DirEntry) bool {
	switch e.Name() {
	case ".git", ".gitignore", ".ignore", ".rgignore":
		return true
	}
	return false
}
