package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
)

//go:embed ls.md
var lsDescription string

// lsMaxEntries is the most entries one LS result shows.
const lsMaxEntries = 1000

// LS lists a directory tree.
type LS struct{}

type lsInput struct {
	Path   string   `json:"path"`
	Ignore []string `json:"ignore,omitempty"`
}

func (LS) Name() string        { return "LS" }
func (LS) Description() string { return lsDescription }
func (LS) ReadOnly() bool      { return true }
func (LS) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "path": {"type": "string", "description": "Absolute path of the directory to list"},
    "ignore": {"type": "array", "items": {"type": "string"}, "description": "Glob patterns of entries to leave out"}
  },
  "required": ["path"],
  "additionalProperties": false
}`)
}

// lsNode is a directory entry in the listing.
type lsNode struct {
	name     string
	dir      bool
	children []*lsNode
	listed   bool // the directory's entries were read
}

func (LS) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in lsInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	root := s.WorkDir()
	if in.Path != "" {
		root = s.abs(in.Path)
	}
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return notFound(root), nil
	case err != nil:
		return errorf("cannot list %s: %s", root, describeFSError(err)), nil
	case !fi.IsDir():
		return errorf("%s is a file, not a directory. Use Read to see its content.", root), nil
	}
	hidden := s.hiddenFilter()
	if hidden != nil && hidden(root) {
		return errorf("%s is covered by a Read deny rule, so it cannot be listed", root), nil
	}
	var ignore []*pathGlob
	for _, p := range in.Ignore {
		p = strings.TrimSuffix(p, "/")
		g, err := compileGlob(p, !strings.Contains(p, "/"))
		if err != nil {
			return errorf("invalid ignore pattern: %s", err), nil
		}
		ignore = append(ignore, g)
	}

	// Breadth first, so a capped listing still shows every shallow entry.
	top := &lsNode{name: root, dir: true}
	type item struct {
		node *lsNode
		job  dirJob
	}
	queue := []item{{top, dirJob{abs: root, ign: ignoreChain(root)}}}
	count, capped := 0, false
	for len(queue) > 0 && !capped {
		if err := ctx.Err(); err != nil {
			return cancelled(""), err
		}
		it := queue[0]
		queue = queue[1:]
		entries, err := os.ReadDir(it.job.abs)
		if err != nil {
			continue
		}
		it.node.listed = true
		ign := childIgnore(it.job, entries)
		for _, e := range entries {
			we, isDir, ok := admit(walkOptions{hidden: hidden}, it.job, ign, e)
			if !ok || slices.ContainsFunc(ignore, func(g *pathGlob) bool { return g.match(we.rel) }) {
				continue
			}
			if count == lsMaxEntries {
				capped = true
				break
			}
			count++
			n := &lsNode{name: e.Name(), dir: isDir}
			it.node.children = append(it.node.children, n)
			if isDir {
				queue = append(queue, item{n, dirJob{abs: we.abs, rel: we.rel, ign: ign}})
			}
		}
	}
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(root, "/") + "/\n")
	writeTree(&b, top, 1)
	if count == 0 {
		b.WriteString("  (empty)\n")
	}
	if capped {
		fmt.Fprintf(&b, "(listing stopped at %d entries; directories marked … were not listed. List a subdirectory, or use Glob or Grep.)\n", lsMaxEntries)
	}
	return Result{Content: strings.TrimRight(b.String(), "\n")}, nil
}

func writeTree(b *strings.Builder, n *lsNode, depth int) {
	for _, c := range n.children {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(c.name)
		if c.dir {
			b.WriteByte('/')
			if !c.listed {
				b.WriteString(" …")
			}
		}
		b.WriteByte('\n')
		if c.dir {
			writeTree(b, c, depth+1)
		}
	}
}
