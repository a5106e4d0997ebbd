package permission

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/config"
)

// Decision is the verdict on one tool call.
type Decision struct {
	Behavior Behavior
	// Reason says why, in words the model and the user can act on. It is
	// set for every ask and deny, and briefly for allows (for logs).
	Reason string
	// Rule is the rule that decided: the deny, ask or allow rule that
	// matched. For an ask that a new rule could turn into an allow, it is
	// that rule (Suggestions[0]); in headless mode it survives the
	// conversion to deny so the message can name it. Zero when the mode or
	// the workspace decided.
	Rule config.Rule
	// Suggestions are, for an ask, the rules that added together would
	// allow this call next time ("yes, and don't ask again"). Empty when no
	// rule can: an ask rule forced the question, or the command cannot be
	// checked part by part.
	Suggestions []config.Rule
	// Source is [SourceSandbox] when the OS sandbox is why the call needs
	// no question (sandbox.go); empty when rules or the mode decided.
	Source string
}

// Request is one tool call to decide.
type Request struct {
	// Tool is the tool's name: "Bash", "Read", "Edit", "Write", "MultiEdit",
	// "Grep", "Glob", "LS", "TodoWrite", "BashOutput", "KillBash", …
	Tool string
	// Input is the tool_use input as the model sent it; the checker reads
	// file_path, path, pattern and command from it.
	Input json.RawMessage
	// WorkDir is the session's current directory, against which relative
	// paths resolve (a Bash cd persists, so it may differ from the project
	// root). Empty means the project root.
	WorkDir string
}

// Options configure a [Checker].
type Options struct {
	Mode             Mode
	Allow, Ask, Deny []config.Rule
	// ProjectRoot is the directory relative rules and "inside the project"
	// refer to. Required.
	ProjectRoot string
	// AdditionalDirs are further workspace directories (permissions.
	// additionalDirectories, --add-dir); relative ones are read against
	// ProjectRoot.
	AdditionalDirs []string
	// Home is the user's home directory, for ~/ in rules and paths.
	Home string
	// ConfigHome is $XDG_CONFIG_HOME when set; writes below its basalt,
	// git, fish, … directories are protected like those below ~/.config.
	ConfigHome string
	// StateDir is basalt's state directory (where trusted folders are
	// recorded); writes below it are protected.
	StateDir string
	// Headless turns every ask into a deny whose reason tells the model
	// how the call could be allowed, or to choose another approach.
	Headless bool
	// DisableBypass refuses bypassPermissions, as Mode and through
	// [Checker.SetMode] (permissions.disableBypassPermissionsMode).
	DisableBypass bool
}

// Checker decides tool calls. It is safe for concurrent use: the UI may
// switch modes or add rules while the agent loop decides.
type Checker struct {
	projectRoot string
	home        string
	configHome  string // "" when unset
	stateDir    string // "" when unknown
	headless    bool
	noBypass    bool
	ws          workspace
	problems    []error // rules kept in a weaker form, see Problems

	mu    sync.RWMutex
	mode  Mode
	rules ruleSet
	// readOnlyTool says which tools outside the built-in ones only
	// observe (MCP tools with readOnlyHint): mcptool.go.
	readOnlyTool func(string) bool
	// sandbox is how Bash commands run (sandbox.go); nil: directly.
	sandbox *sandboxState
}

