package emulator_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

const tierBody = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}`

// TestServiceTier: the tier header is checked and reflected on
// InvokeModel (echoHeaders), as Bedrock binds it, recorded in the ledger,
// and left alone where it is not bound.
func TestServiceTier(t *testing.T) {
	var ledger bytes.Buffer
	emu := emulatortest.New(t, emulator.Options{AllowUnsigned: true, Ledger: &ledger})
	cases := []struct {
		name, path, tier string
		wantStatus       int
		wantReflect      string
		wantType         string
	}{
		{"priority", "/model/global.anthropic.claude-sonnet-4-6/invoke", "priority", 200, "priority", ""},
		{"flex", "/model/global.anthropic.claude-sonnet-4-6/invoke", "flex", 200, "flex", ""},
		{"default", "/model/global.anthropic.claude-sonnet-4-6/invoke", "default", 200, "default", ""},
		{"none", "/model/global.anthropic.claude-sonnet-4-6/invoke", "", 200, "", ""},
		{"case matters, as in a Smithy enum", "/model/global.anthropic.claude-sonnet-4-6/invoke", "Priority", 400, "", "ValidationException"},
		{"unknown tier", "/model/global.anthropic.claude-sonnet-4-6/invoke", "turbo", 400, "", "ValidationException"},
		{"not bound by Mantle", "/anthropic/v1/messages", "turbo", 200, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tierBody
			if strings.HasPrefix(tc.path, "/anthropic/") {
				body = `{"model":"anthropic.claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}`
			}
			req, _ := http.NewRequest(http.MethodPost, emu.URL+tc.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if tc.tier != "" {
				req.Header.Set("X-Amzn-Bedrock-Service-Tier", tc.tier)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("X-Amzn-Bedrock-Service-Tier"); got != tc.wantReflect {
				t.Errorf("response tier %q, want %q", got, tc.wantReflect)
			}
			if got := resp.Header.Get("X-Amzn-ErrorType"); !strings.HasPrefix(got, tc.wantType) {
				t.Errorf("error type %q, want %q", got, tc.wantType)
			}
		})
	}
	var tiers []string
	for _, line := range strings.Split(strings.TrimSpace(ledger.String()), "\n") {
		var r emulator.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		tiers = append(tiers, r.ServiceTier)
	}
	if got, want := strings.Join(tiers, ","), "priority,flex,default,,Priority,turbo,"; got != want {
		t.Errorf("ledger tiers %q, want %q", got, want)
	}
}

// TestTLSListener: the emulator over TLS with a private CA, and with
// client certificates required.
func TestTLSListener(t *testing.T) {
	pki := emulatortest.NewPKI(t)
	caPEM, _ := os.ReadFile(pki.CA)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	clientCert, err := tls.LoadX509KeyPair(pki.ClientCert, pki.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	get := func(url string, cfg *tls.Config) error {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		resp, err := c.Get(url + "/foundation-models")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
	plain := emulatortest.NewTLS(t, emulator.Options{AllowUnsigned: true}, pki, false)
	if !strings.HasPrefix(plain.URL, "https://") {
		t.Fatalf("URL %s, want https://", plain.URL)
	}
	var unknown *tls.CertificateVerificationError
	if err := get(plain.URL, &tls.Config{}); !errors.As(err, &unknown) {
		t.Errorf("without the CA: err = %v, want a verification error", err)
	}
	if err := get(plain.URL, &tls.Config{RootCAs: roots}); err != nil {
		t.Errorf("with the CA: %v", err)
	}
	mtls := emulatortest.NewTLS(t, emulator.Options{AllowUnsigned: true}, pki, true)
	if err := get(mtls.URL, &tls.Config{RootCAs: roots}); err == nil || !strings.Contains(err.Error(), "certificate required") {
		t.Errorf("mTLS without a client certificate: err = %v, want certificate required", err)
	}
	if err := get(mtls.URL, &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert}}); err != nil {
		t.Errorf("mTLS with the client certificate: %v", err)
	}
	if _, err := (emulator.TLSFiles{Cert: pki.ServerCert}).Config(); err == nil {
		t.Errorf("a certificate without its key: no error")
	}
}
