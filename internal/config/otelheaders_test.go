package config

import "testing"

// otelHeadersHelper runs a command: from a project file it counts only in
// a trusted folder; from the user's own file always.
func TestOTelHeadersHelperTrust(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		project   bool
		untrusted bool
		want      string
	}{
		{"project untrusted", true, true, ""},
		{"project trusted", true, false, "./token.sh"},
		{"user untrusted folder", false, true, "./token.sh"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.untrusted = c.untrusted
			path := f.user()
			if c.project {
				path = f.project()
			}
			f.write(path, `{"otelHeadersHelper": "./token.sh"}`)
			cfg := f.mustLoad()
			if cfg.OTelHeadersHelper.Value != c.want {
				t.Errorf("OTelHeadersHelper = %q, want %q", cfg.OTelHeadersHelper.Value, c.want)
			}
			if c.project && c.untrusted && len(cfg.Trust.Findings) != 1 {
				t.Errorf("findings = %v, want otelHeadersHelper", findingNames(cfg.Trust))
			}
		})
	}
}

// A helper that is not a string is reported with the file and line.
func TestOTelHeadersHelperType(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), "{\n  \"otelHeadersHelper\": 5\n}")
	cfg, err := f.load()
	msg := ""
	if err != nil {
		msg = err.Error()
	} else {
		for _, w := range cfg.Warnings {
			msg += w + "\n"
		}
	}
	if !contains(msg, "otelHeadersHelper") || !contains(msg, ":2:") {
		t.Errorf("error/warnings = %q, want one naming otelHeadersHelper at line 2", msg)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
