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
	for _, r := range e.rules.deny {
		if r.coversSkill(name) {
			return s, denyRule(r, fmt.Sprintf("skill %s is denied by rule %s", name, ruleWhere(r)))
		}
	}
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if r.coversSkill(name) {
				return s, askRule(r, fmt.Sprintf("rule %s asks before loading skill %s", ruleWhere(r), name))
			}
		}
	}
	for _, r := range e.rules.allow {
		if r.coversSkill(name) {
			return s, allowRule(r)
		}
	}
	return s, allowf("skills load without asking unless a rule says otherwise, as in Claude Code")
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
