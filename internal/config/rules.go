package config

import (
	"fmt"
	"strings"
)

// Rule is a permission rule as written in settings or --allowed-tools:
// a tool name with an optional specifier, "Bash(go test:*)", "Edit(src/**)",
// "Read". The permission package gives it meaning; here only its syntax is
// checked so that a typo is reported before a session starts.
type Rule struct {
	Tool      string
	Specifier string // empty: the whole tool
	HasSpec   bool
	Source    Source
}

func (r Rule) String() string {
	if r.HasSpec {
		return r.Tool + "(" + r.Specifier + ")"
	}
	return r.Tool
}

// KnownTools are the tool names rules may name. Claude Code rules for
// tools basalt does not have (WebFetch, mcp__…) are accepted with a
// warning so that a shared settings file keeps working.
var KnownTools = []string{"Read", "Write", "Edit", "MultiEdit", "Bash", "BashOutput", "KillBash", "Grep", "Glob", "LS", "TodoWrite"}

// ParseRule checks the syntax of one rule.
func ParseRule(s string) (Rule, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Rule{}, fmt.Errorf("empty rule")
	}
	open := strings.IndexByte(t, '(')
	if open < 0 {
		if strings.ContainsRune(t, ')') {
			return Rule{}, fmt.Errorf("rule %q: ')' without '('", s)
		}
		if !validToolName(t) {
			return Rule{}, fmt.Errorf("rule %q: %q is not a tool name", s, t)
		}
		return Rule{Tool: t}, nil
	}
	tool := t[:open]
	if !validToolName(tool) {
		return Rule{}, fmt.Errorf("rule %q: %q is not a tool name", s, tool)
	}
	if !strings.HasSuffix(t, ")") {
		return Rule{}, fmt.Errorf("rule %q: missing ')' at the end", s)
	}
	spec := t[open+1 : len(t)-1]
	if strings.TrimSpace(spec) == "" {
		return Rule{}, fmt.Errorf("rule %q: empty specifier; write %q to match every call", s, tool)
	}
	return Rule{Tool: tool, Specifier: spec, HasSpec: true}, nil
}

// ParseRuleList splits a --allowed-tools value: rules separated by commas
// or spaces outside parentheses ("Bash(git diff:*),Read Edit").
func ParseRuleList(s string) ([]Rule, error) {
	var rules []Rule
	depth, start := 0, 0
	flush := func(end int) error {
		part := strings.TrimSpace(s[start:end])
		start = end + 1
		if part == "" {
			return nil
		}
		r, err := ParseRule(part)
		if err != nil {
			return err
		}
		rules = append(rules, r)
		return nil
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',', ' ':
			if depth == 0 {
				if err := flush(i); err != nil {
					return nil, err
				}
			}
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("rules %q: unbalanced parentheses", s)
	}
	if err := flush(len(s)); err != nil {
		return nil, err
	}
	return rules, nil
}

func validToolName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9' || c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

func isKnownTool(name string) bool {
	for _, t := range KnownTools {
		if t == name {
			return true
		}
	}
	return false
}
