package harness

import (
	"bytes"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestScrubLog: a secret value of the configuration, whatever its shape,
// is hidden in every part of a log line: the message, strings, errors,
// groups and attributes bound with With.
func TestScrubLog(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	cfg, err := config.Load(t.Context(), config.Input{Env: map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"),
		"GATEWAY_TOKEN":            "team42gateway",               // secret by name, from the process
		"ANTHROPIC_CUSTOM_HEADERS": "X-Gateway-Key: hdrvalue77xx", // a header's value
		"AWS_REGION":               "us-east-1",                   // not a secret
	}, WorkDir: home, ManagedPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := scrubLog(slog.New(slog.NewJSONHandler(&buf, nil)), logSecrets(cfg))
	log.With("bound", "team42gateway").Info("ran echo hdrvalue77xx",
		"err", errors.New("gateway said team42gateway is wrong"),
		slog.Group("req", "header", "hdrvalue77xx"),
		"region", "us-east-1")
	got := buf.String()
	for _, secret := range []string{"team42gateway", "hdrvalue77xx"} {
		if strings.Contains(got, secret) {
			t.Errorf("the log shows %q:\n%s", secret, got)
		}
	}
	for _, want := range []string{`"msg":"ran echo ****"`, `"bound":"****"`, `"err":"gateway said **** is wrong"`, `"req":{"header":"****"}`, `"region":"us-east-1"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the log does not have %s:\n%s", want, got)
		}
	}
}
