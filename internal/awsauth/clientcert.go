package awsauth

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ClientCert is the client certificate of mutual TLS, as Claude Code
// reads it: CLAUDE_CODE_CLIENT_CERT (a PEM certificate, its chain may
// follow), CLAUDE_CODE_CLIENT_KEY (its PEM private key; when unset, the
// certificate file, which may hold both) and
// CLAUDE_CODE_CLIENT_KEY_PASSPHRASE for an encrypted key: PKCS#8
// "ENCRYPTED PRIVATE KEY" (PBES2, what `openssl pkcs8 -topk8 -v2 aes256`
// and `openssl genpkey -aes256` write) or a legacy OpenSSL "Proc-Type:
// 4,ENCRYPTED" key.
type ClientCert struct {
	CertFile   string
	KeyFile    string
	Passphrase string
}

// NewClientCert reads the variables of env; nil when no certificate is
// configured. It does no I/O.
func NewClientCert(env map[string]string) *ClientCert {
	cert, key := env["CLAUDE_CODE_CLIENT_CERT"], env["CLAUDE_CODE_CLIENT_KEY"]
	if cert == "" && key == "" {
		return nil
	}
	if key == "" {
		key = cert
	}
	return &ClientCert{CertFile: cert, KeyFile: key, Passphrase: env["CLAUDE_CODE_CLIENT_KEY_PASSPHRASE"]}
}

// CertError is a client certificate or key that cannot be used: it names
// the variable and the file, and what to do.
type CertError struct {
	Var  string // CLAUDE_CODE_CLIENT_CERT, CLAUDE_CODE_CLIENT_KEY or CLAUDE_CODE_CLIENT_KEY_PASSPHRASE
	File string
	Err  error
}

// Error names the file, then the variable: "CLAUDE_CODE_CLIENT_KEY: …"
// is the shape of a secret assignment, which the redaction rule hides.
func (e *CertError) Error() string {
	var pe *fs.PathError
	if e.File == "" || errors.As(e.Err, &pe) {
		return fmt.Sprintf("%v (%s)", e.Err, e.Var)
	}
	return fmt.Sprintf("%s: %v (%s)", e.File, e.Err, e.Var)
}

// Unwrap is the underlying error.
func (e *CertError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *CertError) Hint() string {
	switch e.Var {
	case "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE":
		return "set CLAUDE_CODE_CLIENT_KEY_PASSPHRASE to the passphrase of the client key (check it with `openssl pkey -in KEYFILE -noout`)"
	case "CLAUDE_CODE_CLIENT_KEY":
		return "point CLAUDE_CODE_CLIENT_KEY at the PEM private key of the certificate in CLAUDE_CODE_CLIENT_CERT; `basalt config show` says where each is set"
	}
	return "point CLAUDE_CODE_CLIENT_CERT at a readable PEM client certificate (and CLAUDE_CODE_CLIENT_KEY at its key), or unset it; `basalt config show` says where it is set"
}

// Load reads, decrypts and pairs the certificate and key. A file that
// cannot be read or parsed, a wrong or missing passphrase and a key that
// does not belong to the certificate are each a *CertError.
func (c *ClientCert) Load() (tls.Certificate, error) {
	if c.CertFile == "" {
		return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_CERT", Err: errors.New("unset, but CLAUDE_CODE_CLIENT_KEY is set")}
	}
	certPEM, err := os.ReadFile(c.CertFile)
	if err != nil {
		return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_CERT", File: c.CertFile, Err: err}
	}
	var chain [][]byte
	for rest := certPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			chain = append(chain, b.Bytes)
		}
	}
	if len(chain) == 0 {
		return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_CERT", File: c.CertFile, Err: errors.New("no PEM certificate in the file")}
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_CERT", File: c.CertFile, Err: err}
	}
	keyPEM := certPEM
	if c.KeyFile != c.CertFile {
		if keyPEM, err = os.ReadFile(c.KeyFile); err != nil {
			return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_KEY", File: c.KeyFile, Err: err}
		}
	}
	key, err := c.privateKey(keyPEM)
	if err != nil {
		return tls.Certificate{}, err
	}
	cert := tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: leaf}
	// tls.X509KeyPair's check, on the decrypted key: does the key
	// belong to the certificate?
	pub, ok := leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	signer, ok2 := key.(crypto.Signer)
	if !ok || !ok2 {
		return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_KEY", File: c.KeyFile, Err: fmt.Errorf("unsupported key type %T", key)}
	}
	if !pub.Equal(signer.Public()) {
		return tls.Certificate{}, &CertError{Var: "CLAUDE_CODE_CLIENT_KEY", File: c.KeyFile, Err: fmt.Errorf("the private key does not match the certificate in %s", c.CertFile)}
	}
	return cert, nil
}

// privateKey finds the private key among the PEM blocks of data and
// decrypts it when it is encrypted.
func (c *ClientCert) privateKey(data []byte) (any, error) {
	fail := func(err error) (any, error) {
		return nil, &CertError{Var: "CLAUDE_CODE_CLIENT_KEY", File: c.KeyFile, Err: err}
	}
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		der := b.Bytes
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY":
			if c.Passphrase == "" {
				return c.needPassphrase()
			}
			plain, err := decryptPKCS8(der, []byte(c.Passphrase))
			if err != nil {
				return c.badPassphrase(err)
			}
			der = plain
		case isLegacyEncrypted(b):
			if c.Passphrase == "" {
				return c.needPassphrase()
			}
			//lint:ignore SA1019 the only standard-library reader of legacy OpenSSL encrypted keys, which teams still have
			plain, err := x509.DecryptPEMBlock(b, []byte(c.Passphrase)) //nolint:staticcheck
			if err != nil {
				return c.badPassphrase(err)
			}
			der = plain
		case b.Type != "PRIVATE KEY" && b.Type != "RSA PRIVATE KEY" && b.Type != "EC PRIVATE KEY":
			continue
		}
		if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
			return k, nil
		}
		if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
			return k, nil
		}
		if k, err := x509.ParseECPrivateKey(der); err == nil {
			return k, nil
		}
		return fail(errors.New("the private key cannot be parsed (want PKCS#8, PKCS#1 or SEC 1 PEM)"))
	}
	return fail(errors.New("no PEM private key in the file"))
}

func isLegacyEncrypted(b *pem.Block) bool {
	//lint:ignore SA1019 see privateKey
	return x509.IsEncryptedPEMBlock(b) //nolint:staticcheck
}

func (c *ClientCert) needPassphrase() (any, error) {
	return nil, &CertError{Var: "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", Err: fmt.Errorf("the client key %s is encrypted and no passphrase is set", c.KeyFile)}
}

func (c *ClientCert) badPassphrase(err error) (any, error) {
	return nil, &CertError{Var: "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", Err: fmt.Errorf("cannot decrypt the client key %s: %v (a wrong passphrase?)", c.KeyFile, err)}
}
