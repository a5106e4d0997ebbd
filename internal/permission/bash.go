package permission

import (
	"fmt"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Limits that keep a hostile command from making the scan itself expensive.
const (
	maxNesting  = 8    // eval/sh -c strings inside each other
	maxCommands = 256  // simple commands in one call
	maxWords    = 4096 // words and redirections in one call; each may name a path looked up on disk
	maxDepth    = 64   // statements nested inside each other ($(…), (…), if, …)
	maxCwds     = 8    // directories a command may run in after cds; beyond, the directory is unknown
)

// simpleCmd is one simple command of a command line, with what the scan
// learned about it.
type simpleCmd struct {
	words []word
	src   string
	// assigns are the NAME=value prefixes, as static text ("?" for one
	// known only at run time), for allow rules that name them.
	assigns []string

	// The working directories the command may run in: the call's, plus
	// every literal cd target seen before it (a cd may or may not have run,
	// so both are kept). cwdUnknown: a cd went somewhere the scan cannot
	// follow.
	cwds       []string
	cwdUnknown bool

	// denyForms are checked against deny and ask rules: the command itself,
	// the command inside each wrapper (nohup rm, sudo rm, xargs rm, find
	// -exec rm), and the basename of a command given by path (/bin/rm).
	denyForms [][]word
	// allowForm is what allow rules see: the command inside the wrappers
	// that change nothing about it (timeout, nohup, nice, stdbuf, command,
	// env with harmless variables). Nil when no specific rule may allow it.
	allowForm []word
	// wrapped: allowForm starts with a wrapper that changes how the inner
	// command runs (sudo, env PATH=…); a rule must name more than the
	// wrapper to allow it.
	wrapped bool
	// opaque says why no rule short of a bare "Bash" may allow the command:
	// it runs code the scan cannot see or changes how later text runs.
	opaque string
	// changesPaths: the command may create or move links (ln, cp, git
	// checkout), so paths in the rest of the command line are not decided
	// statically; its own are checked as they are now.
	changesPaths bool
	// hidden: the command runs text that is not in the command line at all
	// ($CMD, eval "$X", curl … | sh). Any Bash deny or ask rule might
	// match it.
	hidden bool
}

// redirect is a redirection to or from a file.
type redirect struct {
	write      bool
	target     word
	src        string
	cwds       []string
	cwdUnknown bool
}

// shellScan walks a parsed command line and collects every simple command
// and file redirection, including those inside substitutions, subshells,
// functions, eval strings and sh -c strings.
type shellScan struct {
	home       string
	cmds       []*simpleCmd
	redirs     []redirect
	opaque     []string // constructs outside simple commands that no specific rule may allow: function definitions, …
	hiddenCode []string // constructs that can run code stored in a variable: arithmetic on variables, ${!x}, …
	hiddenText []string // text that will run but could not be parsed
	cwds       []string
	cwdUnknown bool
	depth      int  // eval/sh -c strings being scanned inside each other
	nest       int  // statements being walked inside each other
	words      int  // words and redirections seen so far
	truncated  bool // maxCommands or maxWords was reached
	tooDeep    bool // maxDepth was reached

	// The last simple command, when it was a cd with a static target, and
	// where it leads.
	lastCdCall *syntax.CallExpr
	lastCd     []string

	// pathsUnknown: something in the command changes how paths resolve
	// (HOME=…, CDPATH=…, a link made by ln or cp), so its paths cannot be
	// decided statically.
	pathsUnknown bool
}

func newParser() *syntax.Parser {
	return syntax.NewParser(syntax.Variant(syntax.LangBash))
}

// scanCommand parses and walks one Bash tool command. A parse error, or
// text that bash may read differently from the parser (see [lexCheck]), is
// returned as an error: the caller asks rather than guessing.
func scanCommand(src, workDir, home string) (*shellScan, error) {
	f, err := parseChecked(src)
	if err != nil {
		return nil, err
	}
	s := &shellScan{home: home, cwds: []string{workDir}}
	s.walkStmts(f.Stmts)
	if s.tooDeep {
		s.hiddenText = append(s.hiddenText, fmt.Sprintf("statements nested more than %d deep", maxDepth))
	}
	return s, nil
}

// parseChecked parses text that bash will run, refusing text that bash may
// read differently before and after parsing.
func parseChecked(src string) (*syntax.File, error) {
	if err := lexCheck(src); err != nil {
		return nil, err
	}
	f, err := newParser().Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, err
	}
	if err := heredocCheck(src, f); err != nil {
		return nil, err
	}
	return f, nil
}

func (s *shellScan) addOpaque(format string, args ...any) {
	s.opaque = append(s.opaque, fmt.Sprintf(format, args...))
}

