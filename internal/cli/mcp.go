package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/mcp"
)

// The mcp commands are spelt as `claude mcp` spells them, so that the
// lines a team's README gives for Claude Code work with basalt too.

func newMCPCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Configure and check MCP servers",
		Long: `Configure MCP servers as Claude Code does: scope local (you, this project;
the default), project (.mcp.json, shared with the repository) or user (you,
every project). basalt keeps its local and user servers in
$XDG_CONFIG_HOME/basalt/mcp.json and also reads the servers you added with
"claude mcp add" (~/.claude.json).`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newMCPAddCmd(app), newMCPAddJSONCmd(app), newMCPListCmd(app), newMCPGetCmd(app), newMCPRemoveCmd(app), newMCPLoginCmd(app))
	return cmd
}

var mcpScopes = []string{config.MCPScopeLocal, config.MCPScopeProject, config.MCPScopeUser}

type mcpAddOptions struct {
	Scope     string
	Transport string
	Env       []string
	Headers   []string
}

func newMCPAddCmd(app *App) *cobra.Command {
	opts := &mcpAddOptions{}
	cmd := &cobra.Command{
		Use:   "add [flags] NAME -- COMMAND [ARGS...] | NAME URL",
		Short: "Add an MCP server",
		Example: `  basalt mcp add github --transport http https://api.example.com/mcp --header "Authorization: Bearer ${TOKEN}"
  basalt mcp add --scope project fs -- npx -y @modelcontextprotocol/server-filesystem .
  basalt mcp add -e API_KEY=xyz db -- ./db-server --port 5432`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMCPAdd(cmd.Context(), app, opts, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Scope, "scope", "s", config.MCPScopeLocal, "where to keep it: local, project (.mcp.json) or user")
	f.StringVarP(&opts.Transport, "transport", "t", config.MCPStdio, "stdio, http or sse")
	f.StringArrayVarP(&opts.Env, "env", "e", nil, "an environment variable of a stdio server, `KEY=VALUE` (repeatable)")
	f.StringArrayVarP(&opts.Headers, "header", "H", nil, "an HTTP header of an http or sse server, `'Name: value'` (repeatable)")
	_ = cmd.RegisterFlagCompletionFunc("scope", fixedCompletion(mcpScopes))
	_ = cmd.RegisterFlagCompletionFunc("transport", fixedCompletion([]string{config.MCPStdio, config.MCPHTTP, config.MCPSSE}))
	return cmd
}

func runMCPAdd(ctx context.Context, app *App, opts *mcpAddOptions, args []string) error {
	name := args[0]
	s := map[string]any{}
	switch opts.Transport {
	case config.MCPStdio:
		if len(opts.Headers) > 0 {
			return usageErrorf("headers go with --transport http or sse", "--header: a stdio server has no HTTP headers")
		}
		s["type"], s["command"] = "stdio", args[1]
		s["args"] = append([]string{}, args[2:]...)
		env := map[string]string{}
		for _, kv := range opts.Env {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return usageErrorf("write it as KEY=VALUE", "--env %q: want KEY=VALUE", kv)
			}
			env[k] = v
		}
		s["env"] = env
	case config.MCPHTTP, config.MCPSSE:
		if len(args) != 2 {
			return usageErrorf("basalt mcp add --transport http NAME URL", "an %s server takes one URL, not %d arguments", opts.Transport, len(args)-1)
		}
		if len(opts.Env) > 0 {
			return usageErrorf("environment variables go with stdio servers", "--env: an %s server runs no command", opts.Transport)
		}
		s["type"], s["url"] = opts.Transport, args[1]
		hdr := map[string]string{}
		for _, h := range opts.Headers {
			k, v, ok := strings.Cut(h, ":")
			if !ok || strings.TrimSpace(k) == "" {
				return usageErrorf("write it as 'Name: value'", "--header %q: want 'Name: value'", h)
			}
			hdr[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		if len(hdr) > 0 {
			s["headers"] = hdr
		}
	default:
		return usageErrorf("use stdio, http or sse", "--transport %q: want stdio, http or sse", opts.Transport)
	}
	raw, _ := json.Marshal(s)
	return addMCPServer(ctx, app, opts.Scope, name, raw)
}

func newMCPAddJSONCmd(app *App) *cobra.Command {
	var scope string
	cmd := &cobra.Command{
		Use:     "add-json NAME JSON",
		Short:   "Add an MCP server from its JSON",
		Example: `  basalt mcp add-json weather '{"type":"stdio","command":"weather-server","args":["--units","metric"]}'`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return addMCPServer(cmd.Context(), app, scope, args[0], []byte(args[1]))
		},
	}
	cmd.Flags().StringVarP(&scope, "scope", "s", config.MCPScopeLocal, "where to keep it: local, project (.mcp.json) or user")
	_ = cmd.RegisterFlagCompletionFunc("scope", fixedCompletion(mcpScopes))
	return cmd
}

// addMCPServer checks the server's JSON and writes it in the file of
// scope, refusing a name the scope already has.
func addMCPServer(ctx context.Context, app *App, scope, name string, raw []byte) error {
	if !slices.Contains(mcpScopes, scope) {
		return usageErrorf("use local, project or user", "--scope %q: want local, project or user", scope)
	}
	srv, err := config.ParseMCPServer(name, raw, "", scope)
	if err != nil {
		return &UsageError{Err: err}
	}
	// What is written is the JSON as given: ${VAR} references stay for
	// each session to expand.
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return &UsageError{Err: err}
	}
	w, err := openMCPScope(app, scope)
	if err != nil {
		return err
	}
	servers, err := w.servers()
	if err != nil {
		return err
	}
	if _, ok := servers[name]; ok {
		return usageErrorf(fmt.Sprintf("remove it first: basalt mcp remove %s --scope %s", name, scope), "MCP server %s already exists in %s config (%s)", name, scope, w.file.Path)
	}
	servers[name] = obj
	if err := w.save(servers); err != nil {
		return err
	}
	fmt.Fprintf(app.IO.Out, "Added %s MCP server %s to %s config (%s)\n", srv.Type, name, scope, w.file.Path)
	if scope == config.MCPScopeProject {
		fmt.Fprintf(app.IO.Out, "Everyone who opens this project is asked to approve it before it starts.\n")
	}
	return nil
}

