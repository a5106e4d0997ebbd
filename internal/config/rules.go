package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/rulespec"
)

// Rule is a permission rule as written in settings or --allowed-tools:
// a tool name with an optional specifier, "Bash(go test:*)", "Edit(src/**)",
// "Read", "mcp__github__*". The permission package gives it meaning; the
// configuration layer reads it with [rulespec.Check], the same verdict the
// checker enforces, and warns about every rule it keeps in a weaker form.
type Rule struct {
	Tool      string
	Specifier string // as written, Claude Code's \( \) \\ escapes included; empty: the whole tool
	HasSpec   bool
	Source    Source
	// Line and Col locate the rule in its settings file (1-based); zero
	// when unknown (flags, rules added in a session).
	Line, Col int
	// Problem says why basalt cannot compile the rule as written and what
	// it does instead; empty for a rule that compiles. Such a rule is kept
	// and never allows more, nor refuses less, than its text.
	Problem string
}

func (r Rule) String() string {
	if r.HasSpec {
		return r.Tool + "(" + r.Specifier + ")"
	}
	return r.Tool
}

// Where names the rule's place: "FILE:LINE:COL", "FILE:LINE", or its
// source.
func (r Rule) Where() string {
	switch {
	case r.Line > 0 && r.Col > 0:
		return fmt.Sprintf("%s:%d:%d", r.Source.Name, r.Line, r.Col)
	case r.Line > 0:
		return fmt.Sprintf("%s:%d", r.Source.Name, r.Line)
	}
	return r.Source.String()
}

// KnownTools are the built-in tool names rules may name; MCP tools
// (mcp__…) are known too. Claude Code rules for tools basalt does not
// have are accepted with a warning so that a shared settings file keeps
// working.
var KnownTools = []string{"Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "Bash", "BashOutput", "KillBash", "Grep", "Glob", "LS", "TodoWrite", "WebFetch",
	"Agent", "Task", // Task: Claude Code's earlier name of the Agent tool
}

// UnavailableTools are Claude Code tools basalt knows but cannot offer,
// with the reason: their rules are kept (they never match) and config
// show and doctor say why, instead of calling the tool unknown.
var UnavailableTools = map[string]string{
	"WebSearch": WebSearchUnavailable,
}

// WebSearchUnavailable says why there is no WebSearch tool.
const WebSearchUnavailable = "WebSearch is unavailable: the search runs on Anthropic's servers (the API's web_search server tool), which Amazon Bedrock does not offer — Claude Code has no WebSearch on Bedrock either; WebFetch reads a page whose URL is known"

// ParseRule reads one rule strictly: a rule typed in a session (or in
// a test) that basalt cannot read is an error to fix at once. Settings
// files are read leniently (see [Config.Permissions]).
func ParseRule(s string) (Rule, error) {
	r, err := splitRule(s)
	if err != nil {
		return Rule{}, fmt.Errorf("rule %q: %w", s, err)
	}
	if _, err := rulespec.ParseTool(r.Tool); err != nil {
		return Rule{}, fmt.Errorf("rule %q: %w", s, err)
	}
	return r, nil
}

// splitRule splits a rule into its tool and specifier as Claude Code does
// (the first "(" and a ")" that ends the rule; \( and \) inside do not
// count). The rule is returned as near to its text as possible even when
// the error says it is malformed, so that it can be kept leniently.
func splitRule(s string) (Rule, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Rule{}, errors.New("empty rule")
	}
	open := strings.IndexByte(t, '(')
	if open < 0 {
		r := Rule{Tool: t}
		if strings.ContainsRune(t, ')') {
			return r, errors.New("')' without '('")
		}
		return r, nil
	}
	r := Rule{Tool: t[:open], HasSpec: true}
	body := t[open+1:]
	spec, closed := strings.CutSuffix(body, ")")
	if !closed || strings.HasSuffix(spec, `\`) && !strings.HasSuffix(spec, `\\`) {
		r.Specifier = body
		return r, errors.New("missing ')' at the end")
	}
	r.Specifier = spec
	if strings.TrimSpace(spec) == "" {
		return r, fmt.Errorf("empty specifier; write %q to match every call", r.Tool)
	}
	return r, nil
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
		case '\\':
			i++ // \( and \) do not nest
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

func isKnownTool(name string) bool {
	// MCP tools exist once their servers connect: a rule naming one (or
	// a server, or the resource tools) is for tools basalt has.
	if strings.HasPrefix(name, "mcp__") || name == "ListMcpResourcesTool" || name == "ReadMcpResourceTool" {
		return true
	}
	for _, t := range KnownTools {
		if t == name {
			return true
		}
	}
	return false
}
