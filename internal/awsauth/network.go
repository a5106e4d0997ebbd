package awsauth

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"sync"

	"golang.org/x/net/http/httpproxy"
)

// Network is what every connection basalt makes must honour on a
// corporate network: the certificate authorities to trust (Roots), the
// client certificate to present (mutual TLS) and the proxies, all read
// from the effective environment, so that a settings file's env applies
// as the process environment's does. The model client, the control plane
// (ListInferenceProfiles) and the AWS SDK's own credential calls (SSO,
// STS) are all configured from one Network (see [Network.Configure]), so
// they cannot disagree about the network. Files are read once, on first
// use. Network is safe for concurrent use.
type Network struct {
	Roots *Roots
	Cert  *ClientCert // nil: no client certificate
	// ProxyFor returns the proxy for a request URL (nil: go direct), from
	// HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case names).
	ProxyFor func(*url.URL) (*url.URL, error)
	// Proxies are the variables ProxyFor was built from, for doctor.
	Proxies httpproxy.Config

	once sync.Once
	tls  *tls.Config
	err  error
}

// NewNetwork reads the variables of env; it does no I/O.
func NewNetwork(env map[string]string) *Network {
	either := func(upper, lower string) string {
		if v := env[upper]; v != "" {
			return v
		}
		return env[lower]
	}
	n := &Network{Roots: NewRoots(env), Cert: NewClientCert(env)}
	n.Proxies = httpproxy.Config{
		HTTPProxy:  either("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: either("HTTPS_PROXY", "https_proxy"),
		NoProxy:    either("NO_PROXY", "no_proxy"),
	}
	n.ProxyFor = n.Proxies.ProxyFunc()
	return n
}

// TLSConfig is the client TLS configuration of every connection: nil
// when neither a CA bundle nor a client certificate is configured (Go's
// defaults). A bundle or certificate that cannot be used is a *CAError or
// a *CertError.
func (n *Network) TLSConfig() (*tls.Config, error) {
	n.once.Do(func() {
		pool, err := n.Roots.Pool()
		if err != nil {
			n.err = err
			return
		}
		var certs []tls.Certificate
		if n.Cert != nil {
			c, err := n.Cert.Load()
			if err != nil {
				n.err = err
				return
			}
			certs = []tls.Certificate{c}
		}
		if pool == nil && certs == nil {
			return
		}
		n.tls = &tls.Config{RootCAs: pool, Certificates: certs, MinVersion: tls.VersionTLS12}
	})
	if n.tls == nil {
		return nil, n.err
	}
	return n.tls.Clone(), n.err
}

// Configure applies the network to tr: its TLS configuration and its
// proxies. It replaces tr.Proxy, whose default reads only the process
// environment.
func (n *Network) Configure(tr *http.Transport) error {
	cfg, err := n.TLSConfig()
	if err != nil {
		return err
	}
	if cfg != nil {
		tr.TLSClientConfig = cfg
	}
	tr.Proxy = func(r *http.Request) (*url.URL, error) { return n.ProxyFor(r.URL) }
	return nil
}
