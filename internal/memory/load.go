package memory

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/tool"
)

// MaxBytes bounds one memory file, so a runaway file cannot fill the
// context.
const MaxBytes = 64 * 1024

// Block is the text of one memory file as it reaches the model.
type Block struct {
	Path       string // the real path of the file
	ImportedBy string // the file whose @path pulled it in; "" for a memory file
	Text       string // without front matter, trimmed
}

// Options say where a session's memory is.
type Options struct {
	UserMemory  []string // user-level memory files
	ProjectRoot string
	WorkDir     string
	// Home is what ~/ means in an import; "" is the user's home directory.
	Home string
}

// Memory is the memory of one session: what it has sent, and what waits
// until the model touches a file it applies to. It is safe for
// concurrent use (read-only tool calls run together).
type Memory struct {
	o Options

	mu      sync.Mutex
	sent    []fileID        // every file whose text was sent, imports included
	inForce []File          // the same, for /memory: path and kind
	pending []File          // path-scoped rules not yet loaded
	lazy    []File          // every path-scoped rule, for Forget
	atStart int             // len(sent) after Load: what the system prompt holds
	dirs    map[string]bool // directories below WorkDir already looked at
	noticed map[string]bool
	notices []string
}

// Load finds the session's memory files and reads those that load at the
// start: everything but path-scoped rules and subdirectory files. The
// blocks are in reading order (user, root ... working directory, rules),
// each file followed by what it imports. Problems (a missing import, a
// cycle, a bad rule) are notices, never errors: memory is advice.
func Load(o Options) (*Memory, []Block) {
	if o.Home == "" {
		o.Home, _ = os.UserHomeDir()
	}
	m := &Memory{o: o, dirs: map[string]bool{}, noticed: map[string]bool{}}
	var out []Block
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range Discover(o.UserMemory, o.ProjectRoot, o.WorkDir) {
		switch {
		case f.DuplicateOf != "":
		case f.Err != nil:
			m.notice(fmt.Sprintf("memory rule not loaded: %v", f.Err))
		case f.Lazy():
			m.pending = append(m.pending, f)
			m.lazy = append(m.lazy, f)
		default:
			out = append(out, m.read(f.Path, f.Kind, "", nil)...)
		}
	}
	m.atStart = len(m.sent)
	return m, out
}

// Forget is called when the conversation is compacted: what was loaded
// during it went with the summarised messages, so it loads again the next
// time the model touches its files. The system prompt's memory stays.
func (m *Memory) Forget() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent, m.inForce = m.sent[:m.atStart], m.inForce[:m.atStart]
	m.dirs = map[string]bool{}
	m.pending = slices.DeleteFunc(slices.Clone(m.lazy), func(r File) bool { return m.isSent(r.Path) })
}

// Touch is called when the model reads or changes path. It returns the
// memory that applies there and was not sent yet: the memory files of
// each directory between the working directory and path's directory, and
// the rules whose globs match path.
func (m *Memory) Touch(path string) []Block {
	if m == nil || path == "" {
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(m.o.WorkDir, path)
	}
	path = filepath.Clean(path)
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Block
	if within(m.o.WorkDir, path) {
		var below []string
		for d := filepath.Dir(path); d != m.o.WorkDir && within(m.o.WorkDir, d); d = filepath.Dir(d) {
			below = append([]string{d}, below...)
		}
		for _, d := range below {
			if m.dirs[d] {
				continue
			}
			m.dirs[d] = true
			for _, name := range Names {
				out = append(out, m.read(filepath.Join(d, name), KindNested, "", nil)...)
			}
		}
	}
	kept := m.pending[:0]
	for _, r := range m.pending {
		if matches(r, path) {
			out = append(out, m.read(r.Path, KindRule, "", nil)...)
		} else {
			kept = append(kept, r)
		}
	}
	// A pending rule that another file imported has been sent already.
	m.pending = slices.DeleteFunc(kept, func(r File) bool { return m.isSent(r.Path) })
	return out
}

func (m *Memory) isSent(path string) bool {
	info, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, s := range m.sent {
		if os.SameFile(s.info, info) {
			return true
		}
	}
	return false
}

// InForce are the memory files sent to the model so far, in the order
// they were read: those of the start, their imports, and those loaded as
// the model touched files.
func (m *Memory) InForce() []File {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]File(nil), m.inForce...)
}

// Pending are the path-scoped rules not loaded yet.
func (m *Memory) Pending() []File {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]File(nil), m.pending...)
}

// Notices returns the problems found since the last call, each once.
func (m *Memory) Notices() []string {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.notices
	m.notices = nil
	return n
}

