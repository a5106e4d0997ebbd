package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/basalt-dev/basalt/internal/mcp/mcptest"
)

// mcpTestServer is the program "mcp-test-server" of the scripts: the
// test MCP server on stdin and stdout.
func mcpTestServer() {
	if err := mcptest.RunStdio(); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

// cmdMCPHTTP starts the test MCP server over HTTP for the rest of the
// script and puts its URL in $MCP_URL: mcp-http [-sse] [-auth VALUE].
func cmdMCPHTTP(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("mcp-http: cannot be negated")
	}
	fs := flag.NewFlagSet("mcp-http", flag.ContinueOnError)
	sse := fs.Bool("sse", false, "")
	auth := fs.String("auth", "", "")
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("mcp-http: %v", err)
	}
	h := mcptest.HTTPHandler(*auth)
	if *sse {
		h = mcptest.SSEHandler(*auth)
	}
	srv := httptest.NewServer(h)
	ts.Defer(srv.Close)
	ts.Setenv("MCP_URL", srv.URL)
}

// npmCache is the user's npm cache, which the scripts share so that a
// package is downloaded once, not per script.
func npmCache() string {
	if c := os.Getenv("npm_config_cache"); c != "" {
		return c
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".npm")
	}
	return ""
}

var npmFetched sync.Map // package → error

// scriptCondition answers the scripts' own conditions:
// [npm-package:PKG] holds when npx can fetch PKG (the first run
// downloads it into the user's npm cache).
func scriptCondition(cond string) (bool, error) {
	if cond == "sandbox" {
		return sandboxRuns(), nil // sandbox_test.go
	}
	pkg, ok := strings.CutPrefix(cond, "npm-package:")
	if !ok {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if v, ok := npmFetched.Load(pkg); ok {
		return v == nil, nil
	}
	npx, err := exec.LookPath("npx")
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, npx, "-y", "--package", pkg, "--", "node", "-e", "")
		cmd.Env = append(os.Environ(), "npm_config_cache="+npmCache())
		err = cmd.Run()
		cancel()
	}
	if err != nil {
		npmFetched.Store(pkg, err)
		return false, nil
	}
	npmFetched.Store(pkg, nil)
	return true, nil
}

// cmdNPMCache points the script's npm at the user's cache.
func cmdNPMCache(ts *testscript.TestScript, neg bool, args []string) {
	ts.Setenv("npm_config_cache", npmCache())
}