// addHidden notes a construct that may run code the command line does not
// show, so that any Bash deny rule makes it ask.
func (s *shellScan) addHidden(format string, args ...any) {
	s.hiddenCode = append(s.hiddenCode, fmt.Sprintf(format, args...))
}

// walkString scans text that another command will run as shell code (eval,
// sh -c, trap, watch). Whatever cannot be parsed is hidden.
func (s *shellScan) walkString(text string) {
	if s.depth >= maxNesting {
		s.hiddenText = append(s.hiddenText, text)
		return
	}
	f, err := parseChecked(text)
	if err != nil {
		s.hiddenText = append(s.hiddenText, text)
		return
	}
	s.depth++
	s.walkStmts(f.Stmts)
	s.depth--
}

func (s *shellScan) walkStmts(stmts []*syntax.Stmt) {
	for _, st := range stmts {
		s.walkStmt(st)
	}
}

func (s *shellScan) walkStmt(st *syntax.Stmt) {
	if st == nil || s.tooDeep {
		return
	}
	// Each level re-reads the words inside it, so unbounded nesting would
	// make the scan quadratic in the command's length.
	if s.nest >= maxDepth {
		s.tooDeep = true
		return
	}
	s.nest++
	defer func() { s.nest-- }()
	s.walkCmd(st.Cmd)
	for _, r := range st.Redirs {
		s.walkRedirect(r)
	}
}

func (s *shellScan) walkCmd(cmd syntax.Command) {
	switch c := cmd.(type) {
	case nil:
	case *syntax.CallExpr:
		s.walkCall(c)
	case *syntax.BinaryCmd:
		// a && b && c nests in the syntax tree but not in the text.
		s.nest--
		defer func() { s.nest++ }()
		s.walkStmt(c.X)
		if c.Op == syntax.AndStmt && s.lastCd != nil && c.X.Cmd == syntax.Command(s.lastCdCall) && !c.X.Negated && len(c.X.Redirs) == 0 {
			// In `cd dir && cmd`, cmd runs only if the cd succeeded, so
			// only in dir.
			before := s.cwds
			s.cwds = s.lastCd
			s.walkStmt(c.Y)
			s.cwds = union(before, s.cwds)
			return
		}
		s.walkStmt(c.Y)
	case *syntax.Subshell:
		s.walkStmts(c.Stmts)
	case *syntax.Block:
		s.walkStmts(c.Stmts)
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			s.walkStmts(ic.Cond)
			s.walkStmts(ic.Then)
		}
	case *syntax.WhileClause:
		s.walkStmts(c.Cond)
		s.walkStmts(c.Do)
	case *syntax.ForClause:
		switch l := c.Loop.(type) {
		case *syntax.WordIter:
			s.checkVarName(l.Name.Value)
			for _, w := range l.Items {
				s.scan(w)
			}
		case *syntax.CStyleLoop:
			s.arith(l.Init)
			s.arith(l.Cond)
			s.arith(l.Post)
		}
		s.walkStmts(c.Do)
	case *syntax.CaseClause:
		s.scan(c.Word)
		for _, it := range c.Items {
			for _, p := range it.Patterns {
				s.scan(p)
			}
			s.walkStmts(it.Stmts)
		}
	case *syntax.FuncDecl:
		// The body is still scanned so that deny rules see into it.
		name := "a function"
		if c.Name != nil {
			name = "function " + c.Name.Value
		}
		s.addOpaque("defines %s, which can shadow any command", name)
		s.walkStmt(c.Body)
	case *syntax.ArithmCmd:
		s.arith(c.X)
	case *syntax.TestClause:
		s.test(c.X)
	case *syntax.DeclClause:
		s.decl(c)
	case *syntax.LetClause:
		for _, e := range c.Exprs {
			s.arith(e)
		}
	case *syntax.TimeClause:
		s.walkStmt(c.Stmt)
	case *syntax.CoprocClause:
		if c.Name != nil {
			s.checkVarName(c.Name.Lit())
		}
		s.walkStmt(c.Stmt)
	default:
		s.hiddenText = append(s.hiddenText, fmt.Sprintf("%T", c))
	}
}

