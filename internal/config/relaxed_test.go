package config

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRelaxedJSON(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"line comment", "{\n  // mine\n  \"a\": 1\n}", "{\n         \n  \"a\": 1\n}"},
		{"block comment", `{/* x */"a": 1}`, `{       "a": 1}`},
		{"trailing commas", `{"a": [1, 2,], "b": 3,}`, `{"a": [1, 2 ], "b": 3 }`},
		{"comma before a comment and a brace", "{\"a\": 1, // end\n}", "{\"a\": 1        \n}"},
		{"slashes and commas inside strings stay", `{"a": "http://x,}", "b": "\"//,]"}`, `{"a": "http://x,}", "b": "\"//,]"}`},
	}
	for _, tt := range tests {
		got := string(relaxedJSON([]byte(tt.in)))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, diff)
		}
		if len(got) != len(tt.in) {
			t.Errorf("%s: length %d, want %d (offsets must not move)", tt.name, len(got), len(tt.in))
		}
		var v any
		if err := json.Unmarshal([]byte(got), &v); err != nil {
			t.Errorf("%s: not JSON after relaxing: %v", tt.name, err)
		}
	}
}

// TestSkippedFileKeepsRestrictions: a project file with a trailing comma
// is skipped as in Claude Code, but its deny and ask rules still apply:
// skipping must never allow more than the file says.
func TestSkippedFileKeepsRestrictions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.project(), "{\n  // the team's rules\n  \"model\": \"opus\",\n  \"permissions\": {\n    \"allow\": [\"Bash\"],\n    \"deny\": [\"Read(./.env)\"],\n    \"ask\": [\"Bash(git push:*)\"],\n  },\n}")
	c := f.mustLoad()
	if got := fileAt(c, LevelProject).Status; got != StatusSkipped {
		t.Fatalf("status = %s, want skipped", got)
	}
	if c.Model.Value == "opus" {
		t.Error("the skipped file's model applied")
	}
	if len(c.Permissions.Allow) != 0 {
		t.Errorf("allow = %v: a skipped file's allow rules must not apply", c.Permissions.Allow)
	}
	if len(c.Permissions.Deny) != 1 || c.Permissions.Deny[0].String() != "Read(./.env)" || len(c.Permissions.Ask) != 1 {
		t.Errorf("deny = %v, ask = %v; want the file's deny and ask rules", c.Permissions.Deny, c.Permissions.Ask)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "except its 1 deny and 1 ask rules, which basalt keeps") {
		t.Errorf("warnings = %q", c.Warnings)
	}
}
