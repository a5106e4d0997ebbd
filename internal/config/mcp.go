package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MCP servers are configured as Claude Code configures them (its "mcp"
// documentation is the authority), in four scopes:
//
//   - user: basalt's MCPFile "mcpServers", else (per name) the
//     top-level "mcpServers" of Claude Code's ~/.claude.json;
//   - project: the project's .mcp.json, committed with the code;
//   - local: basalt's MCPFile "projects"[ROOT]."mcpServers", else
//     ~/.claude.json "projects"[ROOT]."mcpServers" (private to the user);
//   - dynamic: --mcp-config FILE|JSON, repeatable.
//
// A name defined in several scopes is taken from the highest: dynamic >
// local > project > user. --strict-mcp-config keeps only the dynamic ones.
// Project servers come from the repository, so they start only once the
// user approved them (settings enableAllProjectMcpServers,
// enabledMcpjsonServers, or the remembered answer the frontend asks
// for); disabledMcpjsonServers turns one off, and the managed
// allowedMcpServers/deniedMcpServers filter every scope (deny wins).

// MCP scopes, spelt as `claude mcp add --scope` spells them.
const (
	MCPScopeUser    = "user"
	MCPScopeProject = "project"
	MCPScopeLocal   = "local"
	MCPScopeDynamic = "dynamic" // --mcp-config
)

// MCP transports.
const (
	MCPStdio = "stdio"
	MCPHTTP  = "http"
	MCPSSE   = "sse"
)

// MCPServer is one configured server, with its ${VAR} references
// expanded.
type MCPServer struct {
	Name    string
	Type    string // MCPStdio, MCPHTTP or MCPSSE
	Command string
	Args    []string
	Env     map[string]string
	URL     string
	Headers map[string]string

	Scope string // MCPScope…
	File  string // where it is defined ("--mcp-config (JSON string)" for an inline value)
	// NeedsApproval is set on a project server that no setting approved:
	// it starts only if the user approves it ([MCPApprovalKey]).
	NeedsApproval bool
	// Approval says what approved a project server, for /mcp and get.
	Approval string
}

// Target is what the server runs or reaches: the command line, or the URL.
func (s MCPServer) Target() string {
	if s.Type == MCPStdio {
		return strings.TrimSpace(s.Command + " " + strings.Join(s.Args, " "))
	}
	return s.URL
}

// MCPSkip is a configured server that does not start, and why.
type MCPSkip struct {
	Name   string
	Scope  string
	Reason string
}

// MCPConfig is the resolved MCP configuration of a session.
type MCPConfig struct {
	// Servers are the servers of the session, by name; those with
	// NeedsApproval start only when approved.
	Servers []MCPServer
	// Skipped are servers left out by settings or policy, with why.
	Skipped []MCPSkip
	// ProjectFile is the project's .mcp.json ("" when absent), and
	// ProjectHash the hash of its bytes: an approval is for this content.
	ProjectFile string
	ProjectHash string
}

// Server returns the server called name.
func (m MCPConfig) Server(name string) (MCPServer, bool) {
	for _, s := range m.Servers {
		if s.Name == name {
			return s, true
		}
	}
	return MCPServer{}, false
}

// MCPApprovalKey is the folder under which an approval of the project's
// .mcp.json is remembered in the trust store: the file itself, so that
// `basalt trust --list` shows it beside the folder decisions and
// `basalt trust --revoke FILE` forgets it.
func (m MCPConfig) MCPApprovalKey() string { return m.ProjectFile }

// Approve marks the project servers named as approved by what ("you,
// remembered"), and the other servers needing approval as skipped with
// reason skipped.
func (m *MCPConfig) Approve(names []string, what, skipped string) {
	ok := map[string]bool{}
	for _, n := range names {
		ok[n] = true
	}
	var keep []MCPServer
	for _, s := range m.Servers {
		if s.NeedsApproval {
			if !ok[s.Name] {
				if skipped != "" {
					m.Skipped = append(m.Skipped, MCPSkip{Name: s.Name, Scope: s.Scope, Reason: skipped})
					continue
				}
				keep = append(keep, s)
				continue
			}
			s.NeedsApproval, s.Approval = false, what
		}
		keep = append(keep, s)
	}
	m.Servers = keep
}

// Pending are the project servers waiting for the user's approval.
func (m MCPConfig) Pending() []MCPServer {
	var out []MCPServer
	for _, s := range m.Servers {
		if s.NeedsApproval {
			out = append(out, s)
		}
	}
	return out
}

// MCPFile is basalt's own file of user- and local-scope MCP servers:
// $XDG_CONFIG_HOME/basalt/mcp.json, the shape of ~/.claude.json's MCP
// part ({"mcpServers":{…},"projects":{ROOT:{"mcpServers":{…}}}}).
func MCPFile(getenv func(string) string) string {
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(getenv("HOME"), ".config")
	}
	return filepath.Join(xdg, "basalt", "mcp.json")
}

// ClaudeJSON is Claude Code's ~/.claude.json.
func ClaudeJSON(getenv func(string) string) string {
	return filepath.Join(getenv("HOME"), ".claude.json")
}

