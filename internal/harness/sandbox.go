package harness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/sandbox"
	"github.com/basalt-dev/basalt/internal/tool"
)

// The session's OS sandbox (internal/sandbox) for Bash: started once when
// the session opens, switched with /sandbox, closed with the session.
// Every conversation's checker learns from it which commands run inside
// (and so need no question under autoAllowBashIfSandboxed), and its tool
// session asks it to wrap them; both ask the checker's SandboxRoute, so
// the question asked and the wall used always agree.

// sandboxRun is the session's sandbox and its switch.
type sandboxRun struct {
	cfg     config.SandboxConfig
	tempDir string // the commands' TMPDIR, writable inside; removed at close

	mu      sync.Mutex
	on      bool // in force for Bash now
	status  sandbox.Status
	probed  bool
	sb      *sandbox.Sandbox // nil until started
	policy  sandbox.Policy   // what sb enforces, or would
	refusal string           // failIfUnavailable and no sandbox: Bash refuses with it
	blocked []sandbox.Blocked
	// probe and start are sandbox.Probe and sandbox.Start; tests replace
	// them.
	probe func(context.Context) sandbox.Status
	start func(context.Context, sandbox.Policy, sandbox.Options) (*sandbox.Sandbox, error)
}

// startSandbox prepares the session's sandbox and, when the settings turn
// it on, starts it. The notice, at most one, says why it is not running
// and what Bash does instead (DESIGN: say so once).
func (s *Session) startSandbox(ctx context.Context) (string, error) {
	r := &sandboxRun{cfg: s.cfg.Sandbox, probe: sandbox.Probe, start: sandbox.Start}
	if s.o.sandboxProbe != nil {
		r.probe, r.start = s.o.sandboxProbe, s.o.sandboxStart
	}
	dir, err := os.MkdirTemp("", "basalt-tmp-")
	if err != nil {
		return "", fmt.Errorf("sandbox: temporary directory: %w", err)
	}
	r.tempDir = dir
	s.sbx = r
	if !r.cfg.Enabled.Value {
		return "", nil
	}
	return r.switchOn(ctx, s.cfg), nil
}

// switchOn starts the sandbox if it is not running and puts it in force.
// It returns why it could not, "" when it is on.
func (r *sandboxRun) switchOn(ctx context.Context, cfg *config.Config) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sb == nil {
		checker, err := newChecker(cfg, false)
		if err != nil {
			return "sandbox not started: " + err.Error()
		}
		var warns []string
		r.policy, warns = sandboxPolicy(cfg, checker, r.tempDir)
		if !r.probed {
			r.status, r.probed = r.probe(ctx), true
		}
		if r.status.Available {
			r.sb, err = r.start(ctx, r.policy, sandbox.Options{OnBlocked: r.noteBlocked})
		} else {
			err = &sandbox.UnavailableError{Status: r.status}
		}
		if err != nil {
			r.on = false
			return r.unavailable(err, warns)
		}
		r.policy = r.sb.Policy()
	}
	r.on, r.refusal = true, ""
	return ""
}

// unavailable records that the sandbox cannot run and says what happens
// instead: Bash refuses under failIfUnavailable, else commands run under
// the permission engine alone.
func (r *sandboxRun) unavailable(err error, warns []string) string {
	why := err.Error()
	var ue *sandbox.UnavailableError
	if errors.As(err, &ue) {
		why = "the sandbox cannot run here: " + ue.Status.Reason
		if ue.Status.Hint != "" {
			why += " (" + ue.Status.Hint + ")"
		}
	}
	msg := why
	if f := r.cfg.FailIfUnavailable; f.Value {
		r.refusal = fmt.Sprintf("Bash is refused: sandbox.failIfUnavailable (%s) requires the sandbox, and %s", f.Source, why)
		msg = r.refusal
	} else {
		msg += "; Bash commands run without it, under the permission rules alone"
	}
	if len(warns) > 0 {
		msg += " (" + strings.Join(warns, "; ") + ")"
	}
	return msg
}

// noteBlocked keeps a refused request for the next notice; it runs on
// the proxy's goroutine.
func (r *sandboxRun) noteBlocked(b sandbox.Blocked) {
	r.mu.Lock()
	r.blocked = append(r.blocked, b)
	r.mu.Unlock()
}

