package awsauth_test

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

// The openssl-* files were written by OpenSSL 3.0 (see
// testdata/README.md), so the decryption is checked against a writer we
// did not write; the emulatortest PKI's against ours.
func TestClientCertLoads(t *testing.T) {
	pki := emulatortest.NewPKI(t)
	td := func(name string) string { return filepath.Join("testdata", name) }
	combined := filepath.Join(t.TempDir(), "both.pem")
	cert, _ := os.ReadFile(pki.ClientCert)
	key, _ := os.ReadFile(pki.ClientKey)
	if err := os.WriteFile(combined, append(cert, key...), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name             string
		cert, key, pass  string
		wantVar, wantErr string // "" = loads
	}{
		{name: "plain PKCS#8", cert: pki.ClientCert, key: pki.ClientKey},
		{name: "certificate and key in one file", cert: combined},
		{name: "encrypted PKCS#8, ours", cert: pki.ClientCert, key: pki.ClientKeyPKCS8Enc, pass: pki.Passphrase},
		{name: "legacy encrypted PEM, ours", cert: pki.ClientCert, key: pki.ClientKeyLegacyEnc, pass: pki.Passphrase},
		{name: "encrypted PKCS#8 AES-256 SHA-256, openssl", cert: td("openssl-client.pem"), key: td("openssl-client-key-enc.pem"), pass: "s3cret"},
		{name: "encrypted PKCS#8 AES-128 SHA-1, openssl", cert: td("openssl-client.pem"), key: td("openssl-client-key-enc-sha1.pem"), pass: "s3cret"},
		{name: "legacy encrypted PEM, openssl", cert: td("openssl-client.pem"), key: td("openssl-client-key-legacy.pem"), pass: "s3cret"},
		{name: "encrypted without passphrase", cert: pki.ClientCert, key: pki.ClientKeyPKCS8Enc,
			wantVar: "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", wantErr: "encrypted and no passphrase is set"},
		{name: "wrong passphrase", cert: pki.ClientCert, key: pki.ClientKeyPKCS8Enc, pass: "nope",
			wantVar: "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", wantErr: "cannot decrypt"},
		{name: "wrong passphrase, legacy", cert: pki.ClientCert, key: pki.ClientKeyLegacyEnc, pass: "nope",
			wantVar: "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", wantErr: "cannot decrypt"},
		{name: "key of another certificate", cert: td("openssl-client.pem"), key: pki.ClientKey,
			wantVar: "CLAUDE_CODE_CLIENT_KEY", wantErr: "does not match the certificate"},
		{name: "missing certificate file", cert: filepath.Join(t.TempDir(), "gone.pem"), key: pki.ClientKey,
			wantVar: "CLAUDE_CODE_CLIENT_CERT", wantErr: "no such file"},
		{name: "certificate file without a certificate", cert: pki.ClientKey, key: pki.ClientKey,
			wantVar: "CLAUDE_CODE_CLIENT_CERT", wantErr: "no PEM certificate"},
		{name: "key file without a key", cert: pki.ClientCert, key: pki.ClientCert,
			wantVar: "CLAUDE_CODE_CLIENT_KEY", wantErr: "no PEM private key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"CLAUDE_CODE_CLIENT_CERT": tc.cert, "CLAUDE_CODE_CLIENT_KEY": tc.key, "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE": tc.pass}
			c := awsauth.NewClientCert(env)
			got, err := c.Load()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if got.Leaf == nil || got.PrivateKey == nil {
					t.Fatalf("Load returned no certificate or key")
				}
				return
			}
			var ce *awsauth.CertError
			if !errors.As(err, &ce) {
				t.Fatalf("Load error = %v, want a *CertError", err)
			}
			if ce.Var != tc.wantVar || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Load error = %v (var %s), want %s naming %q", err, ce.Var, tc.wantVar, tc.wantErr)
			}
			if ce.Hint() == "" || !strings.Contains(ce.Hint(), "CLAUDE_CODE_CLIENT_") {
				t.Errorf("hint %q does not say which variable to fix", ce.Hint())
			}
			if tc.pass != "" && strings.Contains(err.Error()+ce.Hint(), tc.pass) {
				t.Errorf("the error quotes the passphrase: %v", err)
			}
		})
	}
}

func TestNetworkProxiesFromEffectiveEnvironment(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		url  string
		want string // proxy URL, "" = direct
	}{
		{"https proxy", map[string]string{"HTTPS_PROXY": "http://proxy.corp:3128"}, "https://sts.us-east-1.amazonaws.com/", "http://proxy.corp:3128"},
		{"lower-case name", map[string]string{"https_proxy": "http://proxy.corp:3128"}, "https://portal.sso.us-east-1.amazonaws.com/", "http://proxy.corp:3128"},
		{"http proxy for http", map[string]string{"HTTP_PROXY": "http://proxy.corp:3128"}, "http://sts.basalt.test/", "http://proxy.corp:3128"},
		{"no proxy", map[string]string{"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": ".amazonaws.com"}, "https://sts.us-east-1.amazonaws.com/", ""},
		{"unset", map[string]string{}, "https://sts.us-east-1.amazonaws.com/", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := awsauth.NewNetwork(tc.env)
			tr := &http.Transport{}
			if err := n.Configure(tr); err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(tc.url)
			p, err := tr.Proxy(&http.Request{URL: u})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if p != nil {
				got = p.String()
			}
			if got != tc.want {
				t.Errorf("proxy for %s = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}

func TestNetworkTLSConfig(t *testing.T) {
	pki := emulatortest.NewPKI(t)
	n := awsauth.NewNetwork(map[string]string{"SSL_CERT_FILE": pki.CA, "CLAUDE_CODE_CLIENT_CERT": pki.ClientCert, "CLAUDE_CODE_CLIENT_KEY": pki.ClientKey})
	cfg, err := n.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg == nil || cfg.RootCAs == nil || len(cfg.Certificates) != 1 {
		t.Fatalf("TLS config = %+v, want the bundle's roots and one client certificate", cfg)
	}
	if cfg, _ := awsauth.NewNetwork(map[string]string{}).TLSConfig(); cfg != nil {
		t.Errorf("no variables: TLS config = %+v, want nil (Go's defaults)", cfg)
	}
	bad := awsauth.NewNetwork(map[string]string{"SSL_CERT_FILE": filepath.Join(t.TempDir(), "gone.pem")})
	var ca *awsauth.CAError
	if _, err := bad.TLSConfig(); !errors.As(err, &ca) || ca.Var != "SSL_CERT_FILE" {
		t.Errorf("missing SSL_CERT_FILE: err = %v, want a *CAError naming SSL_CERT_FILE", err)
	}
}
