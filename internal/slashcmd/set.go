package slashcmd

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/basalt-dev/basalt/internal/editdist"
)

// Set is every command and skill a session can invoke, one entry per
// name. It is immutable once built and safe to share between goroutines.
type Set struct {
	byName   map[string]*Command
	skills   []*Command // by name
	commands []*Command // by name
}

// NewSet merges skills and commands (each already resolved between
// directories, as [LoadCommands] and skills.Load return them). A skill
// beats a command of the same name, as in Claude Code.
func NewSet(skills, commands []Command) *Set {
	s := &Set{byName: map[string]*Command{}}
	for i := range skills {
		c := &skills[i]
		s.byName[c.Name] = c
		s.skills = append(s.skills, c)
	}
	for i := range commands {
		c := &commands[i]
		if _, taken := s.byName[c.Name]; taken {
			continue
		}
		s.byName[c.Name] = c
		s.commands = append(s.commands, c)
	}
	byName := func(l []*Command) {
		sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
	}
	byName(s.skills)
	byName(s.commands)
	return s
}

// Lookup returns the entry called name (without the slash).
func (s *Set) Lookup(name string) (*Command, bool) {
	if s == nil {
		return nil, false
	}
	c, ok := s.byName[name]
	return c, ok
}

// All returns the entries in Claude Code's order: skills, then commands,
// each by name.
func (s *Set) All() []*Command {
	if s == nil {
		return nil
	}
	return append(append([]*Command(nil), s.skills...), s.commands...)
}

// UserInvocable returns the entries /help and completion offer.
func (s *Set) UserInvocable() []*Command {
	var out []*Command
	for _, c := range s.All() {
		if c.UserInvocable {
			out = append(out, c)
		}
	}
	return out
}

// ModelInvocable returns the entries the model may run with the Skill
// tool: those without disable-model-invocation.
func (s *Set) ModelInvocable() []*Command {
	var out []*Command
	for _, c := range s.All() {
		if !c.DisableModelInvocation {
			out = append(out, c)
		}
	}
	return out
}

// InitSlashCommands is the stream-json init line's slash_commands part
// for these entries (Claude Code follows it with its built-in commands).
func (s *Set) InitSlashCommands() []string {
	var out []string
	for _, c := range s.UserInvocable() {
		out = append(out, c.Name)
	}
	return out
}

// InitSkills is the init line's skills part. Claude Code 2.1.197 lists
// there its skills and also the commands marked disable-model-invocation
// (observed, testdata/claude-code/facts.json); basalt prints the same so a
// consumer that reads the field sees what it would see from Claude Code.
func (s *Set) InitSkills() []string {
	var out []string
	for _, c := range s.All() {
		if c.Kind == KindSkill || c.DisableModelInvocation {
			out = append(out, c.Name)
		}
	}
	return out
}

// ParseInvocation splits "/name args" into name and args. ok is false when
// input does not start with a slash followed by a name; whether the name
// exists is for [Set.Lookup] (a path such as "/tmp/x is big" is a prompt).
func ParseInvocation(input string) (name, args string, ok bool) {
	input = strings.TrimLeft(input, " \t\r\n")
	if !strings.HasPrefix(input, "/") {
		return "", "", false
	}
	rest := input[1:]
	end := strings.IndexAny(rest, " \t\r\n")
	if end < 0 {
		end = len(rest)
	}
	name = rest[:end]
	if name == "" || checkName(name) != "" || strings.Contains(name, "/") {
		return "", "", false
	}
	return name, strings.TrimSpace(rest[end:]), true
}

// ErrUnknown is the error of [Set.ExpandInput] for a /name that is neither
// a command nor a skill; its message lists the near names.
type ErrUnknown struct {
	Name    string
	Similar []string
}

func (e *ErrUnknown) Error() string {
	msg := "unknown slash command: /" + e.Name
	if len(e.Similar) > 0 {
		msg += " (did you mean /" + strings.Join(e.Similar, ", /") + "?)"
	}
	return msg
}

// ExpandInput expands a user's "/name args" line. ok is false when input
// is not an invocation of one of s's entries, so the caller treats it as
// a built-in command or a plain prompt; an entry the user may not invoke
// (user-invocable: false) is an error.
func (s *Set) ExpandInput(ctx context.Context, input string, opts Options) (e Expansion, ok bool, err error) {
	name, args, isCmd := ParseInvocation(input)
	if !isCmd {
		return Expansion{}, false, nil
	}
	c, found := s.Lookup(name)
	if !found {
		return Expansion{}, false, nil
	}
	if !c.UserInvocable {
		return Expansion{}, true, fmt.Errorf("/%s is a skill only the model can use (user-invocable: false in %s)", name, c.Path)
	}
	e, err = Expand(ctx, c, args, opts)
	return e, true, err
}

// Unknown builds the error for a /name nothing answers to, naming the
// entries within a typo of it (editdist, as every "did you mean").
func (s *Set) Unknown(name string) error {
	e := &ErrUnknown{Name: name}
	for _, c := range s.UserInvocable() {
		limit := max(1, len(name)/3)
		if editdist.Levenshtein(name, c.Name) <= limit || strings.HasSuffix(c.Name, ":"+name) {
			e.Similar = append(e.Similar, c.Name)
		}
	}
	return e
}