// takeBlocked returns the notices for the requests refused since the
// last call, one per host.
func (r *sandboxRun) takeBlocked() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	bs := r.blocked
	r.blocked = nil
	r.mu.Unlock()
	var out []string
	seen := map[string]bool{}
	for _, b := range bs {
		if seen[b.Host] {
			continue
		}
		seen[b.Host] = true
		out = append(out, fmt.Sprintf("sandbox: refused a connection to %s:%d — %s is not in sandbox.network.allowedDomains; to allow it, add %q there (e.g. in .claude/settings.local.json) and start a new session",
			b.Host, b.Port, b.Host, b.Host))
	}
	return out
}

// permission is what the checker must know about the sandbox now.
func (r *sandboxRun) permission() permission.Sandbox {
	if r == nil {
		return permission.Sandbox{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var excluded []string
	for _, v := range r.cfg.ExcludedCommands {
		excluded = append(excluded, v.Value)
	}
	return permission.Sandbox{
		On: r.on, AutoAllow: r.cfg.AutoAllowBashIfSandboxed.Value, AllowUnsandboxed: r.cfg.AllowUnsandboxedCommands.Value,
		Excluded: excluded, Refusal: r.refusal,
	}
}

func (r *sandboxRun) close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	sb := r.sb
	r.sb, r.on = nil, false
	r.mu.Unlock()
	if sb != nil {
		_ = sb.Close()
	}
	if r.tempDir != "" {
		_ = os.RemoveAll(r.tempDir)
	}
}

// sandboxRunner places one conversation's Bash commands: the checker
// that decided them says where they run.
type sandboxRunner struct {
	run     *sandboxRun
	checker *permission.Checker
}

func (sr sandboxRunner) Prepare(ctx context.Context, req tool.SandboxRequest) (tool.SandboxedCommand, error) {
	switch sr.checker.SandboxRoute(req.Command, req.Unsandboxed, req.Dir) {
	case permission.RouteDirect:
		return tool.SandboxedCommand{}, nil
	case permission.RouteRefused:
		if why := sr.checker.Sandboxing().Refusal; why != "" {
			return tool.SandboxedCommand{Refusal: why}, nil
		}
		return tool.SandboxedCommand{Refusal: "the command may not run outside the sandbox here (sandbox.allowUnsandboxedCommands is false); run it without dangerouslyDisableSandbox"}, nil
	}
	sr.run.mu.Lock()
	sb := sr.run.sb
	sr.run.mu.Unlock()
	if sb == nil {
		return tool.SandboxedCommand{Refusal: "the sandbox stopped; the command was not run"}, nil
	}
	cmd, err := sb.Command(ctx, req.Shell, req.Script, req.Dir, req.Env)
	if err != nil {
		return tool.SandboxedCommand{}, fmt.Errorf("sandbox: %w", err)
	}
	return tool.SandboxedCommand{Cmd: cmd, Explain: sb.Violation}, nil
}

// flushSandboxNotices passes on the network requests the proxy refused,
// so the user sees the host and how to allow it.
func (s *Session) flushSandboxNotices(on func(agent.Event)) {
	for _, n := range s.sbx.takeBlocked() {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}
}

// SandboxView is what /sandbox and the status line show.
type SandboxView struct {
	// Configured: sandbox.enabled is on in the settings.
	Configured bool
	// On: Bash commands run inside the sandbox now.
	On bool
	// Locked: the managed policy sets sandbox.enabled; /sandbox cannot
	// switch it.
	Locked    bool
	AutoAllow bool
	Status    sandbox.Status
	Probed    bool
	// Refusal is set when Bash refuses because the sandbox is required
	// and cannot run.
	Refusal string
	// Description is sandbox.Describe of the policy.
	Description string
	// Marker is the status line's word: "sandbox", "sandbox off", or ""
	// when the sandbox was never asked for.
	Marker string
	// Saved is the settings file /sandbox on|off wrote the choice to.
	Saved string
}

// Sandbox reports the sandbox's state.
func (s *Session) Sandbox() SandboxView {
	r := s.sbx
	if r == nil {
		return SandboxView{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	v := SandboxView{
		Configured: r.cfg.Enabled.Value, On: r.on, Locked: r.cfg.Locked, AutoAllow: r.cfg.AutoAllowBashIfSandboxed.Value,
		Status: r.status, Probed: r.probed, Refusal: r.refusal,
	}
	if r.probed {
		v.Description = sandbox.Describe(r.policy, r.status)
	}
	switch {
	case r.on:
		v.Marker = "sandbox"
	case v.Configured || r.probed:
		v.Marker = "sandbox off"
	}
	return v
}

// SetSandbox switches the sandbox on or off (/sandbox on|off) and, as
// Claude Code's /sandbox does, keeps the choice in the project's local
// settings file (sandbox.enabled, through config.SettingsFile), so the
// next session in this project starts the same way; SandboxView.Saved
// names the file. It is an error, saying why, when the managed policy
// fixes it or the sandbox cannot run here; then nothing is saved.
func (s *Session) SetSandbox(ctx context.Context, on bool) (SandboxView, error) {
	r := s.sbx
	if r == nil {
		return SandboxView{}, errors.New("sandbox: the session has none")
	}
	if r.cfg.Locked && on != r.cfg.Enabled.Value {
		return s.Sandbox(), fmt.Errorf("sandbox.enabled is set by the managed policy (%s); it cannot be switched in a session", r.cfg.Enabled.Source)
	}
	if on {
		if why := r.switchOn(ctx, s.cfg); why != "" {
			s.applySandbox()
			return s.Sandbox(), errors.New(why)
		}
	} else {
		r.mu.Lock()
		r.on, r.refusal = false, ""
		r.mu.Unlock()
	}
	s.applySandbox()
	v := s.Sandbox()
	path, err := s.saveSandboxEnabled(on)
	if err != nil {
		return v, fmt.Errorf("sandbox %s for this session, but not saved: %w", onOff(on), err)
	}
	v.Saved = path
	return v, nil
}

// saveSandboxEnabled writes sandbox.enabled into the local settings file,
// keeping the rest of its sandbox object, and returns the file's path.
func (s *Session) saveSandboxEnabled(on bool) (string, error) {
	path := s.LocalSettings()
	f, err := config.OpenSettings(path)
	if err != nil {
		return "", err
	}
	obj := map[string]any{}
	if _, err := f.Get("sandbox", &obj); err != nil {
		return "", fmt.Errorf("%s: sandbox: %w", path, err)
	}
	if obj == nil {
		obj = map[string]any{}
	}
	obj["enabled"] = on
	if err := f.Set("sandbox", obj); err != nil {
		return "", err
	}
	if err := f.Save(); err != nil {
		return "", err
	}
	return path, nil
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// applySandbox tells the current checker what the sandbox is now.
func (s *Session) applySandbox() {
	s.mu.Lock()
	c := s.checker
	s.mu.Unlock()
	if c != nil {
		// The patterns compiled when the conversation opened.
		_ = c.SetSandbox(s.sbx.permission())
	}
}

// sandboxPolicy turns the settings into the sandbox's policy, the way
// Claude Code derives it: writable are the project, the additional
// directories, the session's temporary directory and
// sandbox.filesystem.allowWrite (plus Edit allow rules that name a
// directory); read-only inside those are the protected places
// (permission.ProtectedPlaces: settings, .mcp.json, .git/hooks,
// .git/config, shell start-up files, …), Edit deny rules and denyWrite;
// unreadable are ~/.ssh, ~/.aws, basalt's credential store, Read deny
// rules and denyRead. The warnings name settings it could not use.
func sandboxPolicy(cfg *config.Config, checker *permission.Checker, tempDir string) (sandbox.Policy, []string) {
	home := cfg.Getenv("HOME")
	var warns []string
	resolve := func(p string) (string, bool) {
		switch {
		case strings.HasPrefix(p, "//"):
			p = p[1:]
		case p == "~" || strings.HasPrefix(p, "~/"):
			if home == "" {
				return "", false
			}
			p = filepath.Join(home, p[1:])
		case !filepath.IsAbs(p):
			p = filepath.Join(cfg.ProjectRoot, p)
		}
		return filepath.Clean(p), true
	}
	var p sandbox.Policy
	addPath := func(dst *[]string, raw string, from string) {
		abs, ok := resolve(raw)
		if !ok {
			warns = append(warns, fmt.Sprintf("%s %q left out: HOME is not set", from, raw))
			return
		}
		if !slices.Contains(*dst, abs) {
			*dst = append(*dst, abs)
		}
	}

	addPath(&p.Writable, cfg.ProjectRoot, "project")
	for _, d := range cfg.Permissions.AdditionalDirectories {
		addPath(&p.Writable, d.Value, "permissions.additionalDirectories")
	}
	if tempDir != "" {
		p.Writable = append(p.Writable, tempDir)
		p.Env = append(p.Env, "TMPDIR="+tempDir)
	}
	for _, v := range cfg.Sandbox.AllowWrite {
		addPath(&p.Writable, v.Value, "sandbox.filesystem.allowWrite")
	}
	for _, r := range cfg.Permissions.Allow {
		if d, ok := ruleDir(r, "Edit", "Write", "MultiEdit"); ok {
			addPath(&p.Writable, d, "Edit allow rule")
		}
	}

	// Read-only places: only those inside a writable directory matter
	// (the rest of the filesystem is read-only already).
	var denyWrite []string
	denyWrite = append(denyWrite, checker.ProtectedPlaces()...)
	for _, v := range cfg.Sandbox.DenyWrite {
		addPath(&denyWrite, v.Value, "sandbox.filesystem.denyWrite")
	}
	for _, r := range cfg.Permissions.Deny {
		if d, ok := rulePath(r, "Edit", "Write", "MultiEdit"); ok {
			addPath(&denyWrite, d, "Edit deny rule")
		}
	}
	for _, d := range denyWrite {
		if insideAny(d, p.Writable) && !slices.Contains(p.DenyWrite, d) {
			p.DenyWrite = append(p.DenyWrite, d)
		}
	}

	if home != "" {
		for _, d := range []string{".ssh", ".aws", ".gnupg"} {
			p.DenyRead = append(p.DenyRead, filepath.Join(home, d))
		}
	}
	if cfg.StateDir != "" {
		// Tokens of MCP servers' OAuth logins and the trust decisions.
		p.DenyRead = append(p.DenyRead, filepath.Clean(cfg.StateDir))
	}
	for _, v := range cfg.Sandbox.DenyRead {
		addPath(&p.DenyRead, v.Value, "sandbox.filesystem.denyRead")
	}
	for _, r := range cfg.Permissions.Deny {
		if d, ok := rulePath(r, "Read"); ok {
			addPath(&p.DenyRead, d, "Read deny rule")
		}
	}
	// allowRead re-opens what lies wholly inside it; a narrower re-opening
	// inside a hidden directory cannot be expressed and is left out.
	for _, v := range cfg.Sandbox.AllowRead {
		abs, ok := resolve(v.Value)
		if !ok {
			continue
		}
		kept := p.DenyRead[:0]
		reopened := false
		for _, d := range p.DenyRead {
			if inside(d, abs) {
				reopened = true
				continue
			}
			kept = append(kept, d)
		}
		p.DenyRead = kept
		if !reopened {
			warns = append(warns, fmt.Sprintf("sandbox.filesystem.allowRead %q (%s) re-opens part of a hidden directory, which basalt's sandbox cannot do; it stays hidden", v.Value, v.Source))
		}
	}

	for _, v := range cfg.Sandbox.AllowedDomains {
		if !slices.Contains(p.AllowedDomains, v.Value) {
			p.AllowedDomains = append(p.AllowedDomains, v.Value)
		}
	}
	for _, r := range cfg.Permissions.Allow {
		// Claude Code's WebFetch(domain:x) allow rules open the sandbox's
		// network too.
		if d, ok := strings.CutPrefix(r.Specifier, "domain:"); ok && r.Tool == "WebFetch" && r.HasSpec && d != "" && !slices.Contains(p.AllowedDomains, d) {
			p.AllowedDomains = append(p.AllowedDomains, d)
		}
	}
	for _, v := range cfg.Sandbox.AllowUnixSockets {
		addPath(&p.AllowUnixSockets, v.Value, "sandbox.network.allowUnixSockets")
	}
	p.AllowAllUnixSockets = cfg.Sandbox.AllowAllUnixSockets.Value
	p.AllowLocalBinding = cfg.Sandbox.AllowLocalBinding.Value
	return p, warns
}

// rulePath is the path a rule for one of tools names, when it is a plain
// path or a directory followed by "/**" (a glob elsewhere cannot be bound
// in the sandbox; the checker still applies it to every call).
func rulePath(r config.Rule, tools ...string) (string, bool) {
	if !r.HasSpec || !slices.Contains(tools, r.Tool) || r.Problem != "" {
		return "", false
	}
	spec := strings.TrimSuffix(r.Specifier, "/**")
	if spec == "" || strings.ContainsAny(spec, "*?[{") {
		return "", false
	}
	if strings.HasPrefix(spec, "/") && !strings.HasPrefix(spec, "//") {
		// A rule's "/x" is relative to the project, "//x" absolute.
		spec = "." + spec
	}
	return spec, true
}

// ruleDir is rulePath for allow rules: only a whole directory ("/**")
// widens the sandbox, never a single file's parent.
func ruleDir(r config.Rule, tools ...string) (string, bool) {
	if !strings.HasSuffix(r.Specifier, "/**") {
		return "", false
	}
	return rulePath(r, tools...)
}

func inside(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

func insideAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if inside(p, d) {
			return true
		}
	}
	return false
}

// SandboxPolicy is the policy a session on cfg would give its sandbox
// (its temporary directory shown by name only), with the settings it
// could not use: doctor prints it.
func SandboxPolicy(cfg *config.Config) (sandbox.Policy, []string, error) {
	checker, err := newChecker(cfg, false)
	if err != nil {
		return sandbox.Policy{}, nil, err
	}
	p, warns := sandboxPolicy(cfg, checker, filepath.Join(os.TempDir(), "basalt-tmp-SESSION"))
	return p, warns, nil
}

// current returns the running sandbox, whether it is in force, and the
// refusal when it is required but cannot run.
func (r *sandboxRun) current() (*sandbox.Sandbox, bool, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sb, r.on, r.refusal
}

// active is the sandbox a wrapped command (a hook's, an MCP server's)
// runs in now: nil while the sandbox is off for the session, and an
// error when it is required and cannot run.
func (r *sandboxRun) active() (*sandbox.Sandbox, error) {
	sb, on, refusal := r.current()
	switch {
	case refusal != "":
		return nil, errors.New(refusal)
	case !on || sb == nil:
		return nil, nil
	}
	return sb, nil
}

// hookWrap runs hooks' commands inside the sandbox when
// sandbox.basaltHooks asks for it; nil otherwise. While the sandbox is
// off for the session they run directly; when it is required and cannot
// run, they fail.
func (r *sandboxRun) hookWrap() func(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error) {
	if r == nil || !r.cfg.BasaltHooks.Value {
		return nil
	}
	return func(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error) {
		sb, err := r.active()
		if sb == nil {
			return nil, err
		}
		if dir == "" {
			dir, _ = os.Getwd()
		}
		return sb.Command(ctx, shell, script, dir, env)
	}
}

// mcpWrap starts MCP stdio servers inside the sandbox when
// sandbox.basaltMcpServers asks for it; nil otherwise. A server lives as
// long as the session, not the request that started it.
func (r *sandboxRun) mcpWrap(ctx context.Context, root string) func(command string, args []string, dir string, env []string) (*exec.Cmd, error) {
	if r == nil || !r.cfg.BasaltMCPServers.Value {
		return nil
	}
	life := context.WithoutCancel(ctx)
	return func(command string, args []string, dir string, env []string) (*exec.Cmd, error) {
		sb, err := r.active()
		if sb == nil {
			return nil, err
		}
		if dir == "" {
			dir = root
		}
		words := []string{"exec", shellWord(command)}
		for _, a := range args {
			words = append(words, shellWord(a))
		}
		return sb.Command(life, "/bin/sh", strings.Join(words, " "), dir, env)
	}
}

// shellWord quotes s as one sh word.
func shellWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
