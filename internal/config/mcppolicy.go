package config

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// mcpPolicy is what the settings say about which servers may start.
type mcpPolicy struct {
	enabled   map[string]string // enabledMcpjsonServers: name → the file that says so
	disabled  map[string]string // disabledMcpjsonServers
	enableAll string            // the file whose enableAllProjectMcpServers is true; "" none
	// allowed is the managed allowedMcpServers: nil when no managed file
	// sets it (no restriction); an empty list allows nothing.
	allowed   []mcpMatcher
	allowedIn string
	denied    []mcpMatcher
}

// mcpMatcher is one entry of allowedMcpServers or deniedMcpServers:
// exactly one of serverName, serverCommand (the exact command and
// arguments) or serverUrl (a pattern where * matches anything).
type mcpMatcher struct {
	ServerName    string   `json:"serverName"`
	ServerCommand []string `json:"serverCommand"`
	ServerURL     string   `json:"serverUrl"`
	file          string
}

func (m mcpMatcher) String() string {
	switch {
	case m.ServerName != "":
		return fmt.Sprintf("serverName %q", m.ServerName)
	case len(m.ServerCommand) > 0:
		return fmt.Sprintf("serverCommand %q", m.ServerCommand)
	}
	return fmt.Sprintf("serverUrl %q", m.ServerURL)
}

func (m mcpMatcher) matches(s MCPServer) bool {
	switch {
	case m.ServerName != "":
		return m.ServerName == s.Name
	case len(m.ServerCommand) > 0:
		return s.Type == MCPStdio && slices.Equal(m.ServerCommand, append([]string{s.Command}, s.Args...))
	case m.ServerURL != "":
		return s.Type != MCPStdio && urlPatternMatch(m.ServerURL, s.URL)
	}
	return false
}

// urlPatternMatch matches a URL against a pattern in which * stands for
// any run of characters, "/" included.
func urlPatternMatch(pattern, url string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == url
	}
	if !strings.HasPrefix(url, parts[0]) {
		return false
	}
	rest := url[len(parts[0]):]
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}

// blocks says why the policy keeps s from starting; "" when it may.
func (p mcpPolicy) blocks(s MCPServer) string {
	for _, d := range p.denied {
		if d.matches(s) {
			return fmt.Sprintf("denied by deniedMcpServers (%s) in %s", d, d.file)
		}
	}
	if p.allowed == nil {
		return ""
	}
	// An allowlist with command (URL) entries binds stdio (remote)
	// servers to them: a matching name alone is not enough.
	var byCmd, byURL bool
	for _, a := range p.allowed {
		byCmd = byCmd || len(a.ServerCommand) > 0
		byURL = byURL || a.ServerURL != ""
	}
	for _, a := range p.allowed {
		if a.ServerName != "" && (s.Type == MCPStdio && byCmd || s.Type != MCPStdio && byURL) {
			continue
		}
		if a.matches(s) {
			return ""
		}
	}
	return "not in allowedMcpServers of " + p.allowedIn
}

// mcpPolicy reads the MCP keys of every settings file. A project file's
// approvals count only in a trusted folder (they are risky settings);
// refusals count from anywhere. The allowlist is the managed policy's
// and fails closed: an entry basalt cannot read allows nothing.
func (c *Config) mcpPolicy() mcpPolicy {
	p := mcpPolicy{enabled: map[string]string{}, disabled: map[string]string{}}
	for _, f := range c.Files {
		if f.Status != StatusLoaded || f.Settings == nil {
			continue
		}
		raw := f.Settings.Raw
		approvals := f.Level != LevelProject || c.Trust.Trusted
		if approvals {
			var on bool
			if json.Unmarshal(raw["enableAllProjectMcpServers"], &on) == nil && on {
				p.enableAll = f.Path
			}
			var names []string
			if json.Unmarshal(raw["enabledMcpjsonServers"], &names) == nil {
				for _, n := range names {
					p.enabled[n] = f.Path
				}
			}
		}
		var off []string
		if json.Unmarshal(raw["disabledMcpjsonServers"], &off) == nil {
			for _, n := range off {
				p.disabled[n] = f.Path
			}
		}
		if d, ok := raw["deniedMcpServers"]; ok {
			ms, err := readMatchers(d, f.Path)
			if err != nil {
				c.warnf("%s: deniedMcpServers: %v", f.Path, err)
			}
			p.denied = append(p.denied, ms...)
		}
		if a, ok := raw["allowedMcpServers"]; ok && f.Level == LevelManaged {
			ms, err := readMatchers(a, f.Path)
			if err != nil {
				c.warnf("%s: allowedMcpServers: %v; the managed policy allows no MCP server until it is fixed", f.Path, err)
				ms = []mcpMatcher{}
			}
			p.allowed, p.allowedIn = ms, f.Path
		}
	}
	// Claude Code remembers a user's answers about a project's .mcp.json
	// in ~/.claude.json; basalt's own file has the same place.
	for _, path := range []string{ClaudeJSON(c.Getenv), MCPFile(c.Getenv)} {
		on, off := readProjectApprovals(path, c.ProjectRoot)
		for _, n := range on {
			p.enabled[n] = path
		}
		for _, n := range off {
			p.disabled[n] = path
		}
	}
	return p
}

