package mcp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/tool"
	"github.com/basalt-dev/basalt/internal/toolsearch"
)

// State is where a server's connection stands, spelt as `claude mcp list`
// and the stream-json init line spell it.
type State string

const (
	StatePending    State = "pending"
	StateConnected  State = "connected"
	StateFailed     State = "failed"
	StateNeedsLogin State = "needs-auth"
	StateDisabled   State = "disabled"
)

// Options configure a [Manager].
type Options struct {
	Log     *slog.Logger
	Version string
	// WorkDir is where stdio servers start; Env their base environment
	// (KEY=VALUE), the server's own "env" goes over it.
	WorkDir string
	Env     []string
	// StateDir holds OAuth tokens.
	StateDir string
	// HTTPTransport is the base of HTTP servers' requests; nil: the default.
	HTTPTransport http.RoundTripper
	// StartTimeout bounds a connection (MCP_TIMEOUT); ToolTimeout a tool
	// call (MCP_TOOL_TIMEOUT), 0 for none beyond the turn's.
	StartTimeout time.Duration
	ToolTimeout  time.Duration
	// MaxOutputTokens caps a tool result (MAX_MCP_OUTPUT_TOKENS).
	MaxOutputTokens int
	// ToolSearch says when tool definitions are deferred behind the
	// ToolSearch tool (ENABLE_TOOL_SEARCH); ContextWindow is what its
	// share is measured against (0: the smallest Claude window).
	ToolSearch    toolsearch.Mode
	ContextWindow int
	// OnEvent, when set, is called (on a background goroutine) after
	// something the user should hear about was queued in Events.
	OnEvent func()
	// Wrap, when set, builds each stdio server's command inside the OS
	// sandbox (sandbox.basaltMcpServers). Its error fails the server; it
	// never starts unwrapped. A nil command and error start it directly.
	Wrap func(command string, args []string, dir string, env []string) (*exec.Cmd, error)
}

// Limits read from the environment as Claude Code reads them.
const (
	DefaultStartTimeout    = 30 * time.Second
	DefaultMaxOutputTokens = 25000
)

// OptionsFromConfig fills the timeouts and the output cap from cfg's
// environment (MCP_TIMEOUT and MCP_TOOL_TIMEOUT in milliseconds,
// MAX_MCP_OUTPUT_TOKENS), with a warning for a value that is not a
// number.
func OptionsFromConfig(cfg *config.Config, o Options) (Options, []string) {
	var warns []string
	num := func(name string, def int) int {
		v := strings.TrimSpace(cfg.Getenv(name))
		if v == "" {
			return def
		}
		var n int
		if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n <= 0 {
			warns = append(warns, fmt.Sprintf("%s=%q: want a positive whole number; using %d", name, v, def))
			return def
		}
		return n
	}
	o.StartTimeout = time.Duration(num("MCP_TIMEOUT", int(DefaultStartTimeout/time.Millisecond))) * time.Millisecond
	o.ToolTimeout = time.Duration(num("MCP_TOOL_TIMEOUT", 0)) * time.Millisecond
	o.MaxOutputTokens = num("MAX_MCP_OUTPUT_TOKENS", DefaultMaxOutputTokens)
	mode, err := toolsearch.ParseMode(cfg.Getenv("ENABLE_TOOL_SEARCH"))
	if err != nil {
		warns = append(warns, err.Error()+"; using the default (auto)")
	}
	o.ToolSearch = mode
	o.StateDir = cfg.StateDir
	if o.WorkDir == "" {
		o.WorkDir = cfg.WorkDir
	}
	return o, warns
}

// Manager holds the session's MCP servers. Its methods are safe for
// concurrent use.
type Manager struct {
	o       Options
	servers []*server // by name

	mu     sync.Mutex
	gen    int             // changes whenever the tool list does
	events []string        // notices not yet taken
	loaded map[string]bool // deferred tools the model loaded (defer.go)
	// deferred are the tools the last Tools call left behind ToolSearch.
	deferred map[string]bool
	closed   bool
}

