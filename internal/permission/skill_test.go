package permission

import (
	"encoding/json"
	"testing"
)

// TestSkillRules: the Skill tool loads a prompt without asking, as in
// Claude Code, unless a rule names the tool or the skill.
func TestSkillRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name             string
		allow, ask, deny []string
		mode             Mode
		skill            string
		want             Behavior
	}{
		{name: "no rule", skill: "review", want: Allow},
		{name: "deny all", deny: []string{"Skill"}, skill: "review", want: Deny},
		{name: "deny one", deny: []string{"Skill(deploy)"}, skill: "deploy", want: Deny},
		{name: "deny other", deny: []string{"Skill(deploy)"}, skill: "review", want: Allow},
		{name: "deny with args", deny: []string{"Skill(deploy *)"}, skill: "deploy", want: Deny},
		{name: "deny prefix", deny: []string{"Skill(db-*)"}, skill: "db-migrate", want: Deny},
		{name: "ask one", ask: []string{"Skill(deploy)"}, skill: "deploy", want: Ask},
		{name: "ask in bypass", ask: []string{"Skill(deploy)"}, mode: ModeBypass, skill: "deploy", want: Allow},
		{name: "deny beats allow", allow: []string{"Skill"}, deny: []string{"Skill(deploy)"}, skill: "deploy", want: Deny},
		{name: "slash written", deny: []string{"Skill(/deploy)"}, skill: "deploy", want: Deny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mode := tc.mode
			if mode == "" {
				mode = ModeDefault
			}
			c, err := New(Options{ProjectRoot: t.TempDir(), Mode: mode,
				Allow: parseRules(t, tc.allow...), Ask: parseRules(t, tc.ask...), Deny: parseRules(t, tc.deny...)})
			if err != nil {
				t.Fatal(err)
			}
			in, _ := json.Marshal(map[string]string{"skill": tc.skill})
			d := c.Decide(Request{Tool: "Skill", Input: in})
			if d.Behavior != tc.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, tc.want)
			}
		})
	}
}
