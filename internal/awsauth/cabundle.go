package awsauth

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// Roots are the certificate authorities basalt's TLS connections trust,
// from the effective environment (settings files' env included), as the
// tools a team already uses read them:
//
//   - AWS_CA_BUNDLE, as the AWS SDK for Go does: the bundle's
//     certificates replace the system's roots;
//   - SSL_CERT_FILE, as OpenSSL and Go do: its certificates replace the
//     system's roots (together with AWS_CA_BUNDLE's when both are set).
//     Go reads it only from the process environment; basalt reads it
//     from the effective one, so a settings file's env applies too;
//   - NODE_EXTRA_CA_CERTS, as Claude Code (Node) does: its certificates
//     are added to the system's roots (or to those of the two above).
//
// The files are read and parsed once, on the first call of [Roots.Pool],
// and the AWS SDK's clients (SSO, STS) share that parse (see
// [Auth.chainOptions]). That first call comes at start-up, when the
// credential chain is built, so that a bundle that cannot be used stops
// basalt there, naming the variable and the file, rather than failing the
// first request. Roots is safe for concurrent use.
type Roots struct {
	AWSBundle  string // AWS_CA_BUNDLE: a path, "" when unset
	SSLCert    string // SSL_CERT_FILE
	NodeExtra  string // NODE_EXTRA_CA_CERTS
	systemPool func() (*x509.CertPool, error)

	once  sync.Once
	pool  *x509.CertPool
	first []byte // the first PEM block of AWS_CA_BUNDLE (see sdkBundle)
	count int
	err   error
}

// NewRoots reads the variables from env; it does no I/O.
func NewRoots(env map[string]string) *Roots {
	return &Roots{AWSBundle: env["AWS_CA_BUNDLE"], SSLCert: env["SSL_CERT_FILE"], NodeExtra: env["NODE_EXTRA_CA_CERTS"], systemPool: x509.SystemCertPool}
}

// Custom reports whether a variable asks for other roots than the
// system's.
func (r *Roots) Custom() bool {
	return r != nil && (r.AWSBundle != "" || r.SSLCert != "" || r.NodeExtra != "")
}

// CAError is a bundle that cannot be used: it names the variable and the
// file, and what to do.
type CAError struct {
	Var  string // AWS_CA_BUNDLE, SSL_CERT_FILE or NODE_EXTRA_CA_CERTS
	File string
	Err  error
}

func (e *CAError) Error() string { return varFileError(e.Var, e.File, e.Err) }

// varFileError names the variable and the file. Not "VAR=FILE": that is
// the shape of an assignment, which the redaction rule hides when the
// name looks secret (…_CERTS, …_KEY).
func varFileError(name, file string, err error) string {
	var pe *fs.PathError
	if file == "" || errors.As(err, &pe) { // a PathError names the file itself
		return fmt.Sprintf("%s: %v", name, err)
	}
	return fmt.Sprintf("%s: %s: %v", name, file, err)
}

// Unwrap is the underlying read error, if any.
func (e *CAError) Unwrap() error { return e.Err }

// Hint says what to do.
func (e *CAError) Hint() string {
	return fmt.Sprintf("point %s at a readable PEM file holding your organisation's CA certificate(s), or unset it; `basalt config show` says where it is set", e.Var)
}

// Pool returns the pool to verify servers with: nil (the system's roots)
// when no variable is set. An unreadable bundle, or one without a single
// certificate, is a *CAError.
func (r *Roots) Pool() (*x509.CertPool, error) {
	if !r.Custom() {
		return nil, nil
	}
	r.once.Do(r.load)
	return r.pool, r.err
}

// Count is the number of certificates the variables added; it loads them.
func (r *Roots) Count() (int, error) {
	_, err := r.Pool()
	return r.count, err
}

func (r *Roots) load() {
	seen := map[string]bool{}
	read := map[string]bool{}
	// add appends the file a variable names, once per path: the three
	// variables often name the same system bundle, and its certificates
	// would all be duplicates of the first reading.
	add := func(pool *x509.CertPool, name, path string) ([]byte, bool) {
		if read[path] {
			return nil, true
		}
		n, first, err := appendFile(pool, seen, name, path)
		if err != nil {
			r.err = err
			return nil, false
		}
		read[path] = true
		r.count += n
		return first, true
	}
	var pool *x509.CertPool
	if r.AWSBundle != "" || r.SSLCert != "" {
		pool = x509.NewCertPool()
		if r.AWSBundle != "" {
			first, ok := add(pool, "AWS_CA_BUNDLE", r.AWSBundle)
			if !ok {
				return
			}
			r.first = first
		}
		if r.SSLCert != "" {
			if _, ok := add(pool, "SSL_CERT_FILE", r.SSLCert); !ok {
				return
			}
		}
	} else {
		sys, err := r.systemPool()
		if err != nil || sys == nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	}
	if r.NodeExtra != "" {
		if _, ok := add(pool, "NODE_EXTRA_CA_CERTS", r.NodeExtra); !ok {
			return
		}
	}
	r.pool = pool
}

// appendFile adds every certificate of a PEM file to pool and returns how
// many new ones it held (seen holds those already added) and the first
// CERTIFICATE block, re-encoded.
func appendFile(pool *x509.CertPool, seen map[string]bool, name, path string) (int, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, &CAError{Var: name, File: path, Err: err}
	}
	n, found := 0, false
	var first []byte
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if seen[string(block.Bytes)] {
			// Added already, by an earlier variable naming the same
			// bundle (AWS_CA_BUNDLE, SSL_CERT_FILE and NODE_EXTRA_CA_CERTS
			// often all name the system's): parsing it again would cost a
			// few milliseconds per bundle before the first request.
			if first == nil {
				first = pem.EncodeToMemory(block)
			}
			found = true
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue // as the SDK and Node do: a bad block is skipped
		}
		if first == nil {
			first = pem.EncodeToMemory(block)
		}
		found = true
		// cert.Raw is block.Bytes: ParseCertificate refuses trailing data.
		if seen[string(cert.Raw)] {
			continue
		}
		seen[string(cert.Raw)] = true
		pool.AddCert(cert)
		n++
	}
	if !found {
		return 0, nil, &CAError{Var: name, File: path, Err: fmt.Errorf("no PEM certificate in the file")}
	}
	return n, first, nil
}

// sdkBundle is what the AWS SDK is handed as its custom CA bundle when
// basalt has already parsed AWS_CA_BUNDLE into the pool of the SDK's own
// HTTP client: the bundle's first certificate alone, which the SDK adds
// to that pool (where it already is, so nothing changes). The SDK insists
// on a bundle of its own when AWS_CA_BUNDLE is in the process
// environment; this way the 100-odd certificates of a system bundle are
// parsed once, not twice.
func (r *Roots) sdkBundle() io.Reader {
	return bytes.NewReader(r.first)
}
