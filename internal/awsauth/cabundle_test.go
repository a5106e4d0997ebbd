package awsauth

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a self-signed CA certificate, as PEM.
func testCA(t *testing.T, name string) (*x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func trusts(pool *x509.CertPool, c *x509.Certificate) bool {
	_, err := c.Verify(x509.VerifyOptions{Roots: pool})
	return err == nil
}

// TestRoots: AWS_CA_BUNDLE replaces the system's roots (the AWS SDK for
// Go's rule), NODE_EXTRA_CA_CERTS adds to them (Node's), and a bundle
// that cannot be used names its variable and file.
func TestRoots(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sys, sysPEM := testCA(t, "system root")
	corp, corpPEM := testCA(t, "corporate root")
	_, extraPEM := testCA(t, "extra root")
	corpFile, extraFile, empty := filepath.Join(dir, "corp.pem"), filepath.Join(dir, "extra.pem"), filepath.Join(dir, "empty.pem")
	write(t, corpFile, string(corpPEM))
	write(t, extraFile, string(extraPEM))
	write(t, empty, "not a certificate\n")
	systemPool := func() (*x509.CertPool, error) {
		p := x509.NewCertPool()
		p.AppendCertsFromPEM(sysPEM)
		return p, nil
	}
	roots := func(env map[string]string) *Roots {
		r := NewRoots(env)
		r.systemPool = systemPool
		return r
	}

	if p, err := roots(map[string]string{}).Pool(); p != nil || err != nil {
		t.Errorf("no variable: pool %v, err %v; want the system's (nil)", p, err)
	}
	aws, err := roots(map[string]string{"AWS_CA_BUNDLE": corpFile}).Pool()
	if err != nil || !trusts(aws, corp) || trusts(aws, sys) {
		t.Errorf("AWS_CA_BUNDLE: err %v, trusts corporate %v, system %v; want only the bundle", err, trusts(aws, corp), trusts(aws, sys))
	}
	node, err := roots(map[string]string{"NODE_EXTRA_CA_CERTS": corpFile}).Pool()
	if err != nil || !trusts(node, corp) || !trusts(node, sys) {
		t.Errorf("NODE_EXTRA_CA_CERTS: err %v, trusts corporate %v, system %v; want both", err, trusts(node, corp), trusts(node, sys))
	}
	both := roots(map[string]string{"AWS_CA_BUNDLE": corpFile, "NODE_EXTRA_CA_CERTS": extraFile})
	if n, err := both.Count(); n != 2 || err != nil {
		t.Errorf("both: %d certificates, err %v; want 2", n, err)
	}

	for _, tt := range []struct{ name, v, file, want string }{
		{"missing", "AWS_CA_BUNDLE", filepath.Join(dir, "nope.pem"), "no such file"},
		{"no certificate", "NODE_EXTRA_CA_CERTS", empty, "no PEM certificate"},
	} {
		_, err := roots(map[string]string{tt.v: tt.file}).Pool()
		var ce *CAError
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tt.v+": ") || !strings.Contains(err.Error(), tt.file) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want a *CAError naming %s and %s: %s", tt.name, err, tt.v, tt.file, tt.want)
		}
	}
}

// TestChainSharesTheBundle: with AWS_CA_BUNDLE set, the credential
// chain's SDK clients are built from basalt's parse of the bundle, and a
// bundle that cannot be used stops New with the variable's name.
func TestChainSharesTheBundle(t *testing.T) {
	t.Parallel()
	env := sandbox(t)
	_, corpPEM := testCA(t, "corporate root")
	bundle := filepath.Join(env["HOME"], "corp.pem")
	write(t, bundle, string(corpPEM)+string(corpPEM))
	env["AWS_CA_BUNDLE"] = bundle
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIAEXAMPLE", "secret"
	roots := NewRoots(env)
	a, err := New(t.Context(), Options{Env: env, Roots: roots})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := roots.Count(); n != 1 || a.Mode() != ModeChain {
		t.Errorf("bundle parsed into %d certificates (mode %s); want 1 (twice the same) from the one parse", n, a.Mode())
	}
	if block, _ := pem.Decode(roots.first); block == nil || !bytes.Equal(pem.EncodeToMemory(block), roots.first) {
		t.Errorf("the SDK is not handed one certificate: %q", roots.first)
	}

	env["AWS_CA_BUNDLE"] = filepath.Join(env["HOME"], "missing.pem")
	_, err = New(t.Context(), Options{Env: env})
	var ce *CAError
	if !errors.As(err, &ce) || ce.Var != "AWS_CA_BUNDLE" {
		t.Errorf("New with a missing bundle: %v; want a *CAError for AWS_CA_BUNDLE", err)
	}
}

// TestSameBundleParsedOnce: the three variables naming one bundle, as a
// container's environment often does, cost about what one does: the
// certificates are parsed once, not once per variable.
func TestSameBundleParsedOnce(t *testing.T) {
	dir := t.TempDir()
	var bundle []byte
	var certs []*x509.Certificate
	for i := range 20 {
		c, p := testCA(t, "root "+string(rune('a'+i)))
		certs = append(certs, c)
		bundle = append(bundle, p...)
	}
	file := filepath.Join(dir, "bundle.pem")
	write(t, file, string(bundle))
	load := func(env map[string]string) *x509.CertPool {
		pool, err := NewRoots(env).Pool()
		if err != nil {
			t.Fatal(err)
		}
		return pool
	}
	all := map[string]string{"AWS_CA_BUNDLE": file, "SSL_CERT_FILE": file, "NODE_EXTRA_CA_CERTS": file}
	for _, c := range certs {
		if !trusts(load(all), c) {
			t.Fatalf("%s not trusted", c.Subject.CommonName)
		}
	}
	r := NewRoots(all)
	if n, err := r.Count(); err != nil || n != len(certs) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(certs))
	}
	one := testing.AllocsPerRun(5, func() { load(map[string]string{"AWS_CA_BUNDLE": file}) })
	three := testing.AllocsPerRun(5, func() { load(all) })
	if three > one*1.5 {
		t.Errorf("one variable: %.0f allocations; the same bundle under three: %.0f, want about the same", one, three)
	}
}
