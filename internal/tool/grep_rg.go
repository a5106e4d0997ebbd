package tool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// grepRG runs the query through rg and parses its output into the same
// results grepGo produces. rg is told to follow the rules the Go search
// implements: hidden files searched, .git skipped, ignore files honoured
// outside git repositories too, no global gitignore, types from our table.
func (s *Session) grepRG(ctx context.Context, q grepQuery) ([]grepFile, error) {
	args := []string{
		"--no-config", "--color=never", "--no-messages", "--no-heading",
		"--hidden", "--no-require-git", "--no-ignore-global", "--glob=!.git",
		"--null", "--with-filename",
	}
	switch q.mode {
	case modeContent:
		args = append(args, "--line-number")
		if q.before > 0 {
			args = append(args, "--before-context="+strconv.Itoa(q.before))
		}
		if q.after > 0 {
			args = append(args, "--after-context="+strconv.Itoa(q.after))
		}
	case modeFiles:
		args = append(args, "--files-with-matches")
	case modeCount:
		// --count reads whole files, so rg drops every file holding a NUL
		// byte, as the Go search does.
		args = append(args, "--count")
	}
	if q.ignoreCase {
		args = append(args, "--ignore-case")
	}
	if q.multiline {
		args = append(args, "--multiline", "--multiline-dotall")
	}
	for _, g := range q.globs {
		args = append(args, "--glob="+g)
	}
	if q.typ != nil {
		for _, g := range q.typ.globs {
			args = append(args, "--type-add=basalt:"+g)
		}
		args = append(args, "--type=basalt")
	}
	args = append(args, "--regexp="+q.pattern, "--")
	dir := q.root
	if q.isFile {
		dir = filepath.Dir(q.root)
		args = append(args, q.root)
	} else {
		args = append(args, ".")
	}

	cmd := exec.CommandContext(ctx, s.rgPath, args...)
	cmd.Dir = dir
	cmd.Env = s.env
	cmd.SysProcAttr = groupAttr()
	cmd.Cancel = func() error { return signalGroup(cmd, syscall.SIGKILL) }
	cmd.WaitDelay = killGrace
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &capped{buf: &stdout, max: q.maxCollect}, &capped{buf: &stderr, max: 1 << 16}
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if errors.Is(err, errTooMuch) {
		return nil, errTooMuch
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return nil, nil // no match
	case errors.As(err, &ee) && ee.ExitCode() == 2 && stdout.Len() == 0:
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "rg failed"
		}
		return nil, &problem{"search failed: " + msg}
	case errors.As(err, &ee) && ee.ExitCode() == 2:
		// Some files could not be read; the rest is a valid result.
	default:
		return nil, fmt.Errorf("run rg: %w", err)
	}
	files := parseRG(stdout.Bytes(), q)
	// rg walks on its own: drop every file a Read deny rule covers, whole,
	// so that no line, name or count of it is shown.
	shown := files[:0]
	for _, f := range files {
		if !q.isHidden(q.abs(f.rel)) {
			shown = append(shown, f)
		}
	}
	files = shown
	if q.multiline || q.mode == modeFiles {
		// rg stops reading a file at its first match when listing files,
		// and with a whole file in memory (multiline) it looks for NUL
		// bytes only near the start: apply the Go search's rule (no NUL
		// anywhere) to what it found.
		kept := files[:0]
		for _, f := range files {
			if data, err := os.ReadFile(q.abs(f.rel)); err == nil && !looksBinary(data) {
				kept = append(kept, f)
			}
		}
		files = kept
	}
	return files, nil
}

// parseRG reads rg's --null output: "path\0N:text" for a matching line,
// "path\0N-text" for context, "path\0count" with --count, "--" between
// context groups, and "path: WARNING: stopped searching binary file…"
// for a file rg gave up on part way, which is dropped whole.
func parseRG(out []byte, q grepQuery) []grepFile {
	var files []grepFile
	if q.mode == modeFiles {
		// --files-with-matches prints "path\0" for each file, no newlines.
		for _, p := range bytes.Split(out, []byte{0}) {
			if len(p) > 0 {
				files = append(files, grepFile{rel: relRG(string(p), q), count: 1})
			}
		}
		return files
	}
	index := map[string]int{}
	binary := map[string]bool{}
	for len(out) > 0 {
		line := out
		if i := bytes.IndexByte(out, '\n'); i >= 0 {
			line, out = out[:i], out[i+1:]
		} else {
			out = nil
		}
		nul := bytes.IndexByte(line, 0)
		if nul < 0 {
			if i := bytes.Index(line, []byte(": WARNING: stopped searching binary file")); i >= 0 {
				binary[relRG(string(line[:i]), q)] = true
			}
			continue
		}
		rel := relRG(string(line[:nul]), q)
		rest := line[nul+1:]
		k, ok := index[rel]
		if !ok {
			k = len(files)
			index[rel] = k
			files = append(files, grepFile{rel: rel})
		}
		f := &files[k]
		if q.mode == modeCount {
			f.count, _ = strconv.Atoi(string(rest))
			continue
		}
		i := 0
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			continue
		}
		num, _ := strconv.Atoi(string(rest[:i]))
		isMatch := rest[i] == ':'
		f.lines = append(f.lines, grepLine{num: num, text: string(rest[i+1:]), match: isMatch})
		if isMatch {
			f.count++
		}
	}
	kept := files[:0]
	for _, f := range files {
		if !binary[f.rel] && f.count > 0 {
			kept = append(kept, f)
		}
	}
	return kept
}

// relRG turns a path as rg printed it into a result's rel.
func relRG(p string, q grepQuery) string {
	if q.isFile {
		return filepath.Base(q.root)
	}
	return filepath.ToSlash(strings.TrimPrefix(p, "./"))
}

// capped is a buffer that refuses to grow past max; the failed write stops
// the copy from rg, which then dies of a broken pipe.
type capped struct {
	buf *bytes.Buffer
	max int64
}

func (c *capped) Write(p []byte) (int, error) {
	if int64(c.buf.Len()+len(p)) > c.max {
		return 0, errTooMuch
	}
	return c.buf.Write(p)
}