func matches(r File, path string) bool {
	if !within(r.Base, path) {
		return false
	}
	rel, err := filepath.Rel(r.Base, path)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range r.Paths {
		if match, err := tool.MatchGlob(strings.TrimPrefix(g, "./")); err == nil && match(rel) {
			return true
		}
	}
	return false
}

func (m *Memory) notice(s string) {
	if !m.noticed[s] {
		m.noticed[s] = true
		m.notices = append(m.notices, s)
	}
}

// read returns the blocks of path and of what it imports, depth first,
// skipping files already sent. stack are the files importing this one
// (for cycles); importedBy is the last of them.
func (m *Memory) read(path string, kind Kind, importedBy string, stack []fileID) []Block {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() || m.isSent(path) {
		return nil // absent, or read once already (a symlink, imported twice)
	}
	real := realPath(path)
	m.sent = append(m.sent, fileID{real, info})
	m.inForce = append(m.inForce, File{Path: path, RealPath: real, Kind: kind})
	b, err := os.ReadFile(real)
	if err != nil {
		m.notice(fmt.Sprintf("memory file %s not read: %v", path, err))
		return nil
	}
	truncated := len(b) > MaxBytes
	if truncated {
		b = b[:MaxBytes]
	}
	// Only a rule (even one imported by another) has front matter:
	// elsewhere a leading --- is a rule line of the Markdown, and the
	// text after it is instructions.
	body, fmLines := string(b), 0
	if kind == KindRule || strings.Contains(filepath.ToSlash(path), "/.claude/rules/") {
		// A malformed block was reported by Discover, and not loaded.
		_, body, fmLines, _ = splitFrontMatter(body)
	}
	var out []Block
	text := strings.TrimSpace(body)
	if truncated {
		text += "\n[truncated]"
	}
	if strings.TrimSpace(body) != "" {
		out = append(out, Block{Path: real, ImportedBy: importedBy, Text: text})
	}
	stack = append(stack, fileID{path, info})
	for _, ref := range findImports(body) {
		line := ref.line + fmLines
		target, ok := m.resolve(path, ref.path)
		if !ok {
			m.notice(fmt.Sprintf("%s:%d: import @%s: no such file", path, line, trimPunctuation(ref.path)))
			continue
		}
		if cyc := cycle(stack, target); cyc {
			m.notice(fmt.Sprintf("%s:%d: import @%s: a cycle (it imports this file back); not read again", path, line, ref.path))
			continue
		}
		if len(stack) > MaxImportDepth {
			m.notice(fmt.Sprintf("%s:%d: import @%s: more than %d imports deep; not read", path, line, ref.path, MaxImportDepth))
			continue
		}
		out = append(out, m.read(target, KindImport, real, stack)...)
	}
	return out
}

// resolve turns an import into a file path: ~/ is the home directory, a
// relative path is relative to the importing file's directory. When the
// path as written does not exist, it is tried without the punctuation
// that ends a sentence.
func (m *Memory) resolve(from, ref string) (string, bool) {
	for _, p := range []string{ref, trimPunctuation(ref)} {
		if p == "" {
			continue
		}
		switch {
		case p == "~" || strings.HasPrefix(p, "~/"):
			if m.o.Home == "" {
				continue
			}
			p = filepath.Join(m.o.Home, strings.TrimPrefix(p, "~"))
		case !filepath.IsAbs(p):
			p = filepath.Join(filepath.Dir(from), p)
		}
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

func cycle(stack []fileID, target string) bool {
	info, err := os.Stat(target)
	if err != nil {
		return false
	}
	for _, s := range stack {
		if os.SameFile(s.info, info) {
			return true
		}
	}
	return false
}

// Format renders blocks as they go to the model, one section a file.
func Format(blocks []Block) string {
	var b strings.Builder
	for _, m := range blocks {
		if m.ImportedBy != "" {
			fmt.Fprintf(&b, "\nInstructions from %s (imported by %s):\n%s\n", m.Path, m.ImportedBy, m.Text)
		} else {
			fmt.Fprintf(&b, "\nInstructions from %s:\n%s\n", m.Path, m.Text)
		}
	}
	return b.String()
}

// Reminder wraps blocks loaded during the conversation for a tool
// result: a system reminder, so the model reads it as instructions that
// now apply, not as the file's content.
func Reminder(blocks []Block) string {
	if len(blocks) == 0 {
		return ""
	}
	return "<system-reminder>\nInstructions that apply to the files here (follow them as you would the memory files in the system prompt):" +
		strings.TrimRight(Format(blocks), "\n") + "\n</system-reminder>"
}
