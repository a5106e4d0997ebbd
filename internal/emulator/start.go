package emulator

import (
	"context"
	"net"
	"sync"
)

// DefaultAddr is where [Start] listens when given no address: a free
// port on the loopback interface, reachable from this machine only.
const DefaultAddr = "127.0.0.1:0"

// Running is a [Server] serving on a TCP port, as [Start] returns it.
type Running struct {
	*Server
	// URL is the base URL clients use: http://HOST:PORT.
	URL string

	cancel context.CancelFunc
	done   chan struct{}
	err    error // Serve's, once done is closed
	once   sync.Once
}

// Start builds a server from opts and serves it on addr (host:port;
// [DefaultAddr] when empty) in a goroutine, over HTTP/1.1 and h2c, until
// ctx ends or [Running.Stop] is called. When Start returns, the port is
// bound and accepts connections.
//
// Bad options are an error as from [New]; a failure to listen is a
// *net.OpError, so a command can tell the user which of its flags to fix.
func Start(ctx context.Context, addr string, opts Options) (*Running, error) {
	return start(ctx, addr, opts, "http", nil)
}

// start listens on addr and serves there, through wrap when it is set
// (TLS), under scheme in the returned URL.
func start(ctx context.Context, addr string, opts Options, scheme string, wrap func(net.Listener) net.Listener) (*Running, error) {
	srv, err := New(opts)
	if err != nil {
		return nil, err
	}
	if addr == "" {
		addr = DefaultAddr
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Running{Server: srv, URL: scheme + "://" + ln.Addr().String(), cancel: cancel, done: make(chan struct{})}
	served := ln
	if wrap != nil {
		served = wrap(ln)
	}
	go func() {
		defer close(r.done)
		r.err = srv.Serve(ctx, served)
	}()
	return r, nil
}

// Wait blocks until the server has stopped, because its context ended,
// [Running.Stop] was called or serving failed, and returns Serve's error
// (nil after a clean stop).
func (r *Running) Wait() error {
	<-r.done
	return r.err
}

// Stop shuts the server down, giving in-flight streams Serve's grace
// period, and returns what [Running.Wait] returns. It may be called more
// than once and from any goroutine.
func (r *Running) Stop() error {
	r.once.Do(r.cancel)
	return r.Wait()
}