// ServerStatus is one server as /mcp and `mcp list` show it.
type ServerStatus struct {
	Name   string
	Scope  string
	Type   string
	Target string
	State  State
	Error  string // why it failed
	Tools  int
	// Server is the server's name and version as it introduced itself,
	// and Protocol the MCP version the two sides agreed on.
	Server, Protocol string
}

// Start connects every server in the background, in parallel, and
// returns at once: a slow server never holds up the session. ctx bounds
// the connection attempts only; the connections last until Close.
func Start(ctx context.Context, servers []config.MCPServer, o Options) *Manager {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.MaxOutputTokens <= 0 {
		o.MaxOutputTokens = DefaultMaxOutputTokens
	}
	m := &Manager{o: o}
	for _, s := range servers {
		srv := &server{m: m, cfg: s, state: StatePending, ready: make(chan struct{})}
		if s.NeedsApproval {
			srv.state, srv.err = StateDisabled, "not approved for this project"
			close(srv.ready)
		}
		m.servers = append(m.servers, srv)
	}
	sort.Slice(m.servers, func(i, j int) bool { return m.servers[i].cfg.Name < m.servers[j].cfg.Name })
	for _, srv := range m.servers {
		if srv.state == StatePending {
			go srv.connectFirst(context.WithoutCancel(ctx))
		}
	}
	return m
}

// Wait blocks until every server's first connection attempt ended, or
// ctx ends (`mcp list`, tests; a session never waits for all).
func (m *Manager) Wait(ctx context.Context) error {
	for _, s := range m.servers {
		select {
		case <-s.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Statuses are the servers, by name.
func (m *Manager) Statuses() []ServerStatus {
	out := make([]ServerStatus, 0, len(m.servers))
	for _, s := range m.servers {
		out = append(out, s.status())
	}
	return out
}

// Generation changes whenever the list of [Manager.Tools] does: a
// server connected, re-listed its tools, or went away for good.
func (m *Manager) Generation() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen
}

// Tools are the tools of every server whose tools are known, in a fixed
// order (server name, then the server's own order), plus the resource
// tools when a server has resources. A server that died keeps its tools:
// calling one connects it again, and the cached prompt prefix stays.
func (m *Manager) Tools() []tool.Tool {
	return m.deferTools(m.allTools())
}

// Events takes the notices queued since the last call: servers that
// connected, failed, died or changed their tools.
func (m *Manager) Events() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	ev := m.events
	m.events = nil
	return ev
}

func (m *Manager) notify(format string, args ...any) {
	m.mu.Lock()
	m.events = append(m.events, fmt.Sprintf(format, args...))
	m.mu.Unlock()
	if m.o.OnEvent != nil {
		m.o.OnEvent()
	}
}

func (m *Manager) toolsChanged() {
	m.mu.Lock()
	m.gen++
	m.mu.Unlock()
}

// Server returns the server called name.
func (m *Manager) server(name string) *server {
	for _, s := range m.servers {
		if s.cfg.Name == name {
			return s
		}
	}
	return nil
}

// ReadOnly reports whether the tool called name is an MCP tool its server
// marks read-only (readOnlyHint), or a resource tool: plan mode lets
// those run.
func (m *Manager) ReadOnly(name string) bool {
	if name == listResourcesName || name == readResourceName {
		return true
	}
	srvName, toolName, ok := SplitToolName(name)
	if !ok {
		return false
	}
	s := m.server(srvName)
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tools {
		if ToolName("", t.Name) == ToolName("", toolName) {
			return t.Annotations != nil && t.Annotations.ReadOnlyHint
		}
	}
	return false
}

// AwaitTool waits, within ctx, for the server of an MCP tool the model
// called before its server was ready, and reports whether the tool
// exists now. Names of servers that are not pending return at once.
func (m *Manager) AwaitTool(ctx context.Context, name string) bool {
	srvName, _, ok := SplitToolName(name)
	if !ok {
		return false
	}
	s := m.server(srvName)
	if s == nil {
		return false
	}
	select {
	case <-s.ready:
	case <-ctx.Done():
		return false
	}
	if m.loadIfDeferred(name) {
		return true
	}
	for _, t := range m.Tools() {
		if t.Name() == name {
			return true
		}
	}
	return false
}

// Close ends every connection and every server process.
func (m *Manager) Close() error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range m.servers {
		wg.Go(s.close)
	}
	wg.Wait()
	return nil
}

