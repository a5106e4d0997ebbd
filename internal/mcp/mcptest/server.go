// Package mcptest is an MCP server for basalt's tests, built on the
// official Go SDK: tools that echo, return an image, return too much,
// take their time, crash the process, and add a tool (list_changed); a
// text resource; a prompt with arguments. It runs in-process over HTTP
// (streamable or SSE) or as a stdio child ([RunStdio]).
package mcptest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// PNG is a 1×1 PNG the image tool returns.
var PNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

type echoIn struct {
	Text string `json:"text" jsonschema:"the text to echo"`
}

type sizeIn struct {
	Bytes int `json:"bytes" jsonschema:"how many bytes of text to return"`
}

type sleepIn struct {
	Ms int `json:"ms" jsonschema:"milliseconds to wait"`
}

// NewServer builds the test server.
func NewServer() *sdk.Server {
	s := sdk.NewServer(&sdk.Implementation{Name: "basalt-test", Version: "1"}, nil)
	sdk.AddTool(s, &sdk.Tool{Name: "echo", Description: "Echoes the text back.", Annotations: &sdk.ToolAnnotations{ReadOnlyHint: true}},
		func(ctx context.Context, req *sdk.CallToolRequest, in echoIn) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "echo: " + in.Text}}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "image", Description: "Returns a tiny PNG and a resource link."},
		func(ctx context.Context, req *sdk.CallToolRequest, _ struct{}) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{
				&sdk.TextContent{Text: "here is the image"},
				&sdk.ImageContent{Data: PNG, MIMEType: "image/png"},
				&sdk.ResourceLink{URI: "test://hello", Name: "hello", MIMEType: "text/plain"},
				&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "test://inline", MIMEType: "text/plain", Text: "inline text"}},
			}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "big", Description: "Returns that many bytes of text."},
		func(ctx context.Context, req *sdk.CallToolRequest, in sizeIn) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: strings.Repeat("x", in.Bytes)}}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "sleep", Description: "Waits, reporting progress."},
		func(ctx context.Context, req *sdk.CallToolRequest, in sleepIn) (*sdk.CallToolResult, any, error) {
			if tok := req.Params.GetProgressToken(); tok != nil {
				_ = req.Session.NotifyProgress(ctx, &sdk.ProgressNotificationParams{ProgressToken: tok, Progress: 0, Total: 1, Message: "waiting"})
			}
			select {
			case <-time.After(time.Duration(in.Ms) * time.Millisecond):
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "slept"}}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "crash", Description: "Ends the server process (stdio only)."},
		func(ctx context.Context, req *sdk.CallToolRequest, _ struct{}) (*sdk.CallToolResult, any, error) {
			os.Exit(3)
			return nil, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "add_tool", Description: "Adds a tool named by text (tools/list_changed)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in echoIn) (*sdk.CallToolResult, any, error) {
			sdk.AddTool(s, &sdk.Tool{Name: in.Text, Description: "Added later."}, func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
				return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "added tool ran"}}}, nil, nil
			})
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "added " + in.Text}}}, nil, nil
		})
	s.AddResource(&sdk.Resource{URI: "test://hello", Name: "hello", MIMEType: "text/plain", Description: "A greeting."},
		func(ctx context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
			return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: "hello from the resource"}}}, nil
		})
	s.AddPrompt(&sdk.Prompt{Name: "greet", Description: "Greets someone.", Arguments: []*sdk.PromptArgument{{Name: "name", Required: true}, {Name: "style"}}},
		func(ctx context.Context, req *sdk.GetPromptRequest) (*sdk.GetPromptResult, error) {
			return &sdk.GetPromptResult{Messages: []*sdk.PromptMessage{{Role: "user", Content: &sdk.TextContent{
				Text: fmt.Sprintf("Say hello to %s, %s.", req.Params.Arguments["name"], req.Params.Arguments["style"])}}}}, nil
		})
	return s
}

// RunStdio serves the test server on stdin and stdout until stdin closes
// (with MCPTEST_LINGER=1, it stays until killed).
// Env MCPTEST_PIDFILE makes it write its process ID there first, so a
// test can check it dies with its parent.
func RunStdio() error {
	if p := os.Getenv("MCPTEST_PIDFILE"); p != "" {
		_ = os.WriteFile(p, []byte(fmt.Sprint(os.Getpid())), 0o600)
	}
	if d := os.Getenv("MCPTEST_START_DELAY_MS"); d != "" {
		var ms int
		fmt.Sscan(d, &ms)
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	s := NewServer()
	if n := os.Getenv("MCPTEST_EXTRA_TOOLS"); n != "" {
		var count int
		fmt.Sscan(n, &count)
		AddExtraTools(s, count)
	}
	err := s.Run(context.Background(), &sdk.StdioTransport{})
	if os.Getenv("MCPTEST_LINGER") == "1" {
		// A server that does not end when its stdin closes: only the
		// client's process handling can end it.
		select {}
	}
	return err
}

// AddExtraTools adds n tools of a typical size (a sentence of
// description, two parameters), for measuring the prompt with many tools.
func AddExtraTools(s *sdk.Server, n int) {
	type in struct {
		Query string `json:"query" jsonschema:"what to look for"`
		Limit int    `json:"limit,omitempty" jsonschema:"at most this many results"`
	}
	for i := range n {
		sdk.AddTool(s, &sdk.Tool{Name: fmt.Sprintf("tool_%03d", i), Description: fmt.Sprintf("Looks up records of kind %d in the team's tracker and returns the matches with their status, owner and last change.", i)},
			func(context.Context, *sdk.CallToolRequest, in) (*sdk.CallToolResult, any, error) {
				return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "no matches"}}}, nil, nil
			})
	}
}

// HTTPHandler serves the test server over streamable HTTP; with header
// set, a request without "Authorization: header" gets 401.
func HTTPHandler(auth string) http.Handler {
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return NewServer() }, nil)
	return requireAuth(auth, h)
}

// SSEHandler serves the test server over the legacy SSE transport.
func SSEHandler(auth string) http.Handler {
	h := sdk.NewSSEHandler(func(*http.Request) *sdk.Server { return NewServer() }, nil)
	return requireAuth(auth, h)
}

func requireAuth(auth string, h http.Handler) http.Handler {
	if auth == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != auth {
			w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="/.well-known/oauth-protected-resource"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
