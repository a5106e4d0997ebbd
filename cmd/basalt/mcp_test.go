package main

import (
	"flag"
	"net/http/httptest"
	"os"

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