func (m *Manager) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}

// server is one configured server and its connection.
type server struct {
	m   *Manager
	cfg config.MCPServer

	ready chan struct{} // closed when the first connection attempt ended

	connectMu sync.Mutex // one connection attempt at a time

	mu           sync.Mutex
	state        State
	err          string
	sess         *sdk.ClientSession
	cmd          *exec.Cmd
	cancel       context.CancelFunc // ends the connection's context
	tools        []*sdk.Tool
	prompts      []*sdk.Prompt
	hasResources bool
	info         string // "NAME VERSION" the server gave
	protocol     string // negotiated protocol version
}

func (s *server) status() ServerStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ServerStatus{Name: s.cfg.Name, Scope: s.cfg.Scope, Type: s.cfg.Type, Target: s.cfg.Target(), State: s.state, Error: s.err, Tools: len(s.tools), Server: s.info, Protocol: s.protocol}
}

func (s *server) connectFirst(ctx context.Context) {
	defer close(s.ready)
	if err := s.connect(ctx); err != nil {
		st := s.status()
		if st.State == StateNeedsLogin {
			s.m.notify("MCP server %s needs a login: run `basalt mcp login %s`", s.cfg.Name, s.cfg.Name)
			return
		}
		s.m.notify("MCP server %s failed to start: %s", s.cfg.Name, st.Error)
		return
	}
	st := s.status()
	s.m.notify("MCP server %s connected: %d tools", s.cfg.Name, st.Tools)
}

// connect (re)connects the server and lists what it offers.
func (s *server) connect(ctx context.Context) error {
	s.connectMu.Lock()
	defer s.connectMu.Unlock()
	if s.live() {
		return nil
	}
	// The connection's context must outlive Connect (an SSE stream
	// reads with it), so MCP_TIMEOUT is a timer that cancels it, stopped
	// once the server has answered.
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	timedOut := make(chan struct{})
	timer := time.AfterFunc(s.m.o.StartTimeout, func() { close(timedOut); cancel() })
	t, cmd, tail := s.m.transport(s.cfg)
	client := sdk.NewClient(&sdk.Implementation{Name: "basalt", Version: s.m.o.Version}, &sdk.ClientOptions{
		Logger:                   s.m.o.Log,
		ToolListChangedHandler:   func(context.Context, *sdk.ToolListChangedRequest) { go s.relist() },
		PromptListChangedHandler: func(context.Context, *sdk.PromptListChangedRequest) { go s.relistPrompts() },
		ProgressNotificationHandler: func(_ context.Context, r *sdk.ProgressNotificationClientRequest) {
			s.m.o.Log.Debug("mcp progress", "server", s.cfg.Name, "progress", r.Params.Progress, "total", r.Params.Total, "message", r.Params.Message)
		},
	})
	sess, err := client.Connect(ctx, t, nil)
	if err == nil {
		err = s.list(ctx, sess)
		if err != nil {
			sess.Close()
		}
	}
	if !timer.Stop() && err == nil {
		// The timer fired just as the server answered: its context is
		// gone, so the connection is too.
		sess.Close()
		err = context.DeadlineExceeded
	}
	if err != nil {
		cancel()
		if cmd != nil {
			killGroup(cmd)
		}
		select {
		case <-timedOut:
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		default:
		}
		s.mu.Lock()
		s.state, s.err = StateFailed, describeConnectError(err, tail, s.m.o.StartTimeout)
		if needsLogin(err) {
			s.state = StateNeedsLogin
		}
		s.mu.Unlock()
		return fmt.Errorf("MCP server %s: %s", s.cfg.Name, s.status().Error)
	}
	s.mu.Lock()
	s.sess, s.cmd, s.cancel, s.state, s.err = sess, cmd, cancel, StateConnected, ""
	if init := sess.InitializeResult(); init != nil {
		s.protocol = init.ProtocolVersion
		if init.ServerInfo != nil {
			s.info = strings.TrimSpace(init.ServerInfo.Name + " " + init.ServerInfo.Version)
		}
	}
	s.mu.Unlock()
	s.m.toolsChanged()
	go s.watch(sess, tail)
	return nil
}

