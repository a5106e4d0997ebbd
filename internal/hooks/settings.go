package hooks

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
)

// DefaultTimeout is how long a hook may run when its entry gives no
// "timeout", for most events (see [EventInfo.Timeout]): Claude Code's
// default (600 000 ms in v2.1.197; its older documentation said 60 s).
const DefaultTimeout = 10 * time.Minute

// Source is the settings file a hook came from.
type Source struct {
	// Kind is the level: config.SourceManaged, SourceUser,
	// SourceProject, SourceLocal or SourceSettings (--settings FILE).
	Kind config.SourceKind
	Path string
}

func (s Source) String() string {
	if s.Path == "" {
		return string(s.Kind)
	}
	return string(s.Kind) + " " + s.Path
}

// Hook is one command configured for an event.
type Hook struct {
	Event   Event
	Matcher string
	Command string
	// Timeout is the entry's "timeout" (seconds in the file); 0 means
	// the event's default ([EventInfo.Timeout]).
	Timeout time.Duration
	Source  Source
	// Line is where the entry is written, 0 when unknown.
	Line int
	// Entry is its place in the file: "hooks.PreToolUse[0].hooks[1]".
	Entry string

	match matcher
}

// timeout is the hook's effective time limit.
func (h Hook) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	if info, ok := Info(h.Event); ok {
		return info.Timeout
	}
	return DefaultTimeout
}

// Positions turns an offset of the text a "hooks" value was read from
// into a line and column; col is 0 when unknown.
type Positions func(offset int) (line, col int)

// textPositions locates offsets in a whole file's text.
func textPositions(text []byte) Positions {
	return func(off int) (int, int) { return lineCol(text, off) }
}

// Parse reads one settings file's "hooks" value. raw is the value as
// written; pos locates an offset of raw (nil: Positions relative to raw).
//
// It is as lenient as Claude Code where Claude Code is lenient (an
// unknown event, an event that is not an array: that part is ignored
// with a warning) and more lenient where Claude Code would skip the
// whole settings file (an entry without a command, a timeout that is not
// a positive number, a hook type basalt cannot run): the entry is
// skipped, or its timeout defaulted, with a warning naming file, line,
// column and entry, and the other hooks apply. A matcher that is not a
// regular expression basalt can compile is a warning too: that group
// never runs, as in Claude Code, which logs and skips it.
func Parse(src Source, raw json.RawMessage, pos Positions) ([]Hook, []error) {
	if pos == nil {
		pos = textPositions(raw)
	}
	root, err := parseNode(raw, 0)
	if err != nil {
		return nil, []error{warnAt(src, pos, 0, "hooks", err.Error()+"; hooks are ignored")}
	}
	return parseTree(src, root, pos)
}

func parseTree(src Source, root node, pos Positions) ([]Hook, []error) {
	var hooks []Hook
	var warns []error
	warn := func(n node, key, format string, args ...any) {
		warns = append(warns, warnAt(src, pos, n.offset, key, fmt.Sprintf(format, args...)))
	}
	if !root.isObject() {
		warn(root, "hooks", "want an object mapping event names to lists of matchers, got %s; hooks are ignored", root.kind())
		return nil, warns
	}
	for _, ev := range root.members {
		key := "hooks." + ev.key
		info, known := Info(Event(ev.key))
		if !known {
			warn(ev.val, key, "unknown hook event %q; it is ignored (events: %s)", ev.key, strings.Join(eventNames(), ", "))
			continue
		}
		if !ev.val.isArray() {
			warn(ev.val, key, "want a list of matchers, got %s; this event is ignored", ev.val.kind())
			continue
		}
		for gi, group := range ev.val.items {
			hs, ws := parseGroup(src, pos, info, ev.key, fmt.Sprintf("%s[%d]", key, gi), group)
			hooks = append(hooks, hs...)
			warns = append(warns, ws...)
		}
	}
	return hooks, warns
}

