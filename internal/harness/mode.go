package harness

import (
	"github.com/basalt-dev/basalt/internal/permission"
)

// ModeCycle is the order Shift+Tab walks the permission modes in, as
// Claude Code users expect: default → acceptEdits → plan → default.
// bypassPermissions and dontAsk are chosen at start-up only; from either,
// the cycle goes on to default.
var ModeCycle = []permission.Mode{permission.ModeDefault, permission.ModeAcceptEdits, permission.ModePlan}

// NextMode is the mode after m in [ModeCycle].
func NextMode(m permission.Mode) permission.Mode {
	for i, c := range ModeCycle {
		if c == m {
			return ModeCycle[(i+1)%len(ModeCycle)]
		}
	}
	return permission.ModeDefault
}

// PermissionMode is the running conversation's permission mode.
func (s *Session) PermissionMode() permission.Mode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checker.Mode()
}

// SetPermissionMode switches the permission mode for the calls decided
// from now on, including the rest of a turn waiting on the user (plan
// approval); the conversations opened later (/clear, /resume) keep it. It
// refuses an unknown mode, and bypassPermissions when the settings
// disable it.
func (s *Session) SetPermissionMode(mode string) (Info, error) {
	m, err := permission.ParseMode(mode)
	if err != nil {
		return Info{}, &UsageError{Err: err}
	}
	s.mu.Lock()
	err = s.checker.SetMode(m)
	if err == nil {
		s.mode = m
	}
	s.mu.Unlock()
	if err != nil {
		return Info{}, err
	}
	return s.Info(), nil
}
