package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdHTTPServe serves a directory of the script over plain HTTP on
// loopback, for WebFetch, and sets WEB_URL (http://127.0.0.1:PORT) and
// WEB_PORT:
//
//	httpserve DIR
//
// A file NAME.redirect answers /NAME with a 302 to its content, in
// which {{PORT}} is the server's port. /bytes/N answers N bytes of HTML,
// streamed without a Content-Length.
func cmdHTTPServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: httpserve DIR")
	}
	dir := ts.MkAbs(args[0])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	files := http.FileServer(http.Dir(dir))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, ok := strings.CutPrefix(r.URL.Path, "/bytes/"); ok {
			size, err := strconv.Atoi(n)
			if err != nil {
				http.Error(w, "bad size", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("<p>filler</p>\n"), 1<<12)
			for size > 0 {
				c := chunk[:min(size, len(chunk))]
				if _, err := w.Write(c); err != nil {
					return
				}
				size -= len(c)
			}
			return
		}
		if to, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.URL.Path)+".redirect")); err == nil {
			http.Redirect(w, r, strings.ReplaceAll(strings.TrimSpace(string(to)), "{{PORT}}", port), http.StatusFound)
			return
		}
		files.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	ts.Defer(func() { srv.Close() })
	ts.Setenv("WEB_URL", "http://127.0.0.1:"+port)
	ts.Setenv("WEB_PORT", port)
}

// cmdBodyTap puts a recording proxy in front of the emulator (run
// emulator first): every request basalt sends to the model goes through
// it, and FILE gets one JSON line per request, {"path": …, "body": …},
// so a script can check what a request carried (the emulator's ledger
// records its shape, not its content):
//
//	bodytap FILE
func cmdBodyTap(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: bodytap FILE")
	}
	target, err := url.Parse(ts.Getenv("EMULATOR_URL"))
	if err != nil || target.Host == "" {
		ts.Fatalf("bodytap: run emulator first")
	}
	out, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Defer(func() { out.Close() })
	var mu sync.Mutex
	proxy := httputil.NewSingleHostReverseProxy(target)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		// The path comes first, so that a grep can name the model.
		rec := struct {
			Path string `json:"path"`
			Body any    `json:"body"`
		}{Path: r.URL.Path, Body: string(body)}
		if json.Valid(body) {
			rec.Body = json.RawMessage(body)
		}
		line, _ := json.Marshal(rec)
		mu.Lock()
		out.Write(append(line, '\n'))
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	ts.Defer(func() { srv.Close() })
	ts.Setenv("ANTHROPIC_BEDROCK_BASE_URL", "http://"+ln.Addr().String())
}
