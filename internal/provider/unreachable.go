package provider

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"

	"github.com/basalt-dev/basalt/internal/awsauth"
)

// This file tells an endpoint that cannot be reached at all (nothing
// listens, the name does not resolve, TLS cannot be agreed) from a
// connection lost in the middle of a request. The first is a setup
// mistake that no retry cures, so it fails at once naming the endpoint
// and what set it; only the second is retried. The failures are told
// apart by type (STYLE.md "Classify by type, not by text").

// unreachableReason says why no connection could be made, from the type
// of err; ok is false for any other failure (a dropped connection, a
// timeout after the request was sent, an error response).
func unreachableReason(err error) (reason string, ok bool) {
	var ca *awsauth.CAError
	if errors.As(err, &ca) {
		return "no TLS connection without its certificate authorities: " + ca.Error(), true
	}
	var cert *awsauth.CertError
	if errors.As(err, &cert) {
		return "no TLS connection without the client certificate: " + cert.Error(), true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return fmt.Sprintf("no such host %s", dns.Name), true
		}
		return fmt.Sprintf("cannot resolve %s: %s", dns.Name, dns.Err), true
	}
	if r, ok := tlsReason(err); ok {
		return r, true
	}
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		var what string
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			what = "connection refused (nothing listens there)"
		case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
			what = "no route to the host"
		case op.Timeout():
			what = "the connection timed out"
		default:
			what = "cannot connect: " + op.Err.Error()
		}
		if op.Op == "proxyconnect" {
			what = "the proxy: " + what
		}
		return what, true
	}
	return "", false
}

// tlsReason recognises a failed TLS handshake: a certificate the client
// does not trust, one for another host, or a server that does not speak
// TLS at all.
func tlsReason(err error) (string, bool) {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.As(err, &unknown):
		return "TLS: the server's certificate is signed by an authority this machine does not trust (a private CA: set NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or SSL_CERT_FILE to its PEM file)", true
	case errors.As(err, &host):
		return "TLS: " + host.Error(), true
	case errors.As(err, &invalid):
		return "TLS: " + invalid.Error(), true
	case errors.As(err, &verify):
		return "TLS: " + verify.Err.Error(), true
	case errors.As(err, &record), errors.Is(err, http.ErrSchemeMismatch):
		return "TLS: the server does not speak TLS (is the URL http:// rather than https://?)", true
	case errors.As(err, &alert):
		return "TLS: the server refused the handshake: " + alert.Error(), true
	}
	if refusedClient(err) {
		return "TLS: the server refused this client (" + errors.Unwrap(remoteAlert(err)).Error() + "): it requires a client certificate it trusts (mutual TLS)", true
	}
	return "", false
}

// remoteAlert is the alert a TLS server sent, as net/http returns it on
// the first read after a TLS 1.3 handshake (where the server checks the
// client's certificate after the client has finished): a *net.OpError
// whose Op is "remote error"; nil for anything else.
func remoteAlert(err error) *net.OpError {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		return op
	}
	return nil
}

// refusedClient reports whether the server refused the client's
// certificate, or its lack of one (alerts 42 bad_certificate, 48
// unknown_ca, 116 certificate_required; the alert type is unexported, so
// its number is read from its text).
func refusedClient(err error) bool {
	op := remoteAlert(err)
	if op == nil || op.Err == nil {
		return false
	}
	switch op.Err.Error() {
	case "tls: certificate required", "tls: bad certificate", "tls: unknown certificate authority", "tls: certificate unknown":
		return true
	}
	return false
}

// endpointOf is the scheme and host of the URL a failed request went to,
// read from the *url.Error net/http returns; fallback when there is none.
func endpointOf(err error, fallback string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return fallback
}

// unreachableError builds the *APIError of an endpoint that could not be
// reached, or returns nil when err is another failure. It is one
// sentence: the endpoint, what set it, and why it failed; the fix
// depends on what set it.
func (c *Client) unreachableError(err error, req Request) *APIError {
	reason, ok := unreachableReason(err)
	if !ok {
		return nil
	}
	region := req.Region
	if region == "" {
		region = c.cfg.Region
	}
	e := &APIError{Kind: KindUnreachable, Model: req.Model, Region: region, Message: reason, err: err}
	e.Endpoint = endpointOf(err, c.cfg.BaseURL)
	e.EndpointSource = c.cfg.EndpointSource
	if c.cfg.Provider == Anthropic {
		e.Region = ""
	}
	return e
}

// UnreachableError returns err as the clean *APIError of an unreachable
// endpoint when that is what it is, and err unchanged otherwise. The
// control plane (ListInferenceProfiles) and doctor use it so that a
// closed port reads as one sentence, not as the AWS SDK's error chain.
func (c *Client) UnreachableError(err error, region string) error {
	if err == nil {
		return nil
	}
	var api *APIError
	if errors.As(err, &api) {
		return err
	}
	if e := c.unreachableError(err, Request{Region: region}); e != nil {
		e.Endpoint = endpointOf(err, e.Endpoint)
		c.addUnreachableFix(e)
		return e
	}
	return err
}

// addUnreachableFix says what to check, by what named the endpoint.
func (c *Client) addUnreachableFix(e *APIError) {
	switch {
	case c.cfg.Mantle != nil && c.cfg.Mantle.BaseURL != "", c.cfg.Mantle == nil && c.cfg.BaseURL != "":
		e.Fix = fmt.Sprintf("check that the endpoint in %s is right and running; unset it to use Bedrock's own endpoint for the region", c.baseURLVar())
	case c.cfg.Provider == Anthropic:
		e.Fix = "check the network and the proxy variables (HTTPS_PROXY, NO_PROXY)"
	default:
		e.Fix = fmt.Sprintf("check the region (%s is not reachable from here: a typo, or a region without Bedrock), the network and the proxy variables (HTTPS_PROXY, NO_PROXY)", e.Region)
	}
	var ca *awsauth.CAError
	if errors.As(e.err, &ca) {
		e.Fix = ca.Hint()
		return
	}
	var cert *awsauth.CertError
	if errors.As(e.err, &cert) {
		e.Fix = cert.Hint()
		return
	}
	if refusedClient(e.err) {
		e.Fix = "set CLAUDE_CODE_CLIENT_CERT and CLAUDE_CODE_CLIENT_KEY (and CLAUDE_CODE_CLIENT_KEY_PASSPHRASE for an encrypted key) to the client certificate your network requires; `basalt doctor` checks it"
		return
	}
	var op *net.OpError
	if errors.As(e.err, &op) && op.Op == "proxyconnect" {
		e.Fix = "the proxy does not answer: check HTTPS_PROXY and HTTP_PROXY (a settings file's env may set them; `basalt config show` says where), or NO_PROXY for endpoints to reach directly; `basalt doctor` checks the proxy"
		return
	}
	if _, ok := tlsReason(e.err); ok {
		e.Fix = "check the endpoint's certificate: a TLS-inspecting proxy needs its CA in NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or SSL_CERT_FILE (`basalt doctor` checks them); " + e.Fix
	}
}

func (c *Client) baseURLVar() string {
	if c.cfg.Provider == Anthropic {
		return "ANTHROPIC_BASE_URL"
	}
	if c.cfg.Mantle != nil {
		return "ANTHROPIC_BEDROCK_MANTLE_BASE_URL"
	}
	return "ANTHROPIC_BEDROCK_BASE_URL"
}