// mcpScopeFile is the file of one scope, open for editing.
type mcpScopeFile struct {
	file  *config.SettingsFile
	scope string
	root  string // for local: the project's key in "projects"
}

func openMCPScope(app *App, scope string) (*mcpScopeFile, error) {
	getenv := func(k string) string { return app.Env[k] }
	root := projectRoot(app)
	path := config.MCPFile(getenv)
	if scope == config.MCPScopeProject {
		path = config.ProjectMCPFile(root)
	}
	f, err := config.OpenSettings(path)
	if err != nil {
		return nil, err
	}
	return &mcpScopeFile{file: f, scope: scope, root: root}, nil
}

func (w *mcpScopeFile) servers() (map[string]any, error) {
	servers := map[string]any{}
	if w.scope != config.MCPScopeLocal {
		if _, err := w.file.Get("mcpServers", &servers); err != nil {
			return nil, fmt.Errorf("%s: mcpServers: %w", w.file.Path, err)
		}
		return servers, nil
	}
	projects := map[string]map[string]any{}
	if _, err := w.file.Get("projects", &projects); err != nil {
		return nil, fmt.Errorf("%s: projects: %w", w.file.Path, err)
	}
	if m, ok := projects[w.root]["mcpServers"].(map[string]any); ok {
		servers = m
	}
	return servers, nil
}

func (w *mcpScopeFile) save(servers map[string]any) error {
	if w.scope != config.MCPScopeLocal {
		if err := w.file.Set("mcpServers", servers); err != nil {
			return err
		}
		return w.file.Save()
	}
	projects := map[string]map[string]any{}
	if _, err := w.file.Get("projects", &projects); err != nil {
		return err
	}
	if projects[w.root] == nil {
		projects[w.root] = map[string]any{}
	}
	projects[w.root]["mcpServers"] = servers
	if len(servers) == 0 {
		delete(projects[w.root], "mcpServers")
		if len(projects[w.root]) == 0 {
			delete(projects, w.root)
		}
	}
	if err := w.file.Set("projects", projects); err != nil {
		return err
	}
	return w.file.Save()
}

// projectRoot is the project root the configuration would find.
func projectRoot(app *App) string {
	if app.Config != nil {
		return app.Config.ProjectRoot
	}
	return config.ProjectRoot(app.WorkDir)
}

func newMCPRemoveCmd(app *App) *cobra.Command {
	var scope string
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove an MCP server",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMCPRemove(cmd.Context(), app, scope, args[0])
		},
	}
	cmd.Flags().StringVarP(&scope, "scope", "s", "", "the scope to remove it from (local, project or user); needed when it is in several")
	_ = cmd.RegisterFlagCompletionFunc("scope", fixedCompletion(mcpScopes))
	return cmd
}