func readMatchers(raw json.RawMessage, file string) ([]mcpMatcher, error) {
	var ms []mcpMatcher
	if err := json.Unmarshal(raw, &ms); err != nil {
		return nil, fmt.Errorf(`want an array of {"serverName"}, {"serverCommand"} or {"serverUrl"} objects: %v`, err)
	}
	out := ms[:0]
	var bad []string
	for _, m := range ms {
		n := 0
		for _, set := range []bool{m.ServerName != "", len(m.ServerCommand) > 0, m.ServerURL != ""} {
			if set {
				n++
			}
		}
		if n != 1 {
			bad = append(bad, "an entry needs exactly one of serverName, serverCommand, serverUrl")
			continue
		}
		m.file = file
		out = append(out, m)
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return out, nil
}

func readProjectApprovals(path, root string) (on, off []string) {
	var doc mcpFileDoc
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &doc) != nil {
		return nil, nil
	}
	pr := doc.Projects[root]
	return pr.EnabledMcpjsonServers, pr.DisabledMcpjsonServers
}

// expandMCP expands ${VAR} and ${VAR:-default} in the server's command,
// args, env, url and headers, from the session's environment. A variable
// that is unset and has no default keeps the server from starting.
func (c *Config) expandMCP(s MCPServer) (MCPServer, error) {
	var missing []string
	ex := func(v string) string {
		out, miss := ExpandVars(v, func(k string) (string, bool) {
			e, ok := c.Env(k)
			return e.Value, ok
		})
		missing = append(missing, miss...)
		return out
	}
	s.Command = ex(s.Command)
	args := make([]string, len(s.Args))
	for i, a := range s.Args {
		args[i] = ex(a)
	}
	s.Args = args
	s.URL = ex(s.URL)
	s.Env = expandMap(s.Env, ex)
	s.Headers = expandMap(s.Headers, ex)
	if len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		return s, fmt.Errorf("needs environment variable %s, which is not set (write ${NAME:-default} for a default)", strings.Join(missing, ", "))
	}
	return s, nil
}

func expandMap(m map[string]string, ex func(string) string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = ex(v)
	}
	return out
}

// ExpandVars replaces ${NAME} and ${NAME:-default} in s, as Claude Code
// does in MCP configurations. It returns the names that were unset and
// had no default (left as written). A "$" not followed by "{NAME" stays.
func ExpandVars(s string, lookup func(string) (string, bool)) (string, []string) {
	var b strings.Builder
	var missing []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), missing
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			b.WriteString(s)
			return b.String(), missing
		}
		expr := s[i+2 : i+end]
		name, def, hasDef := strings.Cut(expr, ":-")
		b.WriteString(s[:i])
		if !validVarName(name) {
			b.WriteString(s[i : i+end+1])
		} else if v, ok := lookup(name); ok && (v != "" || !hasDef) {
			b.WriteString(v)
		} else if hasDef {
			b.WriteString(def)
		} else {
			missing = append(missing, name)
			b.WriteString(s[i : i+end+1])
		}
		s = s[i+end+1:]
	}
}

func validVarName(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
