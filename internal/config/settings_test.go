package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseSettings(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	days := 7
	tests := []struct {
		name string
		in   string
		want *Settings
	}{
		{"empty file", "", &Settings{}},
		{"empty object", "{}", &Settings{}},
		{"every key", `{
  "env": {"AWS_REGION": "eu-west-1"},
  "model": "opus",
  "awsAuthRefresh": "aws sso login",
  "awsCredentialExport": "export-creds",
  "permissions": {"allow": ["Read"], "ask": ["Bash"], "deny": ["Read(./.env)"], "defaultMode": "plan", "additionalDirectories": ["../lib"]},
  "modelOverrides": {"claude-opus-4-6": "arn:aws:bedrock:us-east-1:1:application-inference-profile/abc"},
  "cleanupPeriodDays": 7
}`, &Settings{
			Env:                 map[string]string{"AWS_REGION": "eu-west-1"},
			Model:               str("opus"),
			AWSAuthRefresh:      str("aws sso login"),
			AWSCredentialExport: str("export-creds"),
			Permissions: &Permissions{Allow: []string{"Read"}, Ask: []string{"Bash"}, Deny: []string{"Read(./.env)"},
				DefaultMode: str("plan"), AdditionalDirectories: []string{"../lib"}},
			ModelOverrides:    map[string]string{"claude-opus-4-6": "arn:aws:bedrock:us-east-1:1:application-inference-profile/abc"},
			CleanupPeriodDays: &days,
		}},
		{"unknown keys kept", `{"hooks": {}, "permissions": {"defaultMode": "plan", "extra": 1}, "apiKeyHelper": "x"}`,
			&Settings{Permissions: &Permissions{DefaultMode: str("plan")}, Unknown: []string{"apiKeyHelper", "permissions.extra"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSettings("s.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			// Lines and Raw have their own test (TestParseSettingsLines).
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Settings{}, "Lines", "Raw")); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSettingsLines(t *testing.T) {
	t.Parallel()
	got, err := ParseSettings("s.json", []byte(`{
  "env": {
    "AWS_REGION": "eu-west-1"
  },
  "permissions": {"allow": ["Read"],
    "defaultMode": "plan"},
  "hooks": {"PreToolUse": []}
}`))
	if err != nil {
		t.Fatal(err)
	}
	wantLines := map[string]int{"env": 2, "env.AWS_REGION": 3, "permissions": 5, "permissions.allow": 5, "permissions.defaultMode": 6, "hooks": 7}
	if diff := cmp.Diff(wantLines, got.Lines); diff != "" {
		t.Errorf("lines mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(`{"PreToolUse": []}`, string(got.Raw["hooks"])); diff != "" {
		t.Errorf("raw mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSettingsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string // one message per problem
	}{
		{"trailing comma", "{\n  \"model\": \"opus\",\n}", []string{`s.json:3:1: invalid JSON: invalid character '}' looking for beginning of object key string`}},
		{"line comment", "{\n  // the team's model\n  \"model\": \"opus\"\n}", []string{`s.json:2:3: invalid JSON: invalid character '/' looking for beginning of object key string`}},
		{"unterminated", "{\n  \"model\": \"opus\"", []string{`s.json:2:18: invalid JSON: unexpected end of file`}},
		{"not an object", `["x"]`, []string{`s.json:1:1: want a JSON object, got an array`}},
		{"garbage after", `{} x`, []string{`s.json:1:4: invalid JSON: invalid character 'x' after top-level value`}},
		{"multibyte column", "{\"model\": \"é\" \"x\"}", []string{`s.json:1:15: invalid JSON: invalid character '"' after object key:value pair`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseSettings("s.json", []byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			var got []string
			for _, e := range flatten(err) {
				var pe *ParseError
				if !errors.As(e, &pe) {
					t.Errorf("error %v is %T, want *ParseError", e, e)
				}
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseSettingsLenient covers what Claude Code accepts and basalt
// used to refuse: each case loads, with warnings naming line and column,
// and Skipped set exactly where a value was left out.
func TestParseSettingsLenient(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	type warning struct {
		Msg     string
		Skipped bool
	}
	tests := []struct {
		name  string
		in    string
		want  *Settings
		warns []warning
	}{
		{"byte-order mark", "\xEF\xBB\xBF{\"model\": \"opus\"}", &Settings{Model: str("opus")}, nil},
		{"duplicate key, last wins", "{\"model\": \"a\",\n \"model\": \"b\"}", &Settings{Model: str("b")},
			[]warning{{`s.json:2:2: "model": duplicate key (also on line 1); the last one is used`, false}}},
		{"duplicate env entry", `{"env": {"A": "1", "A": "2"}}`, &Settings{Env: map[string]string{"A": "2"}},
			[]warning{{`s.json:1:20: "env.A": duplicate key (also on line 1); the last one is used`, false}}},
		{"env numbers and booleans become strings", `{"env": {"A": 1, "B": true, "C": 2.5}}`,
			&Settings{Env: map[string]string{"A": "1", "B": "true", "C": "2.5"}},
			[]warning{
				{`s.json:1:15: "env.A": want a string, got a number; used as "1" (quote it to silence this)`, false},
				{`s.json:1:23: "env.B": want a string, got a boolean; used as "true" (quote it to silence this)`, false},
				{`s.json:1:34: "env.C": want a string, got a number; used as "2.5" (quote it to silence this)`, false},
			}},
		{"env object value left out", `{"env": {"A": {"x": 1}, "B": "b"}}`, &Settings{Env: map[string]string{"B": "b"}},
			[]warning{{`s.json:1:15: "env.A": want a string, got an object; left out`, true}}},
		{"env not an object", "{\n  \"env\": []\n}", &Settings{},
			[]warning{{`s.json:2:10: "env": want a JSON object, got an array; left out`, true}}},
		{"allow as a lone string", `{"permissions": {"allow": "Read"}}`, &Settings{Permissions: &Permissions{Allow: []string{"Read"}}},
			[]warning{{`s.json:1:27: "permissions.allow": want an array of strings, got a string; read as a list of one`, false}}},
		{"deny keeps its strings", `{"permissions": {"deny": ["Read(./.env)", 3]}}`, &Settings{Permissions: &Permissions{Deny: []string{"Read(./.env)"}}},
			[]warning{{`s.json:1:26: "permissions.deny[1]": want a string, got a number; left out`, true}}},
		{"wrong types left out, the rest applies", `{"model": 3, "awsAuthRefresh": ["a"], "cleanupPeriodDays": -1, "awsCredentialExport": "x"}`,
			&Settings{AWSCredentialExport: str("x")},
			[]warning{
				{`s.json:1:11: "model": want a string, got a number; left out`, true},
				{`s.json:1:32: "awsAuthRefresh": want a string, got an array; left out`, true},
				{`s.json:1:60: "cleanupPeriodDays": want a whole number of days ≥ 0, got -1; left out`, true},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSettings("s.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var warns []warning
			for _, w := range got.Warnings {
				var pe *ParseError
				if !errors.As(w, &pe) {
					t.Fatalf("warning %v is %T, want *ParseError", w, w)
				}
				warns = append(warns, warning{pe.Error(), pe.Skipped})
			}
			if diff := cmp.Diff(tt.warns, warns); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Settings{}, "Lines", "Raw", "Warnings"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("settings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// flatten expands joined errors into their leaves.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func FuzzParseSettings(f *testing.F) {
	for _, s := range []string{"", "{}", `{"env":{"A":"b"}}`, `{"permissions":{"allow":["Bash(x:*)"]}}`, "{\n", `{"a":[1,{"b":null}]}`, `{"env":{"A":1}}`, "\xff", `{"model":"é"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSettings("f.json", data)
		if err == nil && s == nil {
			t.Fatal("nil settings without error")
		}
		if err != nil {
			for _, e := range flatten(err) {
				if !strings.HasPrefix(e.Error(), "f.json") {
					t.Fatalf("error does not name the file: %v", e)
				}
			}
		}
	})
}

func TestSuggestKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want   string
		claudeCode bool
	}{
		{"awsAuthRefesh", "awsAuthRefresh", false},
		{"AWSAUTHREFRESH", "awsAuthRefresh", false},
		{"modelOverride", "modelOverrides", false},
		{"mode", "model", false},
		{"permisions", "permissions", false},
		{"permissions.alow", "permissions.allow", false},
		{"permissions.defualtMode", "permissions.defaultMode", false},
		{"statusline", "statusLine", false},
		{"hoks", "hooks", false},
		{"apiKeyHelper", "", true},
		{"permissions.disableAutoMode", "", true},
		{"permissions.disableBypasPermissionsMode", "permissions.disableBypassPermissionsMode", false},
		{"foo", "", false},
	}
	for _, tt := range tests {
		if tt.claudeCode {
			if !IsClaudeCodeKey(tt.in) {
				t.Errorf("IsClaudeCodeKey(%q) = false", tt.in)
			}
			continue
		}
		if IsClaudeCodeKey(tt.in) {
			t.Errorf("IsClaudeCodeKey(%q) = true", tt.in)
		}
		if got := SuggestKey(tt.in); got != tt.want {
			t.Errorf("SuggestKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
