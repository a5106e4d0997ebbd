package sandbox

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// sniMismatchError is a TLS ClientHello whose server name is not the
// host the tunnel was opened to: domain fronting, an allowed CONNECT
// carrying a request for a host that is not allowed.
type sniMismatchError struct{ sni, host string }

func (e *sniMismatchError) Error() string {
	return "tls server name " + e.sni + " differs from tunnel host " + e.host
}

// errHelloRead stops crypto/tls once it has parsed the ClientHello: the
// handshake is only used as a parser, never completed.
var errHelloRead = errors.New("client hello read")

// checkClientHello waits for the client's first bytes in a tunnel to
// host. If they are a TLS ClientHello whose SNI names another host it
// returns a *sniMismatchError; otherwise it returns the bytes it
// consumed from r, which the caller forwards before the rest of r.
func checkClientHello(r *bufio.Reader, host string) ([]byte, error) {
	head, err := r.Peek(1)
	if err != nil {
		return nil, err
	}
	const recordTypeHandshake = 0x16
	if head[0] != recordTypeHandshake {
		return nil, nil // not TLS: the CONNECT host is the destination, nothing to compare
	}
	rec := &recordingConn{r: r}
	var sni string
	srv := tls.Server(rec, &tls.Config{
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			sni = hello.ServerName
			return nil, errHelloRead
		},
	})
	if err := srv.Handshake(); !errors.Is(err, errHelloRead) {
		// A handshake record we cannot read as a ClientHello could carry
		// any name to a server that reads it differently: fail closed.
		return nil, fmt.Errorf("unreadable tls client hello: %w", err)
	}
	if sni != "" && !strings.EqualFold(strings.TrimSuffix(sni, "."), host) {
		return nil, &sniMismatchError{sni: strings.ToLower(sni), host: host}
	}
	return rec.buf, nil
}

// recordingConn feeds crypto/tls from r and remembers every byte it
// read; writes (the server's alert) go nowhere.
type recordingConn struct {
	r   *bufio.Reader
	buf []byte
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}
func (c *recordingConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c *recordingConn) Close() error                       { return nil }
func (c *recordingConn) LocalAddr() net.Addr                { return nil }
func (c *recordingConn) RemoteAddr() net.Addr               { return nil }
func (c *recordingConn) SetDeadline(t time.Time) error      { return nil }
func (c *recordingConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *recordingConn) SetWriteDeadline(t time.Time) error { return nil }
