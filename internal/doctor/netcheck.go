package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/cost"
)

// This file checks the corporate network by connecting: the client
// certificate loads and pairs with its key, the proxy that requests go
// through answers, and the endpoint's certificate chain verifies against
// the configured certificate authorities in a TLS handshake, with the
// client certificate presented. It also explains the service tier.

const dialCheckTimeout = 5 * time.Second

// network is the session's network, or one read from the environment.
func (r *runner) network() *awsauth.Network {
	if r.in.Network != nil {
		return r.in.Network
	}
	n := awsauth.NewNetwork(r.in.Config.EnvMap())
	if r.in.Roots != nil {
		n.Roots = r.in.Roots
	}
	return n
}

// connects reports whether the checks that open connections of their
// own may run: only when the caller handed over the session's network
// (basalt doctor does); checks run on a fake client connect nowhere.
func (r *runner) connects() bool { return r.in.Network != nil }

// checkClientCert loads CLAUDE_CODE_CLIENT_CERT and its key, decrypting
// the key with CLAUDE_CODE_CLIENT_KEY_PASSPHRASE, and checks they belong
// together.
func (r *runner) checkClientCert(context.Context) Check {
	c := Check{ID: "client-cert", Status: StatusOK}
	cc := r.network().Cert
	if cc == nil {
		c.Summary = "no client certificate (CLAUDE_CODE_CLIENT_CERT is unset)"
		return c
	}
	cert, err := cc.Load()
	if err != nil {
		c.Status, c.Summary = StatusFail, err.Error()
		var ce *awsauth.CertError
		if errors.As(err, &ce) {
			c.Summary = fmt.Sprintf("%s (%s): %v", ce.Var, r.varSource(ce.Var), ce.Err)
			c.Fix = ce.Hint()
		}
		r.blocked = "the client certificate cannot be used (see client-cert)"
		return c
	}
	leaf := cert.Leaf
	enc := ""
	if cc.Passphrase != "" {
		enc = ", key decrypted with CLAUDE_CODE_CLIENT_KEY_PASSPHRASE"
	}
	c.Summary = fmt.Sprintf("%s (%s), issued by %s, valid until %s%s", cc.CertFile, leaf.Subject.CommonName, leaf.Issuer.CommonName, leaf.NotAfter.Format("2006-01-02"), enc)
	if now := r.in.Now(); now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("the client certificate %s is not valid now (valid %s to %s)", cc.CertFile, leaf.NotBefore.Format(time.DateOnly), leaf.NotAfter.Format(time.DateOnly))
		c.Fix = "renew the certificate and point CLAUDE_CODE_CLIENT_CERT at the new one"
	}
	return c
}

// checkProxyReachable connects to the proxy the endpoint's requests go
// through. Only a proxy that applies is tried: doctor sends nothing to a
// proxy no request would use.
func (r *runner) checkProxyReachable(ctx context.Context) Check {
	c := Check{ID: "proxy-reachable", Status: StatusOK}
	u := r.target()
	if !r.connects() {
		c.Status, c.Summary = StatusSkip, "not tried: no network given"
		return c
	}
	if u == nil {
		c.Status, c.Summary = StatusSkip, "no endpoint to reach"
		return c
	}
	proxy, err := r.network().ProxyFor(u)
	if err != nil || proxy == nil {
		c.Status, c.Summary = StatusSkip, fmt.Sprintf("requests to %s do not go through a proxy", u.Host)
		return c
	}
	addr := proxy.Host
	if proxy.Port() == "" {
		addr = net.JoinHostPort(proxy.Hostname(), map[string]string{"https": "443", "socks5": "1080", "socks5h": "1080"}[proxy.Scheme])
		if strings.HasSuffix(addr, ":") {
			addr += "80"
		}
	}
	dctx, cancel := context.WithTimeout(ctx, dialCheckTimeout)
	defer cancel()
	start := time.Now()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("the proxy %s does not answer: %v", proxy.Redacted(), err)
		c.Fix = "check HTTPS_PROXY/HTTP_PROXY (`basalt config show` says where they are set), or add the endpoint to NO_PROXY if it is reachable directly"
		r.blocked = "the proxy does not answer (see proxy-reachable)"
		return c
	}
	conn.Close()
	c.Summary = fmt.Sprintf("the proxy %s answers (%s); requests to %s go through it", proxy.Redacted(), time.Since(start).Round(time.Millisecond), u.Host)
	return c
}