func runMCPRemove(ctx context.Context, app *App, scope, name string) error {
	scopes := mcpScopes
	if scope != "" {
		if !slices.Contains(mcpScopes, scope) {
			return usageErrorf("use local, project or user", "--scope %q: want local, project or user", scope)
		}
		scopes = []string{scope}
	}
	var found []*mcpScopeFile
	for _, sc := range scopes {
		w, err := openMCPScope(app, sc)
		if err != nil {
			return err
		}
		servers, err := w.servers()
		if err != nil {
			return err
		}
		if _, ok := servers[name]; ok {
			found = append(found, w)
		}
	}
	switch len(found) {
	case 0:
		if cfg, _ := mcpConfig(ctx, app); cfg != nil {
			if s, ok := cfg.MCP.Server(name); ok && s.File != "" {
				return usageErrorf(fmt.Sprintf("it is Claude Code's: remove it with `claude mcp remove %s`, or edit %s", name, s.File), "MCP server %s is not in basalt's files; it comes from %s", name, s.File)
			}
		}
		return usageErrorf("`basalt mcp list` shows the servers", "no MCP server %s", name)
	case 1:
	default:
		var ss []string
		for _, w := range found {
			ss = append(ss, w.scope)
		}
		return usageErrorf(fmt.Sprintf("say which: basalt mcp remove %s --scope %s", name, ss[0]), "MCP server %s is in several scopes: %s", name, strings.Join(ss, ", "))
	}
	w := found[0]
	servers, _ := w.servers()
	delete(servers, name)
	if err := w.save(servers); err != nil {
		return err
	}
	fmt.Fprintf(app.IO.Out, "Removed MCP server %s from %s config (%s)\n", name, w.scope, w.file.Path)
	return nil
}

// mcpConfig loads the configuration for the mcp commands: they inspect
// and edit, so an untrusted folder is no refusal (its project settings
// simply approve nothing), and remembered approvals apply.
func mcpConfig(ctx context.Context, app *App) (*config.Config, error) {
	app.allowUntrusted = true
	cfg, err := app.loadConfig(ctx)
	app.allowUntrusted = false
	if cfg == nil {
		return nil, err
	}
	if err := app.settleMCP(ctx, cfg, false, nil); err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(app.IO.ErrOut, "basalt: warning: %s\n", w)
	}
	return cfg, nil
}

func newMCPListCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the MCP servers and check each one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMCPList(cmd.Context(), app)
		},
	}
}

// checkServers connects the servers that may start, waits for them
// (MCP_TIMEOUT each, in parallel), and returns every server's status.
func checkServers(ctx context.Context, app *App, cfg *config.Config) []mcp.ServerStatus {
	o, _ := mcp.OptionsFromConfig(cfg, mcp.Options{Log: app.Log, Version: currentVersion().Version, Env: cfg.CommandEnv()})
	m := mcp.Start(ctx, cfg.MCP.Servers, o)
	defer m.Close()
	wctx, cancel := context.WithTimeout(ctx, o.StartTimeout+5*time.Second)
	defer cancel()
	_ = m.Wait(wctx)
	st := m.Statuses()
	for _, sk := range cfg.MCP.Skipped {
		st = append(st, mcp.ServerStatus{Name: sk.Name, Scope: sk.Scope, State: mcp.StateDisabled, Error: sk.Reason})
	}
	sort.SliceStable(st, func(i, j int) bool { return st[i].Name < st[j].Name })
	return st
}

func statusText(s mcp.ServerStatus) string {
	switch s.State {
	case mcp.StateConnected:
		return "✓ Connected"
	case mcp.StateNeedsLogin:
		return "! Needs login: run `basalt mcp login " + s.Name + "`"
	case mcp.StateDisabled:
		return "- Disabled: " + s.Error
	case mcp.StatePending:
		return "… Still connecting"
	}
	return "✗ Failed: " + s.Error
}

func runMCPList(ctx context.Context, app *App) error {
	cfg, err := mcpConfig(ctx, app)
	if cfg == nil {
		return err
	}
	if len(cfg.MCP.Servers)+len(cfg.MCP.Skipped) == 0 {
		fmt.Fprintln(app.IO.Out, "No MCP servers configured. Use `basalt mcp add` to add a server.")
		return nil
	}
	fmt.Fprintln(app.IO.Out, "Checking MCP server health...")
	fmt.Fprintln(app.IO.Out)
	for _, s := range checkServers(ctx, app, cfg) {
		target := s.Target
		if target == "" {
			if srv, ok := cfg.MCP.Server(s.Name); ok {
				target = srv.Target()
			}
		}
		if target != "" {
			fmt.Fprintf(app.IO.Out, "%s: %s - %s\n", s.Name, target, statusText(s))
		} else {
			fmt.Fprintf(app.IO.Out, "%s: %s\n", s.Name, statusText(s))
		}
	}
	return nil
}

func newMCPGetCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "get NAME",
		Short: "Show one MCP server's configuration and status",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMCPGet(cmd.Context(), app, args[0])
		},
	}
}

var scopeWords = map[string]string{
	config.MCPScopeLocal:   "Local config (private to you in this project)",
	config.MCPScopeProject: "Project config (shared via .mcp.json)",
	config.MCPScopeUser:    "User config (available in all your projects)",
	config.MCPScopeDynamic: "Dynamic config (--mcp-config)",
}

func runMCPGet(ctx context.Context, app *App, name string) error {
	cfg, err := mcpConfig(ctx, app)
	if cfg == nil {
		return err
	}
	srv, ok := cfg.MCP.Server(name)
	if !ok {
		for _, sk := range cfg.MCP.Skipped {
			if sk.Name == name {
				fmt.Fprintf(app.IO.Out, "%s:\n  Scope: %s\n  Status: - Disabled: %s\n", name, scopeWords[sk.Scope], sk.Reason)
				return nil
			}
		}
		return usageErrorf("`basalt mcp list` shows the servers", "no MCP server %s", name)
	}
	one := *cfg
	one.MCP = config.MCPConfig{Servers: []config.MCPServer{srv}}
	st := checkServers(ctx, app, &one)[0]
	out := app.IO.Out
	fmt.Fprintf(out, "%s:\n", name)
	fmt.Fprintf(out, "  Scope: %s\n", scopeWords[srv.Scope])
	fmt.Fprintf(out, "  File: %s\n", srv.File)
	fmt.Fprintf(out, "  Status: %s\n", statusText(st))
	if st.Server != "" {
		fmt.Fprintf(out, "  Server: %s (MCP %s)\n", st.Server, st.Protocol)
	}
	if srv.Approval != "" {
		fmt.Fprintf(out, "  Approved: %s\n", srv.Approval)
	}
	fmt.Fprintf(out, "  Type: %s\n", srv.Type)
	if srv.Type == config.MCPStdio {
		fmt.Fprintf(out, "  Command: %s\n", srv.Command)
		fmt.Fprintf(out, "  Args: %s\n", strings.Join(srv.Args, " "))
		if len(srv.Env) > 0 {
			fmt.Fprintln(out, "  Environment:")
			for _, k := range sortedKeys(srv.Env) {
				fmt.Fprintf(out, "    %s=%s\n", k, config.RedactVar(k, srv.Env[k]))
			}
		}
	} else {
		fmt.Fprintf(out, "  URL: %s\n", srv.URL)
		if len(srv.Headers) > 0 {
			fmt.Fprintln(out, "  Headers:")
			for _, k := range sortedKeys(srv.Headers) {
				fmt.Fprintf(out, "    %s: %s\n", k, config.RedactHeader(k, srv.Headers[k]))
			}
		}
	}
	if st.Tools > 0 {
		fmt.Fprintf(out, "  Tools: %d\n", st.Tools)
	}
	if srv.Scope != config.MCPScopeDynamic {
		fmt.Fprintf(out, "\nTo remove this server, run: basalt mcp remove %s --scope %s\n", name, srv.Scope)
	}
	return nil
}

func newMCPLoginCmd(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "login NAME",
		Short: "Log in to an HTTP MCP server (OAuth, in your browser)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMCPLogin(cmd.Context(), app, args[0])
		},
	}
}

func runMCPLogin(ctx context.Context, app *App, name string) error {
	cfg, err := mcpConfig(ctx, app)
	if cfg == nil {
		return err
	}
	srv, ok := cfg.MCP.Server(name)
	if !ok {
		return usageErrorf("`basalt mcp list` shows the servers", "no MCP server %s", name)
	}
	open := func(url string) error {
		fmt.Fprintf(app.IO.ErrOut, "Open this address in your browser to log in to %s:\n  %s\n", name, url)
		return nil
	}
	if err := mcp.Login(ctx, srv, cfg.StateDir, open); err != nil {
		// A stdio server is a usage error (mcp.Login says why); a flow
		// that failed at a step is an authentication failure, exit 3.
		if srv.Type == config.MCPStdio {
			return &UsageError{Err: err}
		}
		return fmt.Errorf("mcp login %s: %w", name, err)
	}
	fmt.Fprintf(app.IO.Out, "Logged in to %s.\n", name)
	return nil
}
