package permission

import (
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// outcome is the verdict on one part of a call (one path, one simple
// command, one redirection) before the parts are combined.
type outcome struct {
	behavior Behavior
	reason   string
	rule     config.Rule
	suggest  []config.Rule
	// unsuggestable: an ask no rule can lift (an ask rule forced it, or
	// the part cannot be checked); the combined call then offers no
	// "allow always".
	unsuggestable bool
	plan          bool // denied because of plan mode
	// protected: an ask for a write to a protected place (protected.go),
	// which only bypassPermissions skips.
	protected bool
	// ruleBound: an ask a rule forced, or that exists because basalt
	// cannot tell whether a deny or ask rule applies. The sandbox does not
	// lift it (sandbox.go).
	ruleBound bool
}

func allowf(format string, args ...any) outcome {
	return outcome{behavior: Allow, reason: fmt.Sprintf(format, args...)}
}

func allowRule(r rule) outcome {
	return outcome{behavior: Allow, reason: "allowed by rule " + ruleWhere(r), rule: r.cfg}
}

func denyf(format string, args ...any) outcome {
	return outcome{behavior: Deny, reason: fmt.Sprintf(format, args...)}
}

func denyRule(r rule, reason string) outcome {
	return outcome{behavior: Deny, reason: reason, rule: r.cfg}
}

func askRule(r rule, reason string) outcome {
	return outcome{behavior: Ask, reason: reason, rule: r.cfg, unsuggestable: true, ruleBound: true}
}

// askRuleUnsure is an ask because basalt cannot tell whether a rule
// applies.
func askRuleUnsure(format string, args ...any) outcome {
	o := askf(format, args...)
	o.ruleBound = true
	return o
}

// askf is an ask that no rule can lift.
func askf(format string, args ...any) outcome {
	return outcome{behavior: Ask, reason: fmt.Sprintf(format, args...), unsuggestable: true}
}

func askSuggest(reason string, rules ...config.Rule) outcome {
	if len(rules) == 0 {
		return outcome{behavior: Ask, reason: reason, unsuggestable: true}
	}
	return outcome{behavior: Ask, reason: reason, suggest: rules}
}

func planDeny(what string) outcome {
	return outcome{
		behavior: Deny,
		plan:     true,
		reason: fmt.Sprintf("basalt is in plan mode, where only read-only tools run, so it will not %s now; "+
			"finish investigating, then present your plan with the ExitPlanMode tool and wait for the user to approve it", what),
	}
}

// ruleWhere names a rule and, when known, where it was written.
func ruleWhere(r rule) string {
	switch {
	case r.cfg.Source.Kind == "":
		return r.cfg.String()
	case r.cfg.Line > 0:
		// The place a user can open: user /home/u/.claude/settings.json:12:7 (permissions.deny).
		return fmt.Sprintf("%s (%s %s (%s))", r.cfg, r.cfg.Source.Kind, r.cfg.Where(), r.cfg.Source.Detail)
	}
	return fmt.Sprintf("%s (%s)", r.cfg, r.cfg.Source)
}

// worst combines two parts: deny beats ask beats allow. Asks merge their
// reasons and suggestions; the first deny's reason stands.
func worst(a, b outcome) outcome {
	sa, sb := a.behavior.strictness(), b.behavior.strictness()
	switch {
	case sa > sb:
		return a
	case sb > sa:
		return b
	}
	if a.behavior != Ask {
		if a.rule.Tool == "" && b.rule.Tool != "" && a.behavior == Allow {
			a.rule = b.rule
		}
		return a
	}
	out := a
	if b.reason != "" && !strings.Contains(out.reason, b.reason) {
		if out.reason != "" {
			out.reason += "; "
		}
		out.reason += b.reason
	}
	out.unsuggestable = a.unsuggestable || b.unsuggestable
	out.protected = a.protected || b.protected
	out.ruleBound = a.ruleBound || b.ruleBound
	if out.rule.Tool == "" && b.unsuggestable {
		out.rule = b.rule
	}
	out.suggest = append([]config.Rule(nil), a.suggest...)
	for _, r := range b.suggest {
		dup := false
		for _, s := range out.suggest {
			if s.String() == r.String() {
				dup = true
			}
		}
		if !dup {
			out.suggest = append(out.suggest, r)
		}
	}
	if out.unsuggestable {
		out.suggest = nil
	}
	return out
}

// headlessDeny turns an ask into a deny the model can act on: what was not
// granted, how a user could grant it, and that another approach may do.
func headlessDeny(d Decision, tool string, s subject, o outcome, context string) Decision {
	var b strings.Builder
	fmt.Fprintf(&b, "permission to %s was not granted %s (%s); ", s, context, o.reason)
	switch {
	case o.protected:
		b.WriteString("the path is protected, so no --allowed-tools value or permissions.allow rule can grant this, " +
			"and acceptEdits does not cover it; only a user running with --permission-mode bypassPermissions could. " +
			"Do not retry it in another form; choose another approach: leave the file as it is, and tell the user what change you would make and why")
	case len(d.Suggestions) > 0:
		rules := make([]string, len(d.Suggestions))
		for i, r := range d.Suggestions {
			rules[i] = r.String()
		}
		fmt.Fprintf(&b, "a user can allow it with --allowed-tools '%s' or a permissions.allow rule", strings.Join(rules, ","))
		if family(tool) == familyEdit {
			b.WriteString(" (or --permission-mode acceptEdits for edits inside the project)")
		}
		b.WriteString("; until then, choose another approach")
	case d.Rule.Tool != "":
		fmt.Fprintf(&b, "rule %s asks for approval every time, so it cannot run unattended; choose another approach", d.Rule)
	default:
		b.WriteString("no rule can allow it as written; split it into plain commands that rules can match, or choose another approach")
	}
	d.Behavior = Deny
	d.Reason = b.String()
	return d
}
