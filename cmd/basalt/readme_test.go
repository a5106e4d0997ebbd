package main

import (
	"os"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestREADMEDocumentsEveryVariable keeps the README's configuration
// reference true: a variable basalt reads but the README does not explain
// fails the build.
func TestREADMEDocumentsEveryVariable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, v := range config.Vars {
		short := v.Name
		if i := strings.LastIndex(short, "_"); strings.HasPrefix(short, "DISABLE_PROMPT_CACHING_") && i > 0 {
			short = short[i:] // documented as DISABLE_PROMPT_CACHING_OPUS, `_SONNET`, `_HAIKU`
		}
		if !strings.Contains(readme, v.Name) && !strings.Contains(readme, "`"+short+"`") {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
	for _, key := range []string{"env", "model", "awsAuthRefresh", "awsCredentialExport", "permissions.allow", "permissions.defaultMode", "permissions.additionalDirectories", "modelOverrides", "cleanupPeriodDays", "bashEnvironment"} {
		if !strings.Contains(readme, "`"+key+"`") {
			t.Errorf("README.md does not document the settings key %s", key)
		}
	}
}