// ProjectMCPFile is the project's .mcp.json.
func ProjectMCPFile(root string) string { return filepath.Join(root, ".mcp.json") }

// resolveMCP builds c.MCP. A --mcp-config value that cannot be read is a
// usage error; every other file is the user's or the team's as written,
// so a broken one is a warning naming it and the rest applies.
func (c *Config) resolveMCP(p *problems) {
	var dynamic []MCPServer
	for _, arg := range c.flags.MCPConfigs {
		label := "--mcp-config " + mcpLabel(arg)
		data := []byte(arg)
		if !strings.HasPrefix(strings.TrimSpace(arg), "{") {
			path := arg
			if !filepath.IsAbs(path) {
				path = filepath.Join(c.WorkDir, path)
			}
			var err error
			if data, err = os.ReadFile(path); err != nil {
				p.add(fmt.Errorf("%s: cannot read it (%v); give a JSON file or a JSON string", label, unwrapPathError(err)))
				continue
			}
		}
		servers, err := ParseMCPServers(data, label, MCPScopeDynamic)
		if err != nil {
			p.add(fmt.Errorf("%s: %w", label, err))
			continue
		}
		dynamic = append(dynamic, servers...)
	}
	for _, s := range dynamic {
		c.MCPServers = append(c.MCPServers, Value[string]{Value: s.Name, Source: Source{Kind: SourceFlag, Name: "--mcp-config", Detail: strings.TrimPrefix(s.File, "--mcp-config ")}, Set: true})
	}

	byName := map[string]MCPServer{}
	put := func(list []MCPServer) {
		for _, s := range list {
			byName[s.Name] = s
		}
	}
	if !c.flags.StrictMCPConfig {
		user, local := c.readUserMCP()
		put(user)
		put(c.readProjectMCP())
		put(local)
	}
	put(dynamic)

	pol := c.mcpPolicy()
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := byName[n]
		var err error
		if s, err = c.expandMCP(s); err != nil {
			c.MCP.Skipped = append(c.MCP.Skipped, MCPSkip{Name: n, Scope: s.Scope, Reason: err.Error()})
			continue
		}
		if why := pol.blocks(s); why != "" {
			c.MCP.Skipped = append(c.MCP.Skipped, MCPSkip{Name: n, Scope: s.Scope, Reason: why})
			continue
		}
		if s.Scope == MCPScopeProject {
			if src, off := pol.disabled[n]; off {
				c.MCP.Skipped = append(c.MCP.Skipped, MCPSkip{Name: n, Scope: s.Scope, Reason: "disabled by disabledMcpjsonServers in " + src})
				continue
			}
			switch src, on := pol.enabled[n]; {
			case on:
				s.Approval = "enabledMcpjsonServers in " + src
			case pol.enableAll != "":
				s.Approval = "enableAllProjectMcpServers in " + pol.enableAll
			default:
				s.NeedsApproval = true
			}
		}
		c.MCP.Servers = append(c.MCP.Servers, s)
	}
}

// readUserMCP reads the user- and local-scope servers: basalt's file
// first, Claude Code's ~/.claude.json for names basalt's does not have.
func (c *Config) readUserMCP() (user, local []MCPServer) {
	seenUser, seenLocal := map[string]bool{}, map[string]bool{}
	for _, path := range []string{MCPFile(c.Getenv), ClaudeJSON(c.Getenv)} {
		u, l, err := ReadMCPFile(path, c.ProjectRoot)
		if err != nil {
			c.warnf("%v; its MCP servers are not used", err)
			continue
		}
		for _, s := range u {
			if !seenUser[s.Name] {
				seenUser[s.Name] = true
				user = append(user, s)
			}
		}
		for _, s := range l {
			if !seenLocal[s.Name] {
				seenLocal[s.Name] = true
				local = append(local, s)
			}
		}
	}
	return user, local
}

// readProjectMCP reads .mcp.json and records its hash.
func (c *Config) readProjectMCP() []MCPServer {
	path := ProjectMCPFile(c.ProjectRoot)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		c.warnf("%s: %v; its MCP servers are not used", path, unwrapPathError(err))
		return nil
	}
	sum := sha256.Sum256(data)
	c.MCP.ProjectFile, c.MCP.ProjectHash = path, hex.EncodeToString(sum[:])
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		c.warnf("%v; its MCP servers are not used", fileJSONError(path, data, err))
		return nil
	}
	servers, err := ParseMCPServers(data, path, MCPScopeProject)
	if err != nil {
		c.warnf("%s: %v; its MCP servers are not used", path, err)
		return nil
	}
	return servers
}

// mcpFileDoc is the MCP part of basalt's mcp.json and of ~/.claude.json.
type mcpFileDoc struct {
	MCPServers json.RawMessage `json:"mcpServers"`
	Projects   map[string]struct {
		MCPServers             json.RawMessage `json:"mcpServers"`
		EnabledMcpjsonServers  []string        `json:"enabledMcpjsonServers"`
		DisabledMcpjsonServers []string        `json:"disabledMcpjsonServers"`
	} `json:"projects"`
}

