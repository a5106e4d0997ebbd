package cli

import (
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

// TestDoctorPrivateCA is the corporate network's story: Bedrock (the
// emulator) behind TLS with a private CA. Without the CA the endpoint is
// unreachable in one sentence that says why; with NODE_EXTRA_CA_CERTS or
// AWS_CA_BUNDLE naming it, every check passes, the control plane's and
// the models' requests alike.
func TestDoctorPrivateCA(t *testing.T) {
	t.Parallel()
	emu, err := emulator.New(emulator.Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(emu)
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "corp.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr bool
		want    []string
	}{
		{"untrusted", nil, true, []string{
			"✗ profiles: cannot reach " + srv.URL + " (ANTHROPIC_BEDROCK_BASE_URL, from env): TLS: the server's certificate is signed by an authority this machine does not trust",
			"NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or SSL_CERT_FILE", "✗ tls: TLS handshake with "}},
		{"NODE_EXTRA_CA_CERTS", map[string]string{"NODE_EXTRA_CA_CERTS": ca}, false, []string{
			"✓ ca-bundles: 1 certificate from NODE_EXTRA_CA_CERTS " + ca + " (env NODE_EXTRA_CA_CERTS), added to the system's", "✓ profiles:", "✓ model.primary:"}},
		{"AWS_CA_BUNDLE", map[string]string{"AWS_CA_BUNDLE": ca}, false, []string{
			"✓ ca-bundles: 1 certificate from AWS_CA_BUNDLE", "✓ profiles:", "✓ model.small-fast:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, out, _ := testApp()
			app.WorkDir = t.TempDir()
			app.Env = emulatortest.ClientEnv(t, srv.URL)
			for k, v := range tt.env {
				app.Env[k] = v
			}
			err := runDoctor(t.Context(), app, &doctorOptions{})
			if (err != nil) != tt.wantErr || err != nil && !errors.Is(err, errReported) {
				t.Errorf("doctor: %v, want failure %v\n%s", err, tt.wantErr, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("doctor does not say %q:\n%s", w, out)
				}
			}
			if strings.Contains(out.String(), "operation error") {
				t.Errorf("doctor shows the SDK's error chain:\n%s", out)
			}
		})
	}
}
