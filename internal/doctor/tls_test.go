package doctor

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func caPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "corp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// TestCABundles: doctor loads the bundles every connection trusts, says
// where each is set and how it applies, and fails naming the variable
// and the file of one it cannot use, skipping the network checks.
func TestCABundles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	corp := caPEM(t)
	for name, content := range map[string]string{"corp.pem": corp, "twice.pem": corp + corp, "empty.pem": "hello\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name   string
		env    map[string]string
		files  map[string]string
		status Status
		want   []string
	}{
		{"unset", nil, nil, StatusOK, []string{"the system's certificate authorities"}},
		{"AWS_CA_BUNDLE", map[string]string{"AWS_CA_BUNDLE": at("twice.pem")}, nil,
			StatusOK, []string{"1 certificate from AWS_CA_BUNDLE", "(env AWS_CA_BUNDLE), replacing the system's"}},
		{"NODE_EXTRA_CA_CERTS from a settings file", nil, map[string]string{".claude/settings.local.json": `{"env":{"NODE_EXTRA_CA_CERTS":"` + at("corp.pem") + `"}}`},
			StatusOK, []string{"1 certificate from NODE_EXTRA_CA_CERTS", "settings.local.json", "added to the system's"}},
		{"no certificate", map[string]string{"NODE_EXTRA_CA_CERTS": at("empty.pem")}, nil,
			StatusFail, []string{"NODE_EXTRA_CA_CERTS (env NODE_EXTRA_CA_CERTS): no PEM certificate in the file", "empty.pem"}},
		{"missing", map[string]string{"AWS_CA_BUNDLE": at("gone.pem")}, nil, StatusFail, []string{"AWS_CA_BUNDLE (env AWS_CA_BUNDLE): open", "gone.pem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := load(t, bedrockEnv(tt.env), tt.files)
			if cfg == nil {
				t.Fatal(err)
			}
			r := &runner{in: Input{Config: cfg}}
			c := r.checkCABundles(t.Context())
			text := c.Summary + "\n" + c.Detail + "\n" + c.Fix
			if c.Status != tt.status {
				t.Errorf("status %s, want %s:\n%s", c.Status, tt.status, text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("check does not say %q:\n%s", w, text)
				}
			}
			if (tt.status == StatusFail) != (r.blocked != "") {
				t.Errorf("blocked = %q", r.blocked)
			}
		})
	}
}
