package permission

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/rulespec"
)

// skill decides a Skill tool call: the model loading a skill's or
// command's prompt. Claude Code runs the skills it lists without asking
// and lets rules restrict them: "Skill" covers every one, "Skill(name)"
// one, "Skill(name *)" or "Skill(prefix*)" a name and what starts with
// it. A deny rule refuses, an ask rule asks; the rest is allowed, since
// loading a prompt does nothing by itself (the prompt's own `!` commands
// pass the Bash check separately).
func (e *eval) skill(raw json.RawMessage) (subject, outcome) {
	var in struct {
		Skill string `json:"skill"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &in); err != nil {
			return subject{verb: "use Skill"}, denyf("the Skill input is not valid JSON: %v", err)
		}
	}
	name := strings.TrimPrefix(strings.TrimSpace(in.Skill), "/")
	s := subject{verb: "load skill", object: name}
	return s, e.namedRules(func(r rule) bool { return r.coversSkill(name) }, "skill "+name, "loading",
		"skills load without asking unless a rule says otherwise, as in Claude Code")
}

// namedRules decides a call that names one thing a rule can cover (a
// skill, an agent type): a deny rule refuses, an ask rule asks (not in
// bypassPermissions), an allow rule allows, and the rest is allowed for
// the reason dflt. what names the thing ("skill deploy"), doing what the
// call does to it ("loading").
func (e *eval) namedRules(covers func(rule) bool, what, doing, dflt string) outcome {
	for _, r := range e.rules.deny {
		if covers(r) {
			return denyRule(r, fmt.Sprintf("%s is denied by rule %s", what, ruleWhere(r)))
		}
	}
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if covers(r) {
				return askRule(r, fmt.Sprintf("rule %s asks before %s %s", ruleWhere(r), doing, what))
			}
		}
	}
	for _, r := range e.rules.allow {
		if covers(r) {
			return allowRule(r)
		}
	}
	return allowf("%s", dflt)
}

// coversSkill reports whether r names the Skill tool as a whole or the
// skill name.
func (r rule) coversSkill(name string) bool {
	if r.inert || !r.tool.Matches("Skill") {
		return false
	}
	if !r.cfg.HasSpec || r.broad {
		return true
	}
	spec := strings.TrimPrefix(strings.TrimSpace(rulespec.Unescape(r.cfg.Specifier)), "/")
	for _, suffix := range []string{" *", ":*"} {
		if base, ok := strings.CutSuffix(spec, suffix); ok {
			return name == base
		}
	}
	if prefix, ok := strings.CutSuffix(spec, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return name == spec
}
