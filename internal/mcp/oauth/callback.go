package oauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// callbackPath is the path of the loopback redirect URI.
const callbackPath = "/callback"

// callback is the loopback listener that receives the browser's redirect
// (RFC 8252 §7.3). It takes the first request on callbackPath and answers
// the browser with a short page.
type callback struct {
	redirectURI string
	ln          net.Listener
	srv         *http.Server
	got         chan url.Values
}

// listenCallback listens on 127.0.0.1 at the port of previous (a redirect
// URI registered before) when that port is free, else on a random port.
// The literal address, not "localhost", keeps the listener off other
// interfaces and off a hosts-file entry.
func listenCallback(previous string) (*callback, error) {
	var ln net.Listener
	if u, err := url.Parse(previous); err == nil && previous != "" && u.Hostname() == "127.0.0.1" {
		if p, err := strconv.Atoi(u.Port()); err == nil && p > 0 {
			ln, _ = net.Listen("tcp", net.JoinHostPort("127.0.0.1", u.Port()))
		}
	}
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
	}
	cb := &callback{
		redirectURI: "http://" + ln.Addr().String() + callbackPath,
		ln:          ln,
		got:         make(chan url.Values, 1),
	}
	cb.srv = &http.Server{Handler: http.HandlerFunc(cb.serve), ReadHeaderTimeout: 10 * time.Second}
	go cb.srv.Serve(ln)
	return cb, nil
}

func (cb *callback) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != callbackPath {
		http.NotFound(w, r)
		return
	}
	select {
	case cb.got <- r.URL.Query():
	default:
		http.Error(w, "this login has already received its answer", http.StatusConflict)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.URL.Query().Get("error") != "" {
		fmt.Fprint(w, "<!doctype html><title>basalt</title><p>The login was refused. Return to the terminal for details.</p>")
		return
	}
	fmt.Fprint(w, "<!doctype html><title>basalt</title><p>basalt received the answer. You can close this tab and return to the terminal.</p>")
}

// wait returns the query of the redirect, or an error when ctx ends first.
func (cb *callback) wait(ctx context.Context) (url.Values, error) {
	select {
	case q := <-cb.got:
		return q, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, errors.New("no answer from the browser in time")
		}
		return nil, ctx.Err()
	}
}

// close frees the port at once: the listener is closed here, not only by
// Serve, which may not have started yet.
func (cb *callback) close() {
	cb.ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cb.srv.Shutdown(ctx)
}
