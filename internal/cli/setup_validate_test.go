package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetupFlagsValidateAsTheForm: a value the form's field refuses is
// refused as a flag with the same words and the flag's name, exit 2,
// and nothing is written.
func TestSetupFlagsValidateAsTheForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flag  string
		opts  setupOptions
		field error // what the form's field says
	}{
		{"region", setupOptions{Region: "eu-west"}, validateRegion("eu-west")},
		{"region", setupOptions{Region: "us-east-100"}, validateRegion("us-east-100")},
		{"profile", setupOptions{Credentials: credSSO, Profile: "my team"}, validateProfile(credSSO, "my team")},
		{"export-command", setupOptions{Credentials: credExport, ExportCommand: "  "}, validateExportCommand("  ")},
		{"model", setupOptions{Model: "opsu"}, func() error { _, err := validateModel("opsu", "us-east-1"); return err }()},
		{"small-fast-model", setupOptions{SmallFastModel: "haiku!"}, func() error { _, err := validateModel("haiku!", "us-east-1"); return err }()},
		{"guardrail", setupOptions{Guardrail: "Bad_ID:1"}, validateGuardrail("Bad_ID:1")},
		{"guardrail", setupOptions{Guardrail: "abc:v2"}, validateGuardrail("abc:v2")},
	}
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			t.Parallel()
			if tt.field == nil {
				t.Fatal("the form's field accepts the value")
			}
			dir := t.TempDir()
			app, _, _ := testApp()
			app.WorkDir = dir
			app.Env = map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "AWS_EC2_METADATA_DISABLED": "true"}
			opts := tt.opts
			if opts.Credentials == "" {
				opts.Credentials, opts.Profile = credSSO, "team"
			}
			opts.Yes = true
			err := runSetup(t.Context(), app, &opts)
			if exitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--"+tt.flag+" ") || !strings.Contains(err.Error(), tt.field.Error()) {
				t.Errorf("error %v (exit %d); want exit 2 naming --%s and saying %q", err, exitCode(err), tt.flag, tt.field)
			}
			if _, err := os.Stat(settingsPath(app)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("settings written: %v", err)
			}
		})
	}
}
