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
			&Settings{Permissions: &Permissions{DefaultMode: str("plan")}, Unknown: []string{"apiKeyHelper", "hooks", "permissions.extra"}}},
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
		{"unterminated", "{\n  \"model\": \"opus\"", []string{`s.json:2:18: invalid JSON: unexpected end of file`}},
		{"not an object", `["x"]`, []string{`s.json:1:1: want a JSON object, got an array`}},
		{"env array", "{\n  \"env\": []\n}", []string{`s.json:2:10: "env": want a JSON object, got an array`}},
		{"allow string", "{\"permissions\": {\"allow\": \"x\"}}", []string{`s.json:1:27: "permissions.allow": want an array of strings, got a string`}},
		{"env number", `{"env": {"A": 1, "B": true}}`, []string{
			`s.json:1:15: "env.A": want a string, got a number (quote it)`,
			`s.json:1:23: "env.B": want a string, got a boolean (quote it)`}},
		{"several problems at once", `{"model": 3, "awsAuthRefresh": ["a"], "cleanupPeriodDays": -1}`, []string{
			`s.json:1:11: "model": want a string, got a number`,
			`s.json:1:32: "awsAuthRefresh": want a string, got an array`,
			`s.json:1:60: "cleanupPeriodDays": want a whole number of days ≥ 0, got -1`}},
		{"duplicate key", `{"model": "a", "model": "b"}`, []string{`s.json:1:16: "model": duplicate key`}},
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