// parseGroup reads one {"matcher": …, "hooks": […]} entry of an event.
func parseGroup(src Source, pos Positions, info EventInfo, event, key string, group node) ([]Hook, []error) {
	var warns []error
	warn := func(n node, key, format string, args ...any) {
		warns = append(warns, warnAt(src, pos, n.offset, key, fmt.Sprintf(format, args...)))
	}
	if !group.isObject() {
		warn(group, key, "want an object with \"matcher\" and \"hooks\", got %s; it is ignored", group.kind())
		return nil, warns
	}
	var matcherText string
	matcherAt := group
	var list *node
	for _, m := range group.members {
		switch m.key {
		case "matcher":
			if err := json.Unmarshal(m.val.raw, &matcherText); err != nil {
				warn(m.val, key+".matcher", "want a string, got %s; this matcher group is ignored", m.val.kind())
				return nil, warns
			}
			matcherAt = m.val
		case "hooks":
			v := m.val
			list = &v
		}
	}
	mt, err := compileMatcher(matcherText)
	if err != nil {
		warn(matcherAt, key+".matcher", "%q is not a regular expression basalt can read (%v); its hooks never run", matcherText, err)
	}
	switch {
	case list == nil:
		warn(group, key, "no \"hooks\" list; it is ignored")
		return nil, warns
	case !list.isArray():
		warn(*list, key+".hooks", "want a list of hooks, got %s; it is ignored", list.kind())
		return nil, warns
	}
	if matcherText != "" && info.MatchField == "" {
		// Claude Code ignores it too: every hook of the event runs.
		warn(matcherAt, key+".matcher", "%s has no matcher; %q is ignored and these hooks run on every %s", event, matcherText, event)
	}
	var hooks []Hook
	for hi, h := range list.items {
		hkey := fmt.Sprintf("%s.hooks[%d]", key, hi)
		hook, problems := parseHook(h, hkey)
		for _, p := range problems {
			warn(p.at, p.key, "%s", p.msg)
		}
		if hook == nil {
			continue
		}
		hook.Event = info.Event
		hook.Matcher = matcherText
		hook.Source = src
		hook.Entry = hkey
		hook.Line, _ = pos(h.offset)
		hook.match = mt
		hooks = append(hooks, *hook)
	}
	return hooks, warns
}

type problem struct {
	at  node
	key string
	msg string
}

// parseHook reads one {"type":"command","command":…,"timeout":…} entry;
// nil when it cannot run.
func parseHook(n node, key string) (*Hook, []problem) {
	if !n.isObject() {
		return nil, []problem{{n, key, fmt.Sprintf("want an object with \"type\" and \"command\", got %s; it is ignored", n.kind())}}
	}
	var ps []problem
	h := &Hook{}
	typ, hasCommand := "", false
	for _, m := range n.members {
		switch m.key {
		case "type":
			if json.Unmarshal(m.val.raw, &typ) != nil {
				return nil, []problem{{m.val, key + ".type", fmt.Sprintf("want a string, got %s; the hook is ignored", m.val.kind())}}
			}
		case "command":
			if json.Unmarshal(m.val.raw, &h.Command) != nil {
				return nil, []problem{{m.val, key + ".command", fmt.Sprintf("want a string, got %s; the hook is ignored", m.val.kind())}}
			}
			hasCommand = true
		case "timeout":
			var secs float64
			if json.Unmarshal(m.val.raw, &secs) != nil || secs <= 0 || math.IsInf(secs, 0) || secs > 24*3600 {
				ps = append(ps, problem{m.val, key + ".timeout", fmt.Sprintf("want a positive number of seconds (at most a day), got %s; the event's default applies", string(m.val.raw))})
				continue
			}
			h.Timeout = time.Duration(secs * float64(time.Second))
		case "if":
			ps = append(ps, problem{m.val, key + ".if", "basalt does not read \"if\" conditions yet: the hook runs on every call its matcher selects"})
		case "async", "asyncRewake":
			ps = append(ps, problem{m.val, key + "." + m.key, "basalt runs every hook to completion: \"" + m.key + "\" is ignored"})
		case "shell":
			var sh string
			if json.Unmarshal(m.val.raw, &sh) != nil || sh != "bash" {
				return nil, append(ps, problem{m.val, key + ".shell", fmt.Sprintf("basalt runs hooks with the POSIX shell only, not %s; the hook is ignored", string(m.val.raw))})
			}
		case "args":
			return nil, append(ps, problem{m.val, key + ".args", "basalt does not run the exec form (\"args\") yet; the hook is ignored"})
		}
	}
	switch {
	case typ == "":
		return nil, append(ps, problem{n, key, "no \"type\"; want \"command\"; the hook is ignored"})
	case typ != "command":
		return nil, append(ps, problem{n, key + ".type", fmt.Sprintf("basalt runs \"command\" hooks only, not %q; the hook is ignored", typ)})
	case !hasCommand || strings.TrimSpace(h.Command) == "":
		return nil, append(ps, problem{n, key + ".command", "no command to run; the hook is ignored"})
	}
	return h, ps
}

func warnAt(src Source, pos Positions, off int, key, msg string) error {
	line, col := pos(off)
	return &config.ParseError{Path: src.Path, Line: line, Col: col, Key: key, Msg: msg}
}