// checkEndpointTLS makes a TLS handshake with the endpoint, trusting
// exactly what requests trust and presenting the client certificate, and
// reports whose chain it is: the check a TLS-inspecting proxy's users
// need. Through a proxy it is left to the requests that follow.
func (r *runner) checkEndpointTLS(ctx context.Context) Check {
	c := Check{ID: "tls", Status: StatusOK}
	u := r.target()
	if u == nil || u.Scheme != "https" {
		c.Status, c.Summary = StatusSkip, "the endpoint is not https"
		return c
	}
	if s, skip := r.networkSkip(c.ID); skip {
		return s
	}
	if !r.connects() {
		c.Status, c.Summary = StatusSkip, "not tried: no network given"
		return c
	}
	if p, _ := r.network().ProxyFor(u); p != nil {
		c.Status, c.Summary = StatusSkip, fmt.Sprintf("through the proxy %s: the requests below check the chain", p.Redacted())
		return c
	}
	cfg, err := r.network().TLSConfig()
	if err != nil {
		c.Status, c.Summary = StatusSkip, "not tried: "+err.Error()
		return c
	}
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	cfg.ServerName = u.Hostname()
	port := u.Port()
	if port == "" {
		port = "443"
	}
	dctx, cancel := context.WithTimeout(ctx, dialCheckTimeout)
	defer cancel()
	nc, err := (&tls.Dialer{Config: cfg}).DialContext(dctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("TLS handshake with %s: %v", u.Host, err)
		var unknown x509.UnknownAuthorityError
		var verify *tls.CertificateVerificationError
		switch {
		case errors.As(err, &unknown), errors.As(err, &verify):
			c.Fix = "the endpoint's certificate is signed by an authority basalt does not trust: a TLS-inspecting proxy's CA goes in NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or SSL_CERT_FILE (a PEM file)"
		default:
			c.Fix = "check the endpoint URL and the network"
		}
		return c
	}
	conn := nc.(*tls.Conn)
	defer conn.Close()
	// TLS 1.3 servers check a client certificate after the handshake:
	// read once so a refusal shows here, not on the first request.
	conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, rerr := conn.Read(make([]byte, 1)); rerr != nil {
		var op *net.OpError
		if errors.As(rerr, &op) && op.Op == "remote error" {
			c.Status = StatusFail
			c.Summary = fmt.Sprintf("%s refused this client after the handshake: %v", u.Host, op.Err)
			c.Fix = "set CLAUDE_CODE_CLIENT_CERT and CLAUDE_CODE_CLIENT_KEY to the client certificate the endpoint requires (mutual TLS)"
			return c
		}
	}
	st := conn.ConnectionState()
	chain := st.PeerCertificates
	issuer := "?"
	if len(st.VerifiedChains) > 0 {
		v := st.VerifiedChains[0]
		issuer = v[len(v)-1].Subject.CommonName
	} else if len(chain) > 0 {
		issuer = chain[0].Issuer.CommonName
	}
	mtls := ""
	if len(cfg.Certificates) > 0 {
		mtls = ", client certificate presented"
	}
	c.Summary = fmt.Sprintf("%s: %s, certificate chain verified up to %q%s", u.Host, tls.VersionName(st.Version), issuer, mtls)
	return c
}

// checkServiceTier says which tier requests ask for and what it does to
// the price.
func (r *runner) checkServiceTier(context.Context) Check {
	c := Check{ID: "service-tier", Status: StatusOK}
	cfg := r.in.Config
	if !r.bedrock() {
		c.Status, c.Summary = StatusSkip, "not used: service tiers are a Bedrock feature"
		return c
	}
	t := cfg.Net.ServiceTier
	switch {
	case !t.Set:
		c.Summary = "standard (ANTHROPIC_BEDROCK_SERVICE_TIER is unset)"
	case cfg.UsesMantle():
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("ANTHROPIC_BEDROCK_SERVICE_TIER=%s (%s) is not sent: Mantle has no tier header (as in Claude Code)", t.Value, t.Source)
		c.Fix = "unset it, or use the Bedrock runtime endpoint (unset CLAUDE_CODE_USE_MANTLE) for the tier"
	default:
		m := cost.Tier(t.Value).Multiplier()
		c.Summary = fmt.Sprintf("%s (%s): X-Amzn-Bedrock-Service-Tier: %s on every model request, priced at %g× the standard rate", t.Value, t.Source, t.Value, m)
		if t.Value != "default" {
			c.Detail = "not every model is offered on every tier; Bedrock answers with the tier that served each request, and basalt prices each request by that answer"
		}
	}
	return c
}
