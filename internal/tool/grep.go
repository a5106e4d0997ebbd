package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed grep.md
var grepDescription string

// Grep limits.
const (
	grepMaxLineLen = 500    // characters of a content line shown
	grepMaxOutput  = 30_000 // bytes of one result
	// grepMaxCollect bounds what a content search gathers before sorting,
	// so a pattern that matches everything cannot exhaust memory.
	grepMaxCollect = 64 << 20
)

// errTooMuch is the problem reported past grepQuery.maxCollect.
var errTooMuch = &problem{"the search matched too many lines to sort and show: narrow it with a more specific pattern, path, glob or type, or use output_mode files_with_matches or count"}

// Grep searches file contents with a regular expression, through rg when
// the session has it and a parallel pure-Go search otherwise. Both give
// the same result for the same query.
type Grep struct{}

type grepInput struct {
	Pattern    string `json:"pattern"`
	Path       string `json:"path,omitempty"`
	Glob       string `json:"glob,omitempty"`
	Type       string `json:"type,omitempty"`
	OutputMode string `json:"output_mode,omitempty"`
	IgnoreCase bool   `json:"-i,omitempty"`
	LineNums   *bool  `json:"-n,omitempty"`
	After      *int   `json:"-A,omitempty"`
	Before     *int   `json:"-B,omitempty"`
	Context    *int   `json:"-C,omitempty"`
	HeadLimit  *int   `json:"head_limit,omitempty"`
	Offset     *int   `json:"offset,omitempty"`
	Multiline  bool   `json:"multiline,omitempty"`
}

// Output modes.
const (
	modeContent = "content"
	modeFiles   = "files_with_matches"
	modeCount   = "count"
)

