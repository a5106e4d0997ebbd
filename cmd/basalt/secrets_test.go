package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/basalt-dev/basalt/internal/config/secrettest"
)

// cmdSecretsFixture writes the shared fixture of secrets
// (internal/config/secrettest) into DIR and sets basalt's own secrets in
// the environment of the commands that follow:
//
//	secrets-fixture DIR
//
// DIR/settings.json has every shape in its env; DIR/export.json is what
// DIR/export-settings.json's awsCredentialExport prints; DIR/credentials.json
// makes the emulator accept the script's keys, the exported ones and the
// fixture's Bedrock API key, whose value is in $FIXTURE_BEDROCK_TOKEN.
func cmdSecretsFixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: secrets-fixture DIR")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	write := func(name, content string) {
		ts.Check(os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
	}
	write("settings.json", secrettest.SettingsJSON())
	write("export.json", secrettest.ExportOutput())
	export, err := json.Marshal(map[string]string{"awsCredentialExport": "cat " + filepath.Join(dir, "export.json")})
	ts.Check(err)
	write("export-settings.json", string(export))
	creds, err := json.Marshal(map[string]any{
		"keys": []map[string]string{
			{"access_key_id": "AKIAEXAMPLE", "secret_access_key": "secret"},
			{"access_key_id": secrettest.ExportAccessKeyID, "secret_access_key": exportSecret()},
		},
		"bearer_tokens": []string{secrettest.BedrockToken()},
	})
	ts.Check(err)
	write("credentials.json", string(creds))
	for k, v := range secrettest.ProcessEnv() {
		ts.Setenv(k, v)
	}
	ts.Setenv("FIXTURE_BEDROCK_TOKEN", secrettest.BedrockToken())
}

func exportSecret() string {
	for _, s := range secrettest.Fixture() {
		if s.Where == secrettest.Export && s.Name == "SecretAccessKey" {
			return s.Value
		}
	}
	return ""
}

// cmdNoSecrets fails when a secret of the fixture appears in stdout,
// stderr (by those names) or any file under the paths given:
//
//	no-secrets stdout stderr $HOME/.local/state/basalt
func cmdNoSecrets(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: no-secrets stdout|stderr|PATH...")
	}
	check := func(name, text string) {
		if found := secrettest.Find(text); len(found) > 0 {
			ts.Fatalf("%s holds %s", name, strings.Join(found, ", "))
		}
	}
	for _, a := range args {
		if a == "stdout" || a == "stderr" {
			check(a, ts.ReadFile(a))
			continue
		}
		n := 0
		err := filepath.WalkDir(ts.MkAbs(a), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			check(path, string(data))
			return nil
		})
		ts.Check(err)
		if n == 0 {
			ts.Fatalf("no-secrets: no file under %s", a)
		}
	}
}
