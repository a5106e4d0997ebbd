package permission

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/basalt-dev/basalt/internal/config"
)

// The OS sandbox (internal/sandbox) is a second wall around Bash
// commands: what it confines needs no question under
// sandbox.autoAllowBashIfSandboxed. This file decides which commands run
// inside it and which questions it makes unnecessary. It does not weaken
// the checker: deny rules still deny, ask rules still ask, and what the
// sandbox does not cover is still asked:
//   - a command that may touch what a Read or Edit rule names (the
//     sandbox binds concrete paths only; a rule's glob may name more);
//   - a visible change to a protected place (protected.go): the sandbox
//     makes read-only only the places that exist when it starts, and a
//     new .git/hooks, .mcp.json or .claude/settings.json must still be
//     seen by the user;
//   - a command that runs outside the sandbox: an excluded command, or
//     one the model asked to run unsandboxed (dangerouslyDisableSandbox),
//     which always asks, even in bypassPermissions.

// SourceSandbox is [Decision.Source] of a call the sandbox allowed.
const SourceSandbox = "sandbox"

// Sandbox tells the checker how Bash commands run. The zero value is no
// sandbox: every command runs directly and is decided as usual.
type Sandbox struct {
	// On: commands run inside the OS sandbox unless excluded or asked to
	// run outside it.
	On bool
	// AutoAllow is sandbox.autoAllowBashIfSandboxed.
	AutoAllow bool
	// AllowUnsandboxed is sandbox.allowUnsandboxedCommands: whether
	// dangerouslyDisableSandbox and excludedCommands may take a command
	// outside the sandbox.
	AllowUnsandboxed bool
	// Excluded is sandbox.excludedCommands, in Bash rule syntax
	// ("docker:*", "git push *").
	Excluded []string
	// Refusal, when set, refuses every Bash command with it: the policy
	// requires the sandbox (sandbox.failIfUnavailable) and it cannot run.
	Refusal string
}

// Route is where one Bash command runs.
type Route int

// The routes.
const (
	// RouteDirect: no sandbox, or the command is excluded from it or
	// asked (and was allowed) to run outside it.
	RouteDirect Route = iota
	// RouteSandbox: inside the OS sandbox.
	RouteSandbox
	// RouteRefused: nowhere (see [Sandbox].Refusal).
	RouteRefused
)

// sandboxState is the compiled [Sandbox].
type sandboxState struct {
	Sandbox
	excluded []rule
}

// SetSandbox tells the checker how Bash commands run from now on. An
// excluded-command pattern that does not compile is left out (the
// command then stays inside the sandbox, which is the safe side) and
// named in the error; the rest applies.
func (c *Checker) SetSandbox(s Sandbox) error {
	st := &sandboxState{Sandbox: s}
	var errs []error
	for _, p := range s.Excluded {
		r, err := compileRule(Allow, config.Rule{Tool: "Bash", Specifier: p, HasSpec: true}, c.home, c.projectRoot)
		if err != nil || r.bash == nil {
			errs = append(errs, fmt.Errorf("sandbox.excludedCommands %q cannot be read as a Bash rule (%v); it is left out, so the command stays inside the sandbox", p, err))
			continue
		}
		st.excluded = append(st.excluded, r)
	}
	c.mu.Lock()
	c.sandbox = st
	c.mu.Unlock()
	return errors.Join(errs...)
}

// Sandboxing returns what [Checker.SetSandbox] last set.
func (c *Checker) Sandboxing() Sandbox {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.sandbox == nil {
		return Sandbox{}
	}
	return c.sandbox.Sandbox
}

// SandboxRoute says where a Bash command runs: the same answer the
// decision on it used. disable is the call's dangerouslyDisableSandbox;
// workDir the directory it runs in.
func (c *Checker) SandboxRoute(command string, disable bool, workDir string) Route {
	c.mu.RLock()
	st := c.sandbox
	c.mu.RUnlock()
	return st.route(command, disable, workDir, c.home)
}

func (st *sandboxState) route(command string, disable bool, workDir, home string) Route {
	switch {
	case st == nil:
		return RouteDirect
	case st.Refusal != "":
		return RouteRefused
	case !st.On:
		return RouteDirect
	case !st.AllowUnsandboxed:
		// Claude Code ignores both ways out then; basalt refuses the
		// request to leave (in the decision) and sandboxes the rest.
		if disable {
			return RouteRefused
		}
		return RouteSandbox
	case disable, st.excludes(command, workDir, home):
		return RouteDirect
	}
	return RouteSandbox
}

// excludes reports whether every part of command is an excluded command,
// so that the whole line may run outside the sandbox. Claude Code
// unsandboxes a line when any part matches (its issue 81157: `touch
// ~/x; gh --version` then writes outside); basalt keeps the line inside
// unless nothing else runs in it: no other command, no redirection to a
// file, nothing it cannot see.
func (st *sandboxState) excludes(command, workDir, home string) bool {
	if len(st.excluded) == 0 {
		return false
	}
	scan, err := scanCommand(command, workDir, home)
	if err != nil || len(scan.cmds) == 0 || len(scan.redirs) > 0 || len(scan.opaque) > 0 ||
		len(scan.hiddenCode) > 0 || len(scan.hiddenText) > 0 || scan.truncated {
		return false
	}
	for _, cmd := range scan.cmds {
		// A wrapper (docker run, sudo) is matched as written: the pattern
		// chooses where the command runs; the decision on what it runs is
		// the checker's as usual.
		if cmd.allowForm == nil || cmd.hidden || cmd.opaque != "" {
			return false
		}
		matched := false
		for _, r := range st.excluded {
			if r.bash.match(cmd.allowForm, false) == yes {
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

// sandboxInput is the part of a Bash input the sandbox decision reads.
type sandboxInput struct {
	Command                   string `json:"command"`
	DangerouslyDisableSandbox bool   `json:"dangerouslyDisableSandbox"`
}

// sandboxed adjusts the decision on a Bash call for the sandbox it runs
// in (or the one it asks to leave). It runs before a headless or dontAsk
// run turns asks into refusals.
func (e *eval) sandboxed(raw json.RawMessage, o outcome) (outcome, string) {
	st := e.sandbox
	if st == nil || o.behavior == Deny {
		return o, ""
	}
	var in sandboxInput
	_ = json.Unmarshal(raw, &in) // the decision already refused bad JSON
	if st.Refusal != "" {
		return denyf("%s", st.Refusal), ""
	}
	if !st.On {
		return o, ""
	}
	if in.DangerouslyDisableSandbox {
		if !st.AllowUnsandboxed {
			return denyf("the command asked to run outside the sandbox (dangerouslyDisableSandbox), which sandbox.allowUnsandboxedCommands forbids here; run it without dangerouslyDisableSandbox, or ask the user to run it themselves"), ""
		}
		why := "the command asks to run outside the sandbox (dangerouslyDisableSandbox); basalt asks before every such command, whatever the mode or allow rules say"
		if o.behavior == Ask {
			o.reason = why + "; " + o.reason
			o.unsuggestable = true
			return o, ""
		}
		return askf("%s", why), ""
	}
	if st.route(in.Command, false, e.workDir, e.c.home) != RouteSandbox {
		return o, "" // excluded: the usual questions
	}
	if o.behavior != Ask || !st.AutoAllow || o.ruleBound || o.protected {
		return o, ""
	}
	return allowf("it runs inside the sandbox (sandbox.autoAllowBashIfSandboxed), which confines what it can write and reach"), SourceSandbox
}