// ReadMCPFile reads the user-scope servers of a file in the shape of
// ~/.claude.json, and the local-scope ones of the project root. A missing
// file has none.
func ReadMCPFile(path, root string) (user, local []MCPServer, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	var doc mcpFileDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fileJSONError(path, data, err)
	}
	if len(doc.MCPServers) > 0 {
		if user, err = parseServerMap(doc.MCPServers, path, MCPScopeUser); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	if pr, ok := doc.Projects[root]; ok && len(pr.MCPServers) > 0 {
		if local, err = parseServerMap(pr.MCPServers, path, MCPScopeLocal); err != nil {
			return nil, nil, fmt.Errorf("%s: projects[%q]: %v", path, root, err)
		}
	}
	return user, local, nil
}

// ParseMCPServers reads a document with an "mcpServers" object, as
// .mcp.json and --mcp-config hold. Errors name line and column.
func ParseMCPServers(data []byte, file, scope string) ([]MCPServer, error) {
	var doc struct {
		MCPServers json.RawMessage `json:"mcpServers"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(data, err)
	}
	if len(doc.MCPServers) == 0 || string(doc.MCPServers) == "null" {
		return nil, fmt.Errorf(`no "mcpServers" object; want {"mcpServers": {"NAME": {"command": …} or {"url": …}}}`)
	}
	return parseServerMap(doc.MCPServers, file, scope)
}

// mcpServerJSON is one server as Claude Code writes it.
type mcpServerJSON struct {
	Type    string            `json:"type"`
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// ParseMCPServer reads one server's JSON (claude mcp add-json).
func ParseMCPServer(name string, raw []byte, file, scope string) (MCPServer, error) {
	if err := ValidMCPName(name); err != nil {
		return MCPServer{}, err
	}
	var j mcpServerJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return MCPServer{}, fmt.Errorf("server %q: %v", name, jsonError(raw, err))
	}
	s := MCPServer{Name: name, Type: j.Type, Command: j.Command, Args: j.Args, Env: j.Env, URL: j.URL, Headers: j.Headers, Scope: scope, File: file}
	switch s.Type {
	case "":
		s.Type = MCPStdio
		if s.Command == "" && s.URL != "" {
			// Claude Code reads a bare url as an HTTP server.
			s.Type = MCPHTTP
		}
	case MCPStdio, MCPHTTP, MCPSSE:
	case "streamable-http", "streamableHttp":
		s.Type = MCPHTTP
	default:
		return MCPServer{}, fmt.Errorf(`server %q: type %q: want "stdio", "http" or "sse"`, name, s.Type)
	}
	if s.Type == MCPStdio && s.Command == "" {
		return MCPServer{}, fmt.Errorf(`server %q: want a "command" (stdio) or a "url" (http, sse)`, name)
	}
	if s.Type != MCPStdio && s.URL == "" {
		return MCPServer{}, fmt.Errorf(`server %q: a %s server needs a "url"`, name, s.Type)
	}
	return s, nil
}

// ValidMCPName checks a server name: it becomes part of tool names
// (mcp__NAME__tool), so letters, digits, _ and - only.
func ValidMCPName(name string) error {
	if name == "" {
		return fmt.Errorf("an MCP server needs a name")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("MCP server name %q: use letters, digits, _ and - only", name)
		}
	}
	return nil
}

func parseServerMap(raw json.RawMessage, file, scope string) ([]MCPServer, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf(`"mcpServers" must be an object of named servers`)
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]MCPServer, 0, len(names))
	for _, n := range names {
		s, err := ParseMCPServer(n, m[n], file, scope)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// mcpLabel names a --mcp-config value in messages: the file, or "(JSON
// string)" for an inline value, which may hold secrets in its env.
func mcpLabel(arg string) string {
	if strings.HasPrefix(strings.TrimSpace(arg), "{") {
		return "(JSON string)"
	}
	return arg
}

// jsonError says where a JSON document stops making sense, as line and
// column.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	off := -1
	switch {
	case errors.As(err, &syn):
		off = int(syn.Offset) - 1 // Offset is just past the bad byte
	case errors.As(err, &typ):
		off = int(typ.Offset)
	}
	if off < 0 {
		return fmt.Errorf("not JSON: %v", err)
	}
	line, col := lineCol(data, off)
	return fmt.Errorf("line %d, column %d: not JSON: %v", line, col, err)
}

// fileJSONError is a JSON error of a file as FILE:LINE:COL, the form
// editors jump to.
func fileJSONError(path string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	off := -1
	switch {
	case errors.As(err, &syn):
		off = int(syn.Offset) - 1
	case errors.As(err, &typ):
		off = int(typ.Offset)
	}
	if off < 0 {
		return fmt.Errorf("%s: not JSON: %v", path, err)
	}
	line, col := lineCol(data, off)
	return fmt.Errorf("%s:%d:%d: not JSON: %v", path, line, col, err)
}
