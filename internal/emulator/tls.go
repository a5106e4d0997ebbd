package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
)

// TLSFiles are the files of a TLS listener (`basalt emulator --tls-cert
// --tls-key --client-ca`): a server certificate and key, and optionally
// the CA whose client certificates the listener requires (mutual TLS, as
// a corporate gateway may).
type TLSFiles struct {
	Cert     string
	Key      string
	ClientCA string
}

// Config loads the files into a server TLS configuration. Over TLS the
// emulator speaks HTTP/1.1 only (no ALPN h2), which every client basalt
// is checked against supports.
func (f TLSFiles) Config() (*tls.Config, error) {
	if f.Cert == "" || f.Key == "" {
		return nil, errors.New("a TLS listener needs both a certificate and its key")
	}
	cert, err := tls.LoadX509KeyPair(f.Cert, f.Key)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate %s and key %s: %w", f.Cert, f.Key, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
	if f.ClientCA != "" {
		pem, err := os.ReadFile(f.ClientCA)
		if err != nil {
			return nil, fmt.Errorf("read client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("client CA %s: no PEM certificate in the file", f.ClientCA)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// StartTLS is [Start] over TLS: the server answers on https://HOST:PORT
// with cfg (see [TLSFiles.Config]). A client that does not trust the
// certificate, or presents no client certificate when cfg requires one,
// fails its handshake and never reaches a handler, so the ledger does not
// see it.
func StartTLS(ctx context.Context, addr string, opts Options, cfg *tls.Config) (*Running, error) {
	return start(ctx, addr, opts, "https", func(ln net.Listener) net.Listener { return tls.NewListener(ln, cfg) })
}
