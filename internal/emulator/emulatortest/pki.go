package emulatortest

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// PKI is a private certificate authority for tests, written as PEM files:
// what a corporate network's TLS-inspecting proxy or gateway presents.
type PKI struct {
	Dir string
	// CA signs the server's certificate (what a client must trust);
	// ClientCA signs the client's (what an mTLS server requires).
	CA, ClientCA string
	// ServerCert and ServerKey are for 127.0.0.1, ::1 and localhost.
	ServerCert, ServerKey string
	// ClientCert is a client certificate; ClientKey its key unencrypted,
	// ClientKeyPKCS8Enc the same key as an encrypted PKCS#8 (PBES2,
	// PBKDF2-HMAC-SHA256, AES-256-CBC) and ClientKeyLegacyEnc as a legacy
	// OpenSSL "Proc-Type: 4,ENCRYPTED" block, both under Passphrase.
	ClientCert, ClientKey, ClientKeyPKCS8Enc, ClientKeyLegacyEnc string
	Passphrase                                                   string
	// OtherCA is a CA that signed nothing here: trusting it alone must
	// fail.
	OtherCA string
}

// WritePKI creates a fresh PKI in dir (created if needed).
func WritePKI(dir string) (*PKI, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := &PKI{Dir: dir, Passphrase: "correct horse battery staple"}
	file := func(name string) string { return filepath.Join(dir, name) }
	ca, caKey, err := newCA("basalt test CA")
	if err != nil {
		return nil, err
	}
	clientCA, clientCAKey, err := newCA("basalt test client CA")
	if err != nil {
		return nil, err
	}
	other, _, err := newCA("basalt unrelated CA")
	if err != nil {
		return nil, err
	}
	serverDER, serverKey, err := newLeaf(ca, caKey, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	if err != nil {
		return nil, err
	}
	clientDER, clientKey, err := newLeaf(clientCA, clientCAKey, "basalt-test-client", x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, err
	}
	serverKeyDER, err := x509.MarshalPKCS8PrivateKey(serverKey)
	if err != nil {
		return nil, err
	}
	clientKeyDER, err := x509.MarshalPKCS8PrivateKey(clientKey)
	if err != nil {
		return nil, err
	}
	encDER, err := encryptPKCS8(clientKeyDER, []byte(p.Passphrase))
	if err != nil {
		return nil, err
	}
	ecDER, err := x509.MarshalECPrivateKey(clientKey)
	if err != nil {
		return nil, err
	}
	//lint:ignore SA1019 the legacy format teams still have, which basalt must read
	legacy, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", ecDER, []byte(p.Passphrase), x509.PEMCipherAES256) //nolint:staticcheck
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		path *string
		name string
		b    *pem.Block
	}{
		{&p.CA, "ca.pem", &pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}},
		{&p.ClientCA, "client-ca.pem", &pem.Block{Type: "CERTIFICATE", Bytes: clientCA.Raw}},
		{&p.OtherCA, "other-ca.pem", &pem.Block{Type: "CERTIFICATE", Bytes: other.Raw}},
		{&p.ServerCert, "server.pem", &pem.Block{Type: "CERTIFICATE", Bytes: serverDER}},
		{&p.ServerKey, "server-key.pem", &pem.Block{Type: "PRIVATE KEY", Bytes: serverKeyDER}},
		{&p.ClientCert, "client.pem", &pem.Block{Type: "CERTIFICATE", Bytes: clientDER}},
		{&p.ClientKey, "client-key.pem", &pem.Block{Type: "PRIVATE KEY", Bytes: clientKeyDER}},
		{&p.ClientKeyPKCS8Enc, "client-key-enc.pem", &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: encDER}},
		{&p.ClientKeyLegacyEnc, "client-key-legacy.pem", legacy},
	} {
		*f.path = file(f.name)
		if err := os.WriteFile(*f.path, pem.EncodeToMemory(f.b), 0o600); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// NewPKI is [WritePKI] in a temporary directory of t.
func NewPKI(t testing.TB) *PKI {
	t.Helper()
	p, err := WritePKI(t.TempDir())
	if err != nil {
		t.Fatalf("write test PKI: %v", err)
	}
	return p
}

// NewTLS is [New] over TLS with the PKI's server certificate; with mTLS,
// the listener requires a client certificate signed by its client CA.
func NewTLS(t testing.TB, opts emulator.Options, p *PKI, mTLS bool) *emulator.Running {
	t.Helper()
	files := emulator.TLSFiles{Cert: p.ServerCert, Key: p.ServerKey}
	if mTLS {
		files.ClientCA = p.ClientCA
	}
	cfg, err := files.Config()
	if err != nil {
		t.Fatalf("emulator TLS: %v", err)
	}
	r, err := emulator.StartTLS(context.Background(), emulator.DefaultAddr, opts, cfg)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("emulator: %v", err)
		}
	})
	return r
}

func newCA(name string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"basalt tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func newLeaf(ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	if usage == x509.ExtKeyUsageServerAuth {
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
		tmpl.DNSNames = []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	return der, key, err
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// encryptPKCS8 writes an EncryptedPrivateKeyInfo with PBES2,
// PBKDF2-HMAC-SHA256 (2048 rounds) and AES-256-CBC, as `openssl pkcs8
// -topk8 -v2 aes256` does.
func encryptPKCS8(der, passphrase []byte) ([]byte, error) {
	salt, iv := make([]byte, 16), make([]byte, aes.BlockSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(iv); err != nil {
		return nil, err
	}
	const rounds = 2048
	key, err := pbkdf2.Key(sha256.New, string(passphrase), salt, rounds, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(der)%aes.BlockSize
	plain := append(append([]byte{}, der...), make([]byte, pad)...)
	for i := len(der); i < len(plain); i++ {
		plain[i] = byte(pad)
	}
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, plain)

	type algo struct {
		OID    asn1.ObjectIdentifier
		Params any `asn1:"optional"`
	}
	kdfParams := struct {
		Salt       []byte
		Iterations int
		PRF        struct {
			OID  asn1.ObjectIdentifier
			Null asn1.RawValue
		}
	}{Salt: salt, Iterations: rounds}
	kdfParams.PRF.OID = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9} // hmacWithSHA256
	kdfParams.PRF.Null = asn1.NullRawValue
	pbes2 := struct {
		KDF    algo
		Cipher struct {
			OID asn1.ObjectIdentifier
			IV  []byte
		}
	}{KDF: algo{OID: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}, Params: kdfParams}}
	pbes2.Cipher.OID = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42} // aes256-CBC
	pbes2.Cipher.IV = iv
	info := struct {
		Algo algo
		Data []byte
	}{Algo: algo{OID: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}, Params: pbes2}, Data: out}
	b, err := asn1.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("marshal encrypted key: %w", err)
	}
	return b, nil
}
