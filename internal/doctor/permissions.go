package doctor

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// checkPermissions reports the permission rules the configuration keeps in
// a weaker form than written (the same verdict the session's checker
// enforces, so doctor never calls valid what a session reads otherwise),
// the rules for tools basalt does not have, and the mode in force.
func (r *runner) checkPermissions(context.Context) Check {
	c := Check{ID: "permissions", Status: StatusOK}
	pc := r.in.Config.Permissions
	var kept []string
	inertTools := map[string]bool{}
	unavailable := map[string]bool{} // tools basalt knows but cannot offer
	n := 0
	for _, l := range []struct {
		kind  string
		rules []config.Rule
	}{{"allow", pc.Allow}, {"ask", pc.Ask}, {"deny", pc.Deny}} {
		for _, rule := range l.rules {
			n++
			switch {
			case rule.Problem != "":
				kept = append(kept, fmt.Sprintf("%s: %s rule %s: %s", rule.Where(), l.kind, rule, rule.Problem))
			case config.UnavailableTools[rule.Tool] != "":
				unavailable[rule.Tool] = true
			case !slices.Contains(config.KnownTools, rule.Tool):
				inertTools[rule.Tool] = true
			}
		}
	}
	mode := pc.DefaultMode
	c.Summary = fmt.Sprintf("%d %s, mode %s (%s)", n, plural(n, "rule", "rules"), mode.Value, mode.Source)
	var detail []string
	if len(inertTools) > 0 {
		tools := make([]string, 0, len(inertTools))
		for t := range inertTools {
			tools = append(tools, t)
		}
		slices.Sort(tools)
		detail = append(detail, "rules for tools basalt does not have (kept, they match once it has them): "+strings.Join(tools, ", "))
	}
	for _, t := range slices.Sorted(maps.Keys(unavailable)) {
		detail = append(detail, fmt.Sprintf("%s rules are kept but never match: %s", t, config.UnavailableTools[t]))
	}
	if pc.DisableBypass.Value {
		detail = append(detail, fmt.Sprintf("bypassPermissions is disabled (%s)", pc.DisableBypass.Source))
	}
	if len(kept) > 0 {
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("%d permission %s kept in a weaker form than written", len(kept), plural(len(kept), "rule", "rules"))
		c.Fix = "rewrite each rule as one simple command (Bash(npm run build), Bash(npm test:*)) or a plain path pattern; as written, an allow rule allows only its exact text and a deny or ask rule refuses every command containing its words"
		detail = append(kept, detail...)
	}
	c.Detail = strings.Join(detail, "\n")
	return c
}
