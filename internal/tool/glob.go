package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

//go:embed glob.md
var globDescription string

// globMaxResults is the most paths one Glob result lists.
const globMaxResults = 100

// Glob finds files by name pattern, newest first.
type Glob struct{}

type globInput struct {
	Pattern string `json:"pattern"`
	Path    string `json:"path,omitempty"`
}

func (Glob) Name() string        { return "Glob" }
func (Glob) Description() string { return globDescription }
func (Glob) ReadOnly() bool      { return true }
func (Glob) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "pattern": {"type": "string", "description": "Glob to match file paths against, e.g. \"**/*.go\" or \"src/**/*.{ts,tsx}\""},
    "path": {"type": "string", "description": "Directory to search in (default: the current working directory)"}
  },
  "required": ["pattern"],
  "additionalProperties": false
}`)
}

func (Glob) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in globInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if in.Pattern == "" {
		return errorf("pattern is required"), nil
	}
	root := s.WorkDir()
	if in.Path != "" {
		root = s.abs(in.Path)
	}
	pattern := filepath.ToSlash(in.Pattern)
	if filepath.IsAbs(in.Pattern) {
		root, pattern = "/", strings.TrimPrefix(pattern, "/")
	}
	// Move the pattern's literal leading directories into the root, so
	// "internal/tool/*.go" reads one directory, not the whole tree.
	for {
		seg, rest, ok := strings.Cut(pattern, "/")
		if !ok || strings.ContainsAny(seg, `*?[{\`) {
			break
		}
		root, pattern = filepath.Join(root, seg), rest
	}
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return notFound(root), nil
	case err != nil:
		return errorf("cannot search %s: %s", root, describeFSError(err)), nil
	case !fi.IsDir():
		return errorf("%s is not a directory", root), nil
	}
	hidden := s.hiddenFilter()
	if hidden != nil && hidden(root) {
		return Result{Content: "No files found."}, nil
	}
	g, err := compileGlob(pattern, false)
	if err != nil {
		return errorf("invalid pattern: %s", err), nil
	}
	depth := 0
	if !strings.Contains(pattern, "**") {
		depth = strings.Count(pattern, "/") + 1
	}
	type hit struct {
		path  string
		mtime int64
	}
	var mu sync.Mutex
	var hits []hit
	err = walkTree(ctx, walkOptions{root: root, maxDepth: depth, hidden: hidden}, func(_ int, e walkEntry) bool {
		if !g.match(e.rel) {
			return true
		}
		var mt int64
		if info, err := e.entry.Info(); err == nil {
			mt = info.ModTime().UnixNano()
		}
		mu.Lock()
		hits = append(hits, hit{e.abs, mt})
		mu.Unlock()
		return true
	})
	if err != nil {
		return cancelled(""), err
	}
	if len(hits) == 0 {
		return Result{Content: "No files found."}, nil
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.mtime != b.mtime {
			if a.mtime > b.mtime {
				return -1
			}
			return 1
		}
		return strings.Compare(a.path, b.path)
	})
	var b strings.Builder
	for i, h := range hits {
		if i == globMaxResults {
			fmt.Fprintf(&b, "(%d files match; these are the %d most recently modified. Use a narrower pattern or path to see others.)\n", len(hits), globMaxResults)
			break
		}
		b.WriteString(h.path)
		b.WriteByte('\n')
	}
	return Result{Content: strings.TrimRight(b.String(), "\n")}, nil
}
