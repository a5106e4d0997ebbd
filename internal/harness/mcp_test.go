package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/mcp/mcptest"
	"github.com/basalt-dev/basalt/internal/permission"
)

// A server that is slow to start does not hold up the first prompt; its
// tools join the next request, the model is told, and the user hears
// that the cached prefix is written again.
func TestMCPToolsJoinMidSession(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "First answer."},
		{ToolUse: []emulator.ToolUse{{Name: "mcp__slow__echo", Input: json.RawMessage(`{"text":"joined"}`)}}},
		{Text: "Done."},
	}}
	gate := make(chan struct{})
	h := mcptest.HTTPHandler("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-gate
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-gate:
		default:
			close(gate)
		}
	}()

	r := newRig(t, sc, nil)
	mcpJSON := fmt.Sprintf(`{"mcpServers":{"slow":{"type":"http","url":%q}}}`, srv.URL)
	if err := os.WriteFile(filepath.Join(r.work, ".mcp.json"), []byte(mcpJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := r.config(t)
	cfg.MCP.Approve([]string{"slow"}, "test", "")
	s, _, err := Open(t.Context(), Options{Config: cfg, Headless: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	start := time.Now()
	if got := answerOf(t, s, "hello"); got != "First answer." {
		t.Fatalf("first answer %q", got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the first prompt took %s: it waited for the server", d)
	}
	if slices.Contains(s.Info().Tools, "mcp__slow__echo") {
		t.Fatal("the gated server's tools are already there")
	}

	close(gate)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := s.MCP().Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.checker.AddRule(permission.Allow, mustRule(t, "mcp__slow")); err != nil {
		t.Fatal(err)
	}
	var notices, results []string
	_, err = s.Run(t.Context(), "now use it", func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventNotice:
			notices = append(notices, ev.Text)
		case agent.EventToolEnd:
			results = append(results, ev.Result.Content)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(notices, "\n")
	for _, want := range []string{"MCP server slow connected", "writes the cached prompt prefix again"} {
		if !strings.Contains(all, want) {
			t.Errorf("notices lack %q:\n%s", want, all)
		}
	}
	if len(results) != 1 || results[0] != "echo: joined" {
		t.Errorf("results %q", results)
	}
	if !slices.Contains(s.Info().Tools, "mcp__slow__echo") {
		t.Error("Info does not list the MCP tools")
	}
	// The model was told, in the conversation itself.
	raw, err := os.ReadFile(transcriptOf(t, cfg, s.ID()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "The available tools changed. Now available: mcp__slow__") {
		t.Errorf("the transcript has no reminder telling the model about the new tools:\n%s", raw)
	}
}

func mustRule(t *testing.T, s string) config.Rule {
	t.Helper()
	r, err := config.ParseRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// transcriptOf finds the session's transcript file under the state
// directory.
func transcriptOf(t *testing.T, cfg *config.Config, id string) string {
	t.Helper()
	var found string
	_ = filepath.WalkDir(cfg.StateDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(filepath.Base(p), id) && strings.HasSuffix(p, ".jsonl") {
			found = p
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no transcript of %s under %s", id, cfg.StateDir)
	}
	return found
}

// "/mcp__s__greet Ada" becomes the server's prompt, and @s:uri attaches
// the resource after the text.
func TestMCPPromptAndAttachment(t *testing.T) {
	srv := httptest.NewServer(mcptest.HTTPHandler(""))
	defer srv.Close()
	r := newRig(t, &emulator.Scenario{Turns: []emulator.Turn{{Text: "ok"}}}, nil)
	cfg := r.config(t)
	cfg.MCP.Servers = []config.MCPServer{{Name: "s", Type: config.MCPHTTP, URL: srv.URL, Scope: config.MCPScopeUser}}
	s, _, err := Open(t.Context(), Options{Config: cfg, Headless: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	on := func(agent.Event) {}
	got, err := s.prepareMCP(t.Context(), []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock("/mcp__s__greet Ada kindly")}, on)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].OfText.Text != "Say hello to Ada, kindly." {
		t.Errorf("prompt %+v", got)
	}
	got, err = s.prepareMCP(t.Context(), []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock("summarise @s:test://hello")}, on)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, b := range got {
		texts = append(texts, b.OfText.Text)
	}
	want := []string{"summarise @s:test://hello", "Contents of MCP resource @s:test://hello:", "[resource test://hello]\nhello from the resource"}
	if !slices.Equal(texts, want) {
		t.Errorf("blocks\n got %q\nwant %q", texts, want)
	}
	if _, err := s.prepareMCP(t.Context(), []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock("/mcp__s__nope")}, on); err == nil {
		t.Error("an unknown prompt command went to the model")
	}
}
