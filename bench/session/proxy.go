package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// captured is one request as the proxy saw it: enough to join it to the
// emulator's ledger line (method, path, size) and to split its body into
// cache blocks. The ledger has the token counts but not the prompt; the
// ideal needs the prompt, to know which tokens a request shares with the
// ones before it.
type captured struct {
	Seq    int       `json:"seq"`
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"` // escaped, without the query, as the ledger has it
	Bytes  int       `json:"bytes"`
	Body   string    `json:"body,omitempty"`
}

// runProxy forwards every request unchanged to the emulator and appends a
// captured line per request to --out. It prints "listening on URL" first,
// like the emulator, so run.sh starts both the same way.
//
// The Host header is passed through untouched: clients sign it (SigV4), and
// the emulator verifies the signature against what the client signed.
// Streams are flushed frame by frame, so the proxy adds a loopback hop and
// nothing else to the client's timings.
func runProxy(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("proxy", flag.ContinueOnError)
	target := fs.String("target", "", "emulator URL to forward to")
	out := fs.String("out", "", "file to append one JSON line per request to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *target == "" || *out == "" {
		return fmt.Errorf("proxy: --target and --out are required")
	}
	to, err := url.Parse(*target)
	if err != nil {
		return fmt.Errorf("proxy: target: %w", err)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	defer f.Close()

	var mu sync.Mutex
	seq := 0
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(to)
			pr.Out.Host = pr.In.Host
		},
		FlushInterval: -1,
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived := time.Now()
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "proxy: read body: "+err.Error(), http.StatusBadGateway)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		path, _, _ := strings.Cut(r.RequestURI, "?")
		mu.Lock()
		seq++
		line, _ := json.Marshal(captured{Seq: seq, Time: arrived.UTC(), Method: r.Method, Path: path, Bytes: len(body), Body: string(body)})
		_, werr := f.Write(append(line, '\n'))
		mu.Unlock()
		if werr != nil {
			http.Error(w, "proxy: record: "+werr.Error(), http.StatusBadGateway)
			return
		}
		rp.ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	// HTTP/1.1 and h2c, as the emulator serves: the AWS JS SDK may speak
	// HTTP/2 without TLS.
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{Handler: handler, Protocols: &protocols, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return fmt.Errorf("proxy: %w", err)
	}
	return nil
}