// New compiles the rules (Bash specifiers, path patterns) and checks the
// mode and the project root, reporting every problem at once. A rule it
// cannot compile as written is not a problem: it is kept in the weaker
// form [Checker.Problems] describes (an allow rule allows only its exact
// text or nothing, a deny or ask rule refuses every command containing its
// words), as the configuration layer has already warned, naming its file
// and line. So a configuration that config show accepts always starts.
func New(opts Options) (*Checker, error) {
	var errs []error
	mode, err := ParseMode(string(opts.Mode))
	if err != nil {
		errs = append(errs, err)
	}
	if mode == ModeBypass && opts.DisableBypass {
		errs = append(errs, errBypassDisabled)
	}
	root := opts.ProjectRoot
	if root == "" {
		errs = append(errs, errors.New("permission checker: no project root"))
	} else if root, err = filepath.Abs(root); err != nil {
		errs = append(errs, fmt.Errorf("project root: %w", err))
	}
	home := opts.Home
	if home != "" {
		home = filepath.Clean(home)
	}
	c := &Checker{projectRoot: root, home: home, headless: opts.Headless, noBypass: opts.DisableBypass, mode: mode}
	if opts.ConfigHome != "" && filepath.IsAbs(opts.ConfigHome) {
		c.configHome = filepath.Clean(opts.ConfigHome)
	}
	if opts.StateDir != "" && filepath.IsAbs(opts.StateDir) {
		c.stateDir = filepath.Clean(opts.StateDir)
	}
	c.ws.roots = append(c.ws.roots, newRoot(root))
	for _, d := range opts.AdditionalDirs {
		if home != "" && (d == "~" || strings.HasPrefix(d, "~/")) {
			d = home + d[1:]
		}
		if !filepath.IsAbs(d) {
			d = filepath.Join(root, d)
		}
		c.ws.roots = append(c.ws.roots, newRoot(d))
	}
	for _, kind := range []Behavior{Deny, Ask, Allow} {
		src := opts.Allow
		switch kind {
		case Deny:
			src = opts.Deny
		case Ask:
			src = opts.Ask
		}
		for _, r := range src {
			cr, err := compileRule(kind, r, home, root)
			if err != nil {
				c.problems = append(c.problems, err)
			}
			l := c.rules.list(kind)
			*l = append(*l, cr)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// errBypassDisabled is the refusal of bypassPermissions under
// permissions.disableBypassPermissionsMode.
var errBypassDisabled = errors.New("permission mode bypassPermissions is disabled by permissions.disableBypassPermissionsMode")

// Problems lists the rules the checker keeps in a weaker form than
// written, each naming the rule, its place and why.
func (c *Checker) Problems() []error { return c.problems }

// Mode returns the current mode.
func (c *Checker) Mode() Mode {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.mode
}

// SetMode switches the mode for the calls decided from now on.
func (c *Checker) SetMode(m Mode) error {
	m, err := ParseMode(string(m))
	if err != nil {
		return err
	}
	if m == ModeBypass && c.noBypass {
		return errBypassDisabled
	}
	c.mu.Lock()
	c.mode = m
	c.mu.Unlock()
	return nil
}

// AddRule adds a rule for the rest of the session, typically a suggestion
// the user accepted ("yes, and don't ask again"). Unlike [New] it refuses
// a rule it cannot compile as written, so that a user typing one learns at
// once. Persisting it to a settings file is the caller's business.
func (c *Checker) AddRule(kind Behavior, r config.Rule) error {
	switch kind {
	case Allow, Ask, Deny:
	default:
		return fmt.Errorf("add rule %s: unknown kind %q", r, kind)
	}
	cr, err := compileRule(kind, r, c.home, c.projectRoot)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rs := c.rules.clone()
	l := rs.list(kind)
	*l = append(*l, cr)
	c.rules = rs
	return nil
}

// RemoveRule removes a rule for the rest of the session, as the user
// removes it from a settings file (/permissions remove). A rule matches
// r when its tool and specifier are r's; when r names a source (its
// Source.Kind is set), only rules from that source (kind and file) match.
// Every match is removed. It is an error, naming the rule, when none
// matches, and when a match comes from the managed policy file, which
// users cannot override: then nothing is removed. Persisting the change
// is the caller's business. It is safe for concurrent use: a decision
// already started keeps the rules it began with.
func (c *Checker) RemoveRule(kind Behavior, r config.Rule) error {
	switch kind {
	case Allow, Ask, Deny:
	default:
		return fmt.Errorf("remove rule %s: unknown kind %q", r, kind)
	}
	same := func(have config.Rule) bool {
		if have.Tool != r.Tool || have.HasSpec != r.HasSpec || have.Specifier != r.Specifier {
			return false
		}
		return r.Source.Kind == "" || have.Source.Kind == r.Source.Kind && have.Source.Name == r.Source.Name
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var keep []rule
	found := false
	for _, have := range *c.rules.list(kind) {
		if !same(have.cfg) {
			keep = append(keep, have)
			continue
		}
		if have.cfg.Source.Kind == config.SourceManaged {
			return fmt.Errorf("remove %s rule %s: it comes from the managed policy (%s), which only an administrator can change", kind, r, have.cfg.Source)
		}
		found = true
	}
	if !found {
		return fmt.Errorf("remove %s rule %s: no such rule in this session", kind, r)
	}
	rs := c.rules.clone()
	*rs.list(kind) = keep
	c.rules = rs
	return nil
}

// eval is one decision's view of the checker: the mode and rules as they
// were when it started.
type eval struct {
	c       *Checker
	mode    Mode
	rules   ruleSet
	workDir string
	sandbox *sandboxState

	// lineAllow is the allow rule whose exact text is the Bash command
	// being decided, if any (see wholeAllow).
	lineAllow *rule

	// pdirs memoizes protectedDirs for the decision.
	pdirs     []protectedDir
	pdirsDone bool
}

// Decide decides one tool call. It never runs anything; it reads the
// filesystem only to resolve symlinks and expand globs.
func (c *Checker) Decide(req Request) Decision {
	c.mu.RLock()
	e := &eval{c: c, mode: c.mode, rules: c.rules, sandbox: c.sandbox}
	c.mu.RUnlock()
	e.workDir = req.WorkDir
	if e.workDir == "" {
		e.workDir = c.projectRoot
	} else if !filepath.IsAbs(e.workDir) {
		e.workDir = filepath.Join(c.projectRoot, e.workDir)
	}
	subject, o := e.decide(req)
	source := ""
	if req.Tool == "Bash" {
		o, source = e.sandboxed(req.Input, o)
	}
	d := Decision{Behavior: o.behavior, Reason: o.reason, Rule: o.rule, Suggestions: o.suggest, Source: source}
	if d.Behavior == Ask && len(d.Suggestions) > 0 {
		d.Rule = d.Suggestions[0]
	}
	switch {
	case d.Behavior == Ask && c.headless:
		d = headlessDeny(d, req.Tool, subject, o, "in this non-interactive run")
	case d.Behavior == Ask && e.mode == ModeDontAsk:
		d = headlessDeny(d, req.Tool, subject, o, "in dontAsk mode, which refuses whatever would ask")
	}
	return d
}

// input holds the fields of the tool inputs the checker reads.
type input struct {
	FilePath *string `json:"file_path"`
	// NotebookPath is NotebookEdit's file: an edit like Edit's, under
	// the same Edit(path) rules, as Claude Code applies them.
	NotebookPath *string `json:"notebook_path"`
	Path         *string `json:"path"`
	Pattern      *string `json:"pattern"`
	Command      *string `json:"command"`
}

// decide returns the outcome and a short description of what the call
// does, for messages ("run `go test`", "edit /x/y").
func (e *eval) decide(req Request) (subject, outcome) {
	switch req.Tool {
	case "Skill":
		return e.skill(req.Input) // skill.go
	case WebFetch:
		return e.webFetch(req.Input) // webfetch.go
	}
	if req.Tool == AgentTool || req.Tool == AgentToolLegacy {
		return e.agent(req.Input) // agent.go
	}
	var in input
	if len(req.Input) > 0 {
		if err := json.Unmarshal(req.Input, &in); err != nil {
			return subject{verb: "use " + req.Tool}, denyf("the %s input is not valid JSON: %v", req.Tool, err)
		}
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	switch req.Tool {
	case "Bash":
		cmd := str(in.Command)
		s := subject{verb: "run", object: "`" + oneLine(cmd) + "`"}
		if strings.TrimSpace(cmd) == "" {
			return s, denyf("the Bash call has no command")
		}
		return s, e.bash(cmd)
	case "Read", "Edit", "Write", "MultiEdit", "NotebookEdit":
		p := str(in.FilePath)
		if req.Tool == "NotebookEdit" {
			p = str(in.NotebookPath)
		}
		verb := "edit"
		if req.Tool == "Read" {
			verb = "read"
		}
		if p == "" {
			field := "file_path"
			if req.Tool == "NotebookEdit" {
				field = "notebook_path"
			}
			return subject{verb: verb}, denyf("the %s call has no %s", req.Tool, field)
		}
		rp := resolvePath(p, e.workDir, e.c.home)
		return subject{verb: verb, object: rp.forms[0]}, e.file(req.Tool, rp)
	case "Grep", "Glob", "LS":
		p := str(in.Path)
		if p == "" {
			p = e.workDir
		}
		rp := resolvePath(p, e.workDir, e.c.home)
		s := subject{verb: "search", object: rp.forms[0]}
		o := e.file(req.Tool, rp)
		if req.Tool == "Glob" {
			if base := globBase(str(in.Pattern)); base != "" {
				o = worst(o, e.file(req.Tool, resolvePath(base, rp.forms[0], e.c.home)))
			}
		}
		return s, o
	case ExitPlanMode:
		return subject{verb: "leave plan mode"}, e.exitPlan(req.Input)
	case "TodoWrite", "BashOutput", "KillBash", "ToolSearch":
		// Session bookkeeping: no path, no command, nothing outside the
		// session's own state (ToolSearch only reads the definitions of
		// tools already offered; calling one is checked as usual).
		return subject{verb: "use " + req.Tool}, e.plainTool(req.Tool, true)
	}
	if s, ok := mcpSubject(req.Tool); ok {
		return s, e.plainTool(req.Tool, false)
	}
	return subject{verb: "use " + req.Tool}, e.plainTool(req.Tool, false)
}

// subject describes a call in messages.
type subject struct {
	verb, object string
}

func (s subject) String() string {
	if s.object == "" {
		return s.verb
	}
	return s.verb + " " + s.object
}

// globBase is the directory part of a Glob pattern before its first
// metacharacter: "../../**/*.key" searches from "../..".
func globBase(pattern string) string {
	if pattern == "" {
		return ""
	}
	parts := strings.Split(filepath.ToSlash(pattern), "/")
	var base []string
	for _, p := range parts[:len(parts)-1] {
		if hasGlobMeta(p) {
			break
		}
		base = append(base, p)
	}
	b := strings.Join(base, "/")
	if strings.HasPrefix(pattern, "/") && b == "" {
		return "/"
	}
	return b
}

// plainTool decides a tool without a path or command: session tools are
// allowed unless a rule says otherwise; unknown tools need a rule.
func (e *eval) plainTool(tool string, session bool) outcome {
	for _, r := range e.rules.deny {
		if r.bareFor(tool) || r.tool.Matches(tool) && r.opaque {
			return denyRule(r, fmt.Sprintf("%s is denied by rule %s", tool, ruleWhere(r)))
		}
	}
	if !session && e.mode == ModePlan && !e.readOnly(tool) {
		return planDeny("use " + tool)
	}
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if r.bareFor(tool) || r.tool.Matches(tool) && r.opaque {
				return askRule(r, fmt.Sprintf("rule %s asks before every %s call", ruleWhere(r), tool))
			}
		}
	}
	if session {
		return allowf("%s only touches the session's own state", tool)
	}
	if e.mode == ModeBypass {
		return allowf("bypassPermissions mode")
	}
	for _, r := range e.rules.allow {
		if r.bareFor(tool) {
			return allowRule(r)
		}
	}
	if s, ok := mcpSubject(tool); ok {
		return askSuggest(fmt.Sprintf("%s needs your approval", s.object), config.Rule{Tool: tool})
	}
	return askSuggest(fmt.Sprintf("%s is not a tool basalt knows; it needs your approval", tool), config.Rule{Tool: tool})
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
