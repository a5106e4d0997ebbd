package oauth

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestWithSDKServerAndClient puts the transport between the MCP Go SDK's
// client and an SDK server guarded by the SDK's bearer-token middleware,
// as the MCP client of basalt will: connecting before a login fails with
// ErrNeedsLogin, after it the tools list.
func TestWithSDKServerAndClient(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	server := mcp.NewServer(&mcp.Implementation{Name: "guarded", Version: "1"}, nil)
	type echoIn struct {
		Text string `json:"text"`
	}
	mcp.AddTool(server, &mcp.Tool{Name: "echo", Description: "Echo the text."},
		func(ctx context.Context, req *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}, nil, nil
		})
	verify := func(ctx context.Context, tok string, r *http.Request) (*auth.TokenInfo, error) {
		if !f.valid(tok) {
			return nil, auth.ErrInvalidToken
		}
		return &auth.TokenInfo{Scopes: []string{"mcp:tools"}, Expiration: time.Now().Add(time.Hour)}, nil
	}
	guard := auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{
		ResourceMetadataURL: f.srv.URL + "/.well-known/oauth-protected-resource/mcp",
		Scopes:              []string{"mcp:tools"},
	})
	f.mcpHandler = guard(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))

	c := NewClient("guarded", f.mcpURL(), Store{Dir: t.TempDir()}, nil)
	connect := func() (*mcp.ClientSession, error) {
		client := mcp.NewClient(&mcp.Implementation{Name: "basalt", Version: "test"}, nil)
		return client.Connect(t.Context(), &mcp.StreamableClientTransport{
			Endpoint:             f.mcpURL(),
			HTTPClient:           &http.Client{Transport: c.Transport()},
			MaxRetries:           -1,
			DisableStandaloneSSE: true,
		}, nil)
	}
	if _, err := connect(); !errors.Is(err, ErrNeedsLogin) {
		t.Fatalf("connect before login: %v, want ErrNeedsLogin", err)
	}
	if err := c.Login(t.Context(), browser(t, nil)); err != nil {
		t.Fatal(err)
	}
	cs, err := connect()
	if err != nil {
		t.Fatalf("connect after login: %v", err)
	}
	defer cs.Close()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "hi"}})
	if err != nil || len(res.Content) != 1 || res.Content[0].(*mcp.TextContent).Text != "hi" {
		t.Fatalf("call: %v %v", res, err)
	}
	// The server restarts and forgets its tokens: the next call refreshes
	// and goes through.
	f.revokeAll()
	if _, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "again"}}); err != nil {
		t.Fatalf("call after revocation: %v", err)
	}
}