func (s *shellScan) walkCall(c *syntax.CallExpr) {
	unsafe := ""
	s.words += len(c.Assigns)
	for _, a := range c.Assigns {
		s.assign(a)
		if a.Name != nil && !safeVarName(a.Name.Value) && unsafe == "" {
			unsafe = a.Name.Value
		}
	}
	if len(c.Args) == 0 {
		// A bare assignment changes the shell itself: PATH=. makes every
		// later command name mean something else.
		if unsafe != "" {
			s.addOpaque("sets %s, which can change what later commands run", unsafe)
		}
		return
	}
	s.words += len(c.Args)
	if len(s.cmds) >= maxCommands || s.words > maxWords {
		s.truncated = true
		return
	}
	words := make([]word, len(c.Args))
	srcs := make([]string, 0, len(c.Assigns)+len(c.Args))
	for _, a := range c.Assigns {
		srcs = append(srcs, printNode(a))
	}
	for i, w := range c.Args {
		words[i] = analyzeWord(w)
		srcs = append(srcs, words[i].src)
	}
	var assigns []string
	for _, a := range c.Assigns {
		t := "?"
		if a.Name != nil && !a.Append && a.Index == nil && a.Array == nil {
			t = a.Name.Value + "="
			if a.Value != nil {
				if w := analyzeWord(a.Value); w.lit() {
					t += w.text
				} else {
					t = "?"
				}
			}
		}
		assigns = append(assigns, t)
	}
	cmd := &simpleCmd{
		assigns:    assigns,
		words:      words,
		src:        strings.Join(srcs, " "),
		cwds:       append([]string(nil), s.cwds...),
		cwdUnknown: s.cwdUnknown,
	}
	// The command itself first, then what its words run when expanded.
	s.cmds = append(s.cmds, cmd)
	for _, w := range c.Args {
		s.scan(w)
	}
	s.classify(cmd)
	if unsafe != "" {
		cmd.allowForm = nil
		if cmd.opaque == "" {
			cmd.opaque = fmt.Sprintf("sets %s for the command, which can change what it runs", unsafe)
		}
	}
	s.lastCd = nil
	if t := s.followCd(words); t != nil {
		s.lastCd, s.lastCdCall = t, c
	}
}

// followCd records where a cd, pushd or popd leaves later commands. It
// returns the directories a cd with a static target leads to.
func (s *shellScan) followCd(ws []word) []string {
	if !ws[0].lit() {
		return nil
	}
	switch ws[0].text {
	case "cd", "pushd":
	case "popd":
		s.cwdUnknown = true
		return nil
	default:
		return nil
	}
	args := ws[1:]
	for len(args) > 0 && args[0].lit() && strings.HasPrefix(args[0].text, "-") && args[0].text != "-" {
		if args[0].text == "--" {
			args = args[1:]
			break
		}
		args = args[1:]
	}
	var target string
	switch {
	case len(args) == 0 && ws[0].text == "cd":
		target = s.home
	case len(args) == 1 && (args[0].lit() || args[0].tilde && !args[0].dynamic && !args[0].glob) && args[0].text != "-":
		target = args[0].text
	}
	if target == "" {
		s.cwdUnknown = true
		return nil
	}
	var targets []string
	for _, d := range s.cwds {
		targets = append(targets, resolvePath(target, d, s.home).forms[0])
	}
	if len(union(s.cwds, targets)) > maxCwds {
		// Every later path would be checked against every directory.
		s.cwdUnknown = true
		return nil
	}
	s.cwds = union(s.cwds, targets)
	return targets
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		dup := false
		for _, y := range out {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

func (s *shellScan) walkRedirect(r *syntax.Redirect) {
	if r.N != nil && strings.HasPrefix(r.N.Value, "{") {
		s.checkVarName(strings.Trim(r.N.Value, "{}"))
	}
	s.words++
	if s.words > maxWords {
		s.truncated = true
		return
	}
	if r.Word != nil {
		s.scan(r.Word)
	}
	if r.Hdoc != nil {
		s.scan(r.Hdoc)
	}
	var write bool
	switch r.Op {
	case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.AppClob,
		syntax.RdrAll, syntax.RdrAllClob, syntax.AppAll, syntax.AppAllClob, syntax.RdrInOut:
		write = true
	case syntax.RdrIn:
	case syntax.DplIn, syntax.DplOut:
		w := analyzeWord(r.Word)
		if w.lit() && (w.text == "-" || isDigits(strings.TrimSuffix(w.text, "-"))) {
			return // duplicating or closing a file descriptor
		}
		// ">& file" writes the file like "&> file".
		write = r.Op == syntax.DplOut
	default:
		return // here-documents and here-strings name no file
	}
	w := analyzeWord(r.Word)
	s.redirs = append(s.redirs, redirect{
		write:      write,
		target:     w,
		src:        redirectSrc(r),
		cwds:       append([]string(nil), s.cwds...),
		cwdUnknown: s.cwdUnknown,
	})
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func redirectSrc(r *syntax.Redirect) string {
	n := ""
	if r.N != nil {
		n = r.N.Value
	}
	return n + r.Op.String() + " " + printWord(r.Word)
}

func printNode(n syntax.Node) string {
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, n); err != nil {
		return "?"
	}
	return b.String()
}

// baseName is the program name of a command word given as a path.
func baseName(s string) string { return filepath.Base(s) }
