package mcp

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/mcp/mcptest"
	"github.com/basalt-dev/basalt/internal/tool"
)

// TestMain lets the test binary serve as a stdio MCP server: the tests
// start it again with MCPTEST_STDIO=1.
func TestMain(m *testing.M) {
	if os.Getenv("MCPTEST_STDIO") == "1" {
		if err := mcptest.RunStdio(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func stdioServer(t *testing.T, name string, env map[string]string) config.MCPServer {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	e := map[string]string{"MCPTEST_STDIO": "1"}
	for k, v := range env {
		e[k] = v
	}
	return config.MCPServer{Name: name, Type: config.MCPStdio, Command: exe, Env: e, Scope: config.MCPScopeUser}
}

func start(t *testing.T, o Options, servers ...config.MCPServer) *Manager {
	t.Helper()
	o.Env = os.Environ()
	m := Start(t.Context(), servers, o)
	t.Cleanup(func() { m.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := m.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	return m
}

func findTool(t *testing.T, m *Manager, name string) tool.Tool {
	t.Helper()
	for _, tl := range m.Tools() {
		if tl.Name() == name {
			return tl
		}
	}
	t.Fatalf("no tool %s among %v (statuses %+v)", name, names(m.Tools()), m.Statuses())
	return nil
}

func names(ts []tool.Tool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name())
	}
	return out
}

func call(t *testing.T, tl tool.Tool, input string) tool.Result {
	t.Helper()
	res, err := tl.Run(t.Context(), nil, json.RawMessage(input))
	if err != nil {
		t.Fatalf("%s: %v", tl.Name(), err)
	}
	return res
}

// Every transport reaches the same server and its tools, named
// mcp__SERVER__TOOL with their schema and read-only hint.
func TestTransports(t *testing.T) {
	httpSrv := httptest.NewServer(mcptest.HTTPHandler("Bearer sekret"))
	defer httpSrv.Close()
	sseSrv := httptest.NewServer(mcptest.SSEHandler("Bearer sekret"))
	defer sseSrv.Close()
	hdr := map[string]string{"Authorization": "Bearer sekret"}
	for _, s := range []config.MCPServer{
		stdioServer(t, "local", nil),
		{Name: "remote", Type: config.MCPHTTP, URL: httpSrv.URL, Headers: hdr},
		{Name: "legacy", Type: config.MCPSSE, URL: sseSrv.URL, Headers: hdr},
	} {
		t.Run(s.Type, func(t *testing.T) {
			m := start(t, Options{}, s)
			st := m.Statuses()[0]
			if st.State != StateConnected {
				t.Fatalf("status %+v", st)
			}
			if st.Server != "basalt-test 1" || st.Protocol == "" {
				t.Errorf("server %q, protocol %q: the handshake is not recorded", st.Server, st.Protocol)
			}
			echo := findTool(t, m, "mcp__"+s.Name+"__echo")
			if !echo.ReadOnly() {
				t.Error("echo has readOnlyHint but is not read-only")
			}
			if !strings.Contains(string(echo.InputSchema()), `"text"`) {
				t.Errorf("schema %s lacks the text property", echo.InputSchema())
			}
			if res := call(t, echo, `{"text":"hi"}`); res.Content != "echo: hi" || res.IsError {
				t.Errorf("result %+v", res)
			}
		})
	}
}

// An HTTP server that answers 401 is "needs login", naming the command.
func TestUnauthorizedNeedsLogin(t *testing.T) {
	srv := httptest.NewServer(mcptest.HTTPHandler("Bearer sekret"))
	defer srv.Close()
	m := start(t, Options{}, config.MCPServer{Name: "remote", Type: config.MCPHTTP, URL: srv.URL})
	st := m.Statuses()[0]
	if st.State != StateNeedsLogin || !strings.Contains(st.Error, "basalt mcp login remote") {
		t.Fatalf("status %+v", st)
	}
	ev := strings.Join(m.Events(), "\n")
	if !strings.Contains(ev, "run `basalt mcp login remote`") {
		t.Errorf("events %q", ev)
	}
}

func TestContentAndTruncation(t *testing.T) {
	m := start(t, Options{MaxOutputTokens: 100}, stdioServer(t, "s", nil))
	res := call(t, findTool(t, m, "mcp__s__image"), `{}`)
	b, ok := res.Display.(*Blocks)
	if !ok {
		t.Fatalf("no image blocks: %+v", res)
	}
	var kinds []string
	for _, c := range b.Content {
		switch {
		case c.OfImage != nil:
			kinds = append(kinds, "image:"+string(c.OfImage.Source.OfBase64.MediaType))
		case c.OfText != nil:
			kinds = append(kinds, c.OfText.Text)
		}
	}
	want := "here is the image|image:image/png|[resource link: hello <test://hello> text/plain]|[resource test://inline]\ninline text"
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("blocks\n got %q\nwant %q", got, want)
	}

	res = call(t, findTool(t, m, "mcp__s__big"), `{"bytes":1000}`)
	if !strings.Contains(res.Content, "[Output truncated") || !strings.Contains(res.Content, "MAX_MCP_OUTPUT_TOKENS (100)") {
		t.Errorf("no truncation note: %q", res.Content)
	}
	if n := strings.Count(res.Content, "x"); n != 400 {
		t.Errorf("kept %d bytes, want 400 (100 tokens)", n)
	}
	res = call(t, findTool(t, m, "mcp__s__big"), `{"bytes":399}`)
	if strings.Contains(res.Content, "truncated") {
		t.Error("a result under the cap was truncated")
	}
}

func TestToolTimeout(t *testing.T) {
	m := start(t, Options{ToolTimeout: 200 * time.Millisecond}, stdioServer(t, "s", nil))
	res := call(t, findTool(t, m, "mcp__s__sleep"), `{"ms":5000}`)
	if !res.IsError || !strings.Contains(res.Content, "MCP_TOOL_TIMEOUT") {
		t.Errorf("result %+v", res)
	}
	// The server is still usable after the cancelled call.
	if res := call(t, findTool(t, m, "mcp__s__echo"), `{"text":"after"}`); res.Content != "echo: after" {
		t.Errorf("after timeout: %+v", res)
	}
}

func TestStartTimeout(t *testing.T) {
	m := start(t, Options{StartTimeout: 300 * time.Millisecond}, stdioServer(t, "slow", map[string]string{"MCPTEST_START_DELAY_MS": "5000"}))
	st := m.Statuses()[0]
	if st.State != StateFailed || !strings.Contains(st.Error, "MCP_TIMEOUT") {
		t.Fatalf("status %+v", st)
	}
}

// A server that dies is reported once and started again on the next use
// of one of its tools.
func TestCrashReportedOnceAndReconnected(t *testing.T) {
	m := start(t, Options{}, stdioServer(t, "s", nil))
	m.Events()
	res := call(t, findTool(t, m, "mcp__s__crash"), `{}`)
	if !res.IsError {
		t.Errorf("crash call: %+v", res)
	}
	deadline := time.Now().Add(10 * time.Second)
	for m.Statuses()[0].State != StateFailed && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	ev := m.Events()
	if len(ev) != 1 || !strings.Contains(ev[0], "MCP server s stopped") {
		t.Fatalf("events %q", ev)
	}
	gen := m.Generation()
	if got := names(m.Tools()); len(got) == 0 {
		t.Fatal("a dead server's tools left the list (the cached prefix would change)")
	}
	if res := call(t, findTool(t, m, "mcp__s__echo"), `{"text":"back"}`); res.Content != "echo: back" {
		t.Fatalf("after crash: %+v", res)
	}
	if m.Statuses()[0].State != StateConnected {
		t.Errorf("status %+v", m.Statuses()[0])
	}
	if ev := m.Events(); len(ev) != 0 {
		t.Errorf("reconnect reported again: %q", ev)
	}
	_ = gen
}

// tools/list_changed makes the manager list the tools again and say so.
func TestListChanged(t *testing.T) {
	m := start(t, Options{}, stdioServer(t, "s", nil))
	m.Events()
	gen := m.Generation()
	call(t, findTool(t, m, "mcp__s__add_tool"), `{"text":"fresh"}`)
	deadline := time.Now().Add(10 * time.Second)
	for m.Generation() == gen && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if res := call(t, findTool(t, m, "mcp__s__fresh"), `{}`); res.Content != "added tool ran" {
		t.Errorf("new tool: %+v", res)
	}
	ev := strings.Join(m.Events(), "\n")
	if !strings.Contains(ev, "changed its tools") || !strings.Contains(ev, "prompt cache") {
		t.Errorf("events %q", ev)
	}
}

func TestResourcesAndPrompts(t *testing.T) {
	m := start(t, Options{}, stdioServer(t, "s", nil))
	list := findTool(t, m, "ListMcpResourcesTool")
	if res := call(t, list, `{}`); !strings.Contains(res.Content, `"uri": "test://hello"`) {
		t.Errorf("list: %q", res.Content)
	}
	read := findTool(t, m, "ReadMcpResourceTool")
	if res := call(t, read, `{"server":"s","uri":"test://hello"}`); !strings.Contains(res.Content, "hello from the resource") {
		t.Errorf("read: %q", res.Content)
	}
	blocks, notices := m.Attach(t.Context(), "explain @s:test://hello please, and @nobody:x")
	if len(notices) != 0 || len(blocks) != 2 || !strings.Contains(blocks[1].OfText.Text, "hello from the resource") {
		t.Errorf("attach: %d blocks, notices %q", len(blocks), notices)
	}
	if c := m.Completions(t.Context(), "s:te"); len(c) != 1 || c[0] != "@s:test://hello" {
		t.Errorf("completions %q", c)
	}

	ps := m.Prompts()
	if len(ps) != 1 || ps[0].Command != "mcp__s__greet" || ps[0].Usage() != "/mcp__s__greet NAME [STYLE]" {
		t.Fatalf("prompts %+v", ps)
	}
	text, err := m.RunPrompt(t.Context(), "mcp__s__greet", "Ada warmly and kindly")
	if err != nil || text != "Say hello to Ada, warmly and kindly." {
		t.Errorf("prompt: %q %v", text, err)
	}
	if _, err := m.RunPrompt(t.Context(), "mcp__s__greet", ""); err == nil || !strings.Contains(err.Error(), "needs the argument name") {
		t.Errorf("missing argument: %v", err)
	}
}

// Servers start in the background: Start returns before a slow server
// is up, and the others do not wait for it.
func TestStartDoesNotWait(t *testing.T) {
	o := Options{Env: os.Environ()}
	begin := time.Now()
	m := Start(t.Context(), []config.MCPServer{stdioServer(t, "slow", map[string]string{"MCPTEST_START_DELAY_MS": "1500"}), stdioServer(t, "fast", nil)}, o)
	defer m.Close()
	if d := time.Since(begin); d > 500*time.Millisecond {
		t.Errorf("Start took %s", d)
	}
	if !m.AwaitTool(t.Context(), "mcp__fast__echo") {
		t.Fatal("fast server's tool never came")
	}
	if st := m.Statuses(); st[1].State != StatePending {
		t.Errorf("slow server already %s when the fast one was ready", st[1].State)
	}
	if !m.AwaitTool(t.Context(), "mcp__slow__echo") {
		t.Fatal("slow server's tool never came")
	}
}

// The server process dies with the manager, and with basalt even when
// basalt is killed (Pdeathsig on Linux).
func TestNoOrphans(t *testing.T) {
	pidfile := t.TempDir() + "/pid"
	m := Start(t.Context(), []config.MCPServer{stdioServer(t, "s", map[string]string{"MCPTEST_PIDFILE": pidfile, "MCPTEST_LINGER": "1"})}, Options{Env: os.Environ()})
	if err := m.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(raw))
	if syscall.Kill(pid, 0) != nil {
		t.Fatal("server not running")
	}
	m.Close()
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if syscall.Kill(pid, 0) == nil {
		t.Errorf("server %d outlived Close", pid)
	}
}

func TestDisabledServerNotStarted(t *testing.T) {
	s := stdioServer(t, "p", nil)
	s.NeedsApproval = true
	m := start(t, Options{}, s)
	if st := m.Statuses()[0]; st.State != StateDisabled {
		t.Fatalf("status %+v", st)
	}
	if len(m.Tools()) != 0 {
		t.Error("an unapproved server has tools")
	}
}

func TestToolNames(t *testing.T) {
	if got := ToolName("my.server", "do thing"); got != "mcp__my_server__do_thing" {
		t.Errorf("ToolName = %q", got)
	}
	if s, tl, ok := SplitToolName("mcp__gh__create_issue"); !ok || s != "gh" || tl != "create_issue" {
		t.Errorf("split %q %q %v", s, tl, ok)
	}
	if _, _, ok := SplitToolName("Read"); ok {
		t.Error("Read split as an MCP tool")
	}
}

// A server nobody listens at fails with the address and the network's
// words, not the SDK's layers.
func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close()
	m := start(t, Options{}, config.MCPServer{Name: "gone", Type: config.MCPHTTP, URL: url})
	st := m.Statuses()[0]
	if st.State != StateFailed || !strings.HasPrefix(st.Error, "cannot reach 127.0.0.1:") || !strings.Contains(st.Error, "connection refused") {
		t.Fatalf("status %+v", st)
	}
}