func (Grep) Name() string        { return "Grep" }
func (Grep) Description() string { return grepDescription }
func (Grep) ReadOnly() bool      { return true }
func (Grep) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "pattern": {"type": "string", "description": "Regular expression to search for (ripgrep syntax)"},
    "path": {"type": "string", "description": "File or directory to search (default: the current working directory)"},
    "glob": {"type": "string", "description": "Only files matching this glob, e.g. \"*.go\", \"*.{ts,tsx}\", \"src/**/*.rs\"; \"!glob\" excludes. Several globs may be separated by spaces"},
    "type": {"type": "string", "description": "Only files of this type (ripgrep type names): go, py, js, ts, rust, java, c, cpp, md, json, yaml, sh, …"},
    "output_mode": {"type": "string", "enum": ["content", "files_with_matches", "count"], "description": "content: matching lines; files_with_matches (default): file paths; count: matching lines per file"},
    "-i": {"type": "boolean", "description": "Ignore case"},
    "-n": {"type": "boolean", "description": "Show line numbers (content mode; default true)"},
    "-A": {"type": "integer", "minimum": 0, "description": "Lines of context after each match (content mode)"},
    "-B": {"type": "integer", "minimum": 0, "description": "Lines of context before each match (content mode)"},
    "-C": {"type": "integer", "minimum": 0, "description": "Lines of context before and after each match (content mode)"},
    "head_limit": {"type": "integer", "minimum": 1, "description": "Show only the first N entries (lines, files or counts)"},
    "offset": {"type": "integer", "minimum": 0, "description": "Skip the first N entries (use with head_limit to page)"},
    "multiline": {"type": "boolean", "description": "Let the pattern span lines; . then matches newlines too"}
  },
  "required": ["pattern"],
  "additionalProperties": false
}`)
}

// grepQuery is a validated Grep call.
type grepQuery struct {
	root       string // absolute directory, or the file to search
	isFile     bool
	pattern    string
	ignoreCase bool
	multiline  bool
	globs      []string
	typ        *typeFilter
	mode       string
	before     int
	after      int
	maxCollect int64 // bytes of results gathered before giving up
	// hidden reports files a Read deny rule covers: never searched or
	// shown, in any output mode, so neither content, names nor counts
	// tell anything about them.
	hidden func(abs string) bool
}

// grepFile is one file's result. rel is relative to the query root (the
// file's base name when the root is a file).
type grepFile struct {
	rel   string
	count int
	lines []grepLine
}

type grepLine struct {
	num   int
	text  string
	match bool // false for a context line
}

func (Grep) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in grepInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	q, res, ok := s.grepQuery(in)
	if !ok {
		return res, nil
	}
	var files []grepFile
	var err error
	if s.rgPath != "" {
		files, err = s.grepRG(ctx, q)
		var ee *exec.Error
		switch {
		case errors.As(err, &ee) || errors.Is(err, fs.ErrNotExist):
			files, err = grepGo(ctx, q) // rg went away since the session started
		case errors.Is(err, errTooMuch) && q.hidden != nil:
			// rg searched files the policy hides, whose matches count
			// towards the limit: the Go search never reads them, so
			// "too many" cannot hint at what they hold.
			files, err = grepGo(ctx, q)
		}
	} else {
		files, err = grepGo(ctx, q)
	}
	if ctx.Err() != nil {
		return cancelled(""), ctx.Err()
	}
	if err != nil {
		var pe *problem
		if errors.As(err, &pe) {
			return errorf("%s", pe.msg), nil
		}
		return Result{}, fmt.Errorf("grep: %w", err)
	}
	return Result{Content: formatGrep(q, files, in)}, nil
}

// problem is an error the model can fix, found deep inside a search.
type problem struct{ msg string }

func (p *problem) Error() string { return p.msg }

func (s *Session) grepQuery(in grepInput) (grepQuery, Result, bool) {
	if in.Pattern == "" {
		return grepQuery{}, errorf("pattern is required"), false
	}
	q := grepQuery{pattern: in.Pattern, ignoreCase: in.IgnoreCase, multiline: in.Multiline, mode: in.OutputMode, maxCollect: s.grepMaxCollect, hidden: s.hiddenFilter()}
	switch q.mode {
	case "":
		q.mode = modeFiles
	case modeContent, modeFiles, modeCount:
	default:
		return q, errorf("output_mode %q is not one of content, files_with_matches, count", in.OutputMode), false
	}
	for _, n := range []*int{in.After, in.Before, in.Context, in.HeadLimit, in.Offset} {
		if n != nil && *n < 0 {
			return q, errorf("-A, -B, -C, head_limit and offset cannot be negative"), false
		}
	}
	if in.Context != nil {
		q.before, q.after = *in.Context, *in.Context
	}
	if in.Before != nil {
		q.before = *in.Before
	}
	if in.After != nil {
		q.after = *in.After
	}
	if q.mode != modeContent {
		q.before, q.after = 0, 0
	}
	if _, err := newMatcher(q.pattern, q.ignoreCase, q.multiline); err != nil {
		return q, errorf("%s", err), false
	}
	q.globs = strings.Fields(in.Glob)
	if _, err := newGlobSet(q.globs); err != nil {
		return q, errorf("invalid glob: %s", err), false
	}
	typ, err := newTypeFilter(in.Type)
	if err != nil {
		return q, errorf("%s", err), false
	}
	q.typ = typ
	path := s.WorkDir()
	if in.Path != "" {
		path = s.abs(in.Path)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return q, notFound(path), false
	case err != nil:
		return q, errorf("cannot search %s: %s", path, describeFSError(err)), false
	}
	q.root = path
	q.isFile = !fi.IsDir()
	if q.isHidden(path) {
		// The permission check refuses such a path before the tool runs;
		// the tool does not rely on it.
		return q, Result{Content: "No matches found."}, false
	}
	if q.isFile {
		data, err := os.ReadFile(path)
		if err != nil {
			return q, errorf("cannot search %s: %s", path, describeFSError(err)), false
		}
		if looksBinary(data) {
			return q, errorf("%s is a binary file; Grep searches text files only", path), false
		}
	}
	return q, Result{}, true
}

// isHidden reports whether a Read deny rule covers the file at abs.
func (q grepQuery) isHidden(abs string) bool { return q.hidden != nil && q.hidden(abs) }

// abs returns the absolute path of a result file.
func (q grepQuery) abs(rel string) string {
	if q.isFile {
		return q.root
	}
	return filepath.Join(q.root, filepath.FromSlash(rel))
}

// formatGrep sorts the results and renders them for the model. Both search
// paths end here, so equal results print identically.
func formatGrep(q grepQuery, files []grepFile, in grepInput) string {
	if len(files) == 0 {
		return "No matches found."
	}
	if q.mode == modeFiles {
		sortByMtime(q, files)
	} else {
		slices.SortFunc(files, func(a, b grepFile) int { return strings.Compare(a.rel, b.rel) })
	}
	var entries []string
	total := 0
	switch q.mode {
	case modeFiles:
		for _, f := range files {
			entries = append(entries, q.abs(f.rel))
		}
	case modeCount:
		for _, f := range files {
			entries = append(entries, fmt.Sprintf("%s:%d", q.abs(f.rel), f.count))
			total += f.count
		}
	case modeContent:
		numbers := in.LineNums == nil || *in.LineNums
		sep := q.before > 0 || q.after > 0
		for i, f := range files {
			path := q.abs(f.rel)
			prev := 0
			for j, l := range f.lines {
				if sep && (j > 0 && l.num != prev+1 || j == 0 && i > 0) {
					entries = append(entries, "--")
				}
				prev = l.num
				mark := "-"
				if l.match {
					mark = ":"
				}
				text := cutLine(strings.ToValidUTF8(strings.TrimSuffix(l.text, "\r"), "\uFFFD"), grepMaxLineLen)
				if numbers {
					entries = append(entries, fmt.Sprintf("%s%s%d%s%s", path, mark, l.num, mark, text))
				} else {
					entries = append(entries, path+mark+text)
				}
			}
		}
	}

	all := len(entries)
	off := 0
	if in.Offset != nil {
		off = min(*in.Offset, all)
	}
	entries = entries[off:]
	if in.HeadLimit != nil && *in.HeadLimit > 0 && *in.HeadLimit < len(entries) {
		entries = entries[:*in.HeadLimit]
	}
	var b strings.Builder
	switch q.mode {
	case modeFiles:
		fmt.Fprintf(&b, "Found %d %s\n", len(files), plural(len(files), "file", "files"))
	}
	shown := 0
	for _, e := range entries {
		if b.Len()+len(e) > grepMaxOutput && shown > 0 {
			break
		}
		b.WriteString(e)
		b.WriteByte('\n')
		shown++
	}
	if q.mode == modeCount {
		fmt.Fprintf(&b, "\nFound %d matching %s in %d %s.\n", total, plural(total, "line", "lines"), len(files), plural(len(files), "file", "files"))
	}
	if shown < all-off || off > 0 {
		fmt.Fprintf(&b, "\n(showing entries %d-%d of %d; use offset and head_limit to see others, or narrow the search)\n", off+1, off+shown, all)
	}
	return strings.TrimRight(b.String(), "\n")
}

// sortByMtime orders files newest first, then by path.
func sortByMtime(q grepQuery, files []grepFile) {
	mtime := make(map[string]int64, len(files))
	for _, f := range files {
		if fi, err := os.Stat(q.abs(f.rel)); err == nil {
			mtime[f.rel] = fi.ModTime().UnixNano()
		}
	}
	slices.SortFunc(files, func(a, b grepFile) int {
		if ma, mb := mtime[a.rel], mtime[b.rel]; ma != mb {
			if ma > mb {
				return -1
			}
			return 1
		}
		return strings.Compare(a.rel, b.rel)
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
