package cli

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config/secrettest"
	"github.com/basalt-dev/basalt/internal/emulator"
)

// secretsApp is an app against the emulator configured with the shared
// fixture of secrets: basalt's own in the process environment, every
// other shape in the user's settings file, and a base URL with a
// password.
func secretsApp(t *testing.T) (*App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	app, _, _ := interactiveEnv(t, &emulator.Scenario{Turns: []emulator.Turn{{Text: "First answer."}}}, secrettest.ProcessEnv())
	u, err := url.Parse(app.Env["ANTHROPIC_BEDROCK_BASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("gw", "Pg-Pa55w0rd-Zq81") // the fixture's DATABASE_URL password
	app.Env["ANTHROPIC_BEDROCK_BASE_URL"] = u.String()
	settings := filepath.Join(app.Env["XDG_CONFIG_HOME"], "basalt", "settings.json")
	if err := os.MkdirAll(filepath.Dir(settings), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, []byte(secrettest.SettingsJSON()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	app.IO = &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut}
	return app, out, errOut
}

// TestPrintedConfigRedacted: config show and doctor, text and JSON, print
// the fixture's variables (so the test would see a leak) and none of its
// secrets.
func TestPrintedConfigRedacted(t *testing.T) {
	tests := []struct {
		args []string
		want string // proof that the output shows the redacted variables
	}{
		{[]string{"config", "show"}, "postgres://app:****@db.internal:5432/app"},
		{[]string{"config", "show", "--json"}, `"value": "postgres://app:****@db.internal:5432/app"`},
		{[]string{"doctor"}, "headers:"},
		{[]string{"doctor", "--json"}, `"id": "headers"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			app, out, errOut := secretsApp(t)
			run(t.Context(), app, tt.args)
			all := out.String() + errOut.String()
			if !strings.Contains(all, tt.want) {
				t.Fatalf("output does not show %q:\n%s", tt.want, all)
			}
			if got := secrettest.Find(all); len(got) > 0 {
				t.Errorf("basalt %s prints %v:\n%s", strings.Join(tt.args, " "), got, all)
			}
		})
	}
}

type credentials struct{ Token string }

// TestLogRedacted: the log handler hides the fixture's secrets wherever
// they sit in a record: the message, an attribute named like a secret, a
// string, an error, a struct, a group.
func TestLogRedacted(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: redactAttr}))
	for _, s := range secrettest.Fixture() {
		if s.Value == "" {
			continue
		}
		log.Info("request with "+s.Name+"="+s.Value, "session", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
		log.Debug("env", s.Name, s.Value)
		log.Debug("env", "text", s.Name+"="+s.Value)
		log.Warn("failed", "err", errors.New("dial "+s.Name+"="+s.Value+": refused"))
		log.Debug("struct", "value", credentials{Token: s.Value}, slog.Group("g", "v", s.Name+": "+s.Value))
	}
	if got := secrettest.Find(buf.String()); len(got) > 0 {
		t.Errorf("the log holds %v:\n%s", got, buf.String())
	}
	if !strings.Contains(buf.String(), `"session":"7c9e6679-7425-40de-944b-e07fc1f90ae7"`) {
		t.Errorf("the session ID was redacted: a fixed log key is not a secret name")
	}
}