// list reads the server's tools, prompts and whether it has resources.
func (s *server) list(ctx context.Context, sess *sdk.ClientSession) error {
	caps := sess.InitializeResult().Capabilities
	var tools []*sdk.Tool
	if caps == nil || caps.Tools != nil {
		for t, err := range sess.Tools(ctx, nil) {
			if err != nil {
				return fmt.Errorf("list tools: %w", err)
			}
			tools = append(tools, t)
		}
	}
	var prompts []*sdk.Prompt
	if caps != nil && caps.Prompts != nil {
		for p, err := range sess.Prompts(ctx, nil) {
			if err != nil {
				break // a server's broken prompt list does not cost its tools
			}
			prompts = append(prompts, p)
		}
	}
	s.mu.Lock()
	s.tools, s.prompts, s.hasResources = tools, prompts, caps != nil && caps.Resources != nil
	s.mu.Unlock()
	return nil
}

// relist reads the tools again after notifications/tools/list_changed.
func (s *server) relist() {
	sess := s.session()
	if sess == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.m.o.StartTimeout)
	defer cancel()
	var tools []*sdk.Tool
	for t, err := range sess.Tools(ctx, nil) {
		if err != nil {
			s.m.notify("MCP server %s changed its tools, but listing them failed: %v", s.cfg.Name, err)
			return
		}
		tools = append(tools, t)
	}
	s.mu.Lock()
	s.tools = tools
	s.mu.Unlock()
	s.m.toolsChanged()
	s.m.notify("MCP server %s changed its tools (now %d): the tool definitions sent with every request change, so the next request writes the prompt cache again", s.cfg.Name, len(tools))
}

func (s *server) relistPrompts() {
	sess := s.session()
	if sess == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.m.o.StartTimeout)
	defer cancel()
	var prompts []*sdk.Prompt
	for p, err := range sess.Prompts(ctx, nil) {
		if err != nil {
			return
		}
		prompts = append(prompts, p)
	}
	s.mu.Lock()
	s.prompts = prompts
	s.mu.Unlock()
}

// watch notices a connection that ends while the session runs: the
// server is reported once, and connected again on its next use.
func (s *server) watch(sess *sdk.ClientSession, tail *tailBuffer) {
	_ = sess.Wait()
	if s.m.isClosed() {
		return
	}
	s.mu.Lock()
	if s.sess != sess {
		s.mu.Unlock()
		return
	}
	why := "the connection closed"
	if l := tail.LastLine(); l != "" {
		why += ": " + l
	}
	if s.cmd != nil {
		killGroup(s.cmd)
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.sess, s.cmd, s.cancel, s.state, s.err = nil, nil, nil, StateFailed, why
	s.mu.Unlock()
	s.m.notify("MCP server %s stopped (%s); it starts again when one of its tools is used", s.cfg.Name, why)
}

func (s *server) live() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess != nil
}

func (s *server) session() *sdk.ClientSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess
}

// use returns a live session, connecting again when the server failed or
// died.
func (s *server) use(ctx context.Context) (*sdk.ClientSession, error) {
	if sess := s.session(); sess != nil {
		return sess, nil
	}
	s.mu.Lock()
	disabled := s.state == StateDisabled
	s.mu.Unlock()
	if disabled {
		return nil, fmt.Errorf("MCP server %s is disabled: %s", s.cfg.Name, s.status().Error)
	}
	if err := s.connect(ctx); err != nil {
		return nil, err
	}
	return s.session(), nil
}

func (s *server) close() {
	s.mu.Lock()
	sess, cmd, cancel := s.sess, s.cmd, s.cancel
	s.sess, s.cmd, s.cancel = nil, nil, nil
	s.mu.Unlock()
	if sess != nil {
		_ = sess.Close()
	}
	if cancel != nil {
		cancel()
	}
	if cmd != nil {
		killGroup(cmd)
	}
}
