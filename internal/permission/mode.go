package permission

import (
	"fmt"
	"strings"
)

// Mode is the session's permission mode. The UI may switch it at any time
// with [Checker.SetMode]; settings and --permission-mode choose the first one.
type Mode string

// The modes, spelled as in settings files and --permission-mode.
const (
	// ModeDefault asks before edits and commands; reads inside the
	// workspace need no approval.
	ModeDefault Mode = "default"
	// ModeAcceptEdits also allows edits inside the workspace and a few
	// filesystem commands (mkdir, touch, rm, rmdir, mv, cp) whose every
	// path is inside it.
	ModeAcceptEdits Mode = "acceptEdits"
	// ModePlan allows read-only tools only; edits and commands are denied
	// with a reason that tells the model to present its plan instead.
	ModePlan Mode = "plan"
	// ModeBypass allows every call that no deny rule forbids.
	ModeBypass Mode = "bypassPermissions"
	// ModeDontAsk decides like ModeDefault but refuses whatever would ask,
	// with the reason a headless run gives (Claude Code's dontAsk).
	ModeDontAsk Mode = "dontAsk"
)

// ParseMode checks a mode name; the empty string is [ModeDefault]. Claude
// Code's "manual" is its old name for default, and its "auto" (calls
// approved by a classifier) has no equivalent in basalt yet, so it is
// default too: basalt asks instead (the configuration layer says so once).
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "", "manual", "auto":
		return ModeDefault, nil
	case ModeDefault, ModeAcceptEdits, ModePlan, ModeBypass, ModeDontAsk:
		return m, nil
	}
	return "", fmt.Errorf("permission mode %q: want one of %s", s, strings.Join([]string{
		string(ModeDefault), string(ModeAcceptEdits), string(ModePlan), string(ModeBypass), string(ModeDontAsk),
	}, ", "))
}

// Behavior is what a [Decision] lets the caller do with a tool call.
type Behavior string

// The behaviors, in increasing order of strictness.
const (
	Allow Behavior = "allow"
	Ask   Behavior = "ask"
	Deny  Behavior = "deny"
)

// strictness orders behaviors so that combining the parts of one call
// keeps the strictest: deny beats ask beats allow.
func (b Behavior) strictness() int {
	switch b {
	case Allow:
		return 0
	case Ask:
		return 1
	}
	return 2
}
