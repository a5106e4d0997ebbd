package harness

import (
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
)

// TestHTTPClientTrustsCABundles: the model client trusts a private CA
// from AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS, also when a settings file's
// env sets it; a bundle it cannot use fails the request naming the
// variable and the file; and a ".invalid" name fails without a resolver.
func TestHTTPClientTrustsCABundles(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "corp.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(empty, []byte("# nothing\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	load := func(t *testing.T, env map[string]string, settingsEnv string) *config.Config {
		work := t.TempDir()
		env["HOME"], env["XDG_CONFIG_HOME"] = work, filepath.Join(work, "config")
		if settingsEnv != "" {
			p := filepath.Join(work, "config", "basalt", "settings.json")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(`{"env":`+settingsEnv+`}`), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := config.Load(t.Context(), config.Input{Env: env, WorkDir: work, ManagedPaths: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	tests := []struct {
		name        string
		env         map[string]string
		settingsEnv string
		url         string
		wantErr     string
	}{
		{"system roots only", map[string]string{}, "", srv.URL, "certificate signed by unknown authority"},
		{"AWS_CA_BUNDLE", map[string]string{"AWS_CA_BUNDLE": ca}, "", srv.URL, ""},
		{"NODE_EXTRA_CA_CERTS", map[string]string{"NODE_EXTRA_CA_CERTS": ca}, "", srv.URL, ""},
		{"from a settings file", map[string]string{}, `{"NODE_EXTRA_CA_CERTS":"` + ca + `"}`, srv.URL, ""},
		{"missing bundle", map[string]string{"AWS_CA_BUNDLE": filepath.Join(dir, "gone.pem")}, "", srv.URL, "AWS_CA_BUNDLE: open " + filepath.Join(dir, "gone.pem")},
		{"no certificate", map[string]string{"NODE_EXTRA_CA_CERTS": empty}, "", srv.URL, "NODE_EXTRA_CA_CERTS: " + empty + ": no PEM certificate in the file"},
		{"reserved name", map[string]string{}, "", "https://bedrock.example.invalid", "no such host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := HTTPClient(load(t, tt.env, tt.settingsEnv)).Get(tt.url)
			if resp != nil {
				resp.Body.Close()
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("request failed: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v; want one containing %q", err, tt.wantErr)
			}
			var ca *awsauth.CAError
			if strings.Contains(tt.wantErr, "=") && !errors.As(err, &ca) {
				t.Errorf("error %v is not a *awsauth.CAError", err)
			}
		})
	}
}

// TestEndpointSource: the error of an unreachable endpoint names what
// set it.
func TestEndpointSource(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(t.Context(), config.Input{Env: map[string]string{
		"HOME": t.TempDir(), "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1",
	}, WorkDir: t.TempDir(), ManagedPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ProviderConfig(cfg, nil).EndpointSource, "the endpoint of region eu-west-1, from env AWS_REGION"; got != want {
		t.Errorf("EndpointSource = %q, want %q", got, want)
	}
}
