package doctor

import (
	"strings"
	"testing"
)

// TestCheckPermissions: doctor reports the rules a session keeps in a
// weaker form, naming file and line, instead of calling them valid.
func TestCheckPermissions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		file   string
		want   want
		detail []string
	}{
		{"plain rules", `{"permissions": {"allow": ["Bash(go test:*)", "Read"], "defaultMode": "acceptEdits"}}`,
			want{StatusOK, "2 rules, mode acceptEdits", ""}, nil},
		{"uncompilable rules", "{\"permissions\": {\n  \"allow\": [\n    \"Bash(cd web && npm run build)\",\n    \"mcp__github__*\"\n  ],\n  \"deny\": [\"Bash(python3 -c ':*)\"],\n  \"disableBypassPermissionsMode\": \"disable\"\n}}",
			want{StatusWarn, "2 permission rules kept in a weaker form than written", "an allow rule allows only its exact text"},
			[]string{
				"settings.json:3:5: allow rule Bash(cd web && npm run build):",
				"kept: it allows only the exact command `cd web && npm run build`",
				"settings.json:6:12: deny rule Bash(python3 -c ':*)",
				"kept: it denies any command that contains the words `python3 -c`",
				"rules for tools basalt does not have (kept, they match once it has them): mcp__github__*",
				"bypassPermissions is disabled (project ",
			}},
		// WebFetch is a tool basalt has; WebSearch one it knows but
		// cannot offer on Bedrock, and doctor says why.
		{"web tools", `{"permissions": {"allow": ["WebFetch(domain:go.dev)", "WebSearch"], "deny": ["WebSearch"]}}`,
			want{StatusOK, "3 rules, mode default", ""},
			[]string{"WebSearch rules are kept but never match: WebSearch is unavailable", "Amazon Bedrock does not offer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := localRunner(t, bedrockEnv(nil), map[string]string{".claude/settings.json": tt.file})
			if r.in.ConfigErr != nil {
				t.Fatalf("config: %v", r.in.ConfigErr)
			}
			c := r.checkPermissions(t.Context())
			tt.want.check(t, c)
			for _, d := range tt.detail {
				if !strings.Contains(c.Detail, d) {
					t.Errorf("detail lacks %q:\n%s", d, c.Detail)
				}
			}
		})
	}
}
