package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// resolveMCPConfig reads the --mcp-config values as Claude Code does: each
// is a JSON file or, when it starts with "{", a JSON string, holding an
// "mcpServers" object of named servers. basalt does not connect MCP
// servers yet; reading them now means a CI invocation that passes them
// runs, and a broken file is reported before it ever matters.
func (c *Config) resolveMCPConfig(p *problems) {
	for _, arg := range c.flags.MCPConfigs {
		names, err := mcpServerNames(arg, c.WorkDir)
		if err != nil {
			p.add(fmt.Errorf("--mcp-config %s: %w", mcpLabel(arg), err))
			continue
		}
		for _, n := range names {
			c.MCPServers = append(c.MCPServers, Value[string]{Value: n, Source: Source{Kind: SourceFlag, Name: "--mcp-config", Detail: mcpLabel(arg)}, Set: true})
		}
	}
	if c.flags.StrictMCPConfig && len(c.flags.MCPConfigs) == 0 {
		c.warnf("--strict-mcp-config without --mcp-config: no MCP servers (basalt connects none yet either)")
	}
}

// mcpLabel names a --mcp-config value in messages: the file, or "(JSON
// string)" for an inline value, which may hold secrets in its env.
func mcpLabel(arg string) string {
	if strings.HasPrefix(strings.TrimSpace(arg), "{") {
		return "(JSON string)"
	}
	return arg
}

// mcpServerNames returns the server names of one --mcp-config value,
// sorted. A server must be an object with a "command" (stdio) or a "url"
// (http, sse).
func mcpServerNames(arg, workDir string) ([]string, error) {
	data := []byte(arg)
	inline := strings.HasPrefix(strings.TrimSpace(arg), "{")
	if !inline {
		path := arg
		if !filepath.IsAbs(path) {
			path = filepath.Join(workDir, path)
		}
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("cannot read it (%v); give a JSON file or a JSON string", unwrapPathError(err))
		}
	}
	var doc struct {
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonError(data, err)
	}
	if doc.MCPServers == nil {
		return nil, fmt.Errorf(`no "mcpServers" object; want {"mcpServers": {"NAME": {"command": …} or {"url": …}}}`)
	}
	names := make([]string, 0, len(doc.MCPServers))
	for name, raw := range doc.MCPServers {
		var srv struct {
			Command string `json:"command"`
			URL     string `json:"url"`
		}
		if err := json.Unmarshal(raw, &srv); err != nil {
			return nil, fmt.Errorf("server %q: want an object: %v", name, err)
		}
		if srv.Command == "" && srv.URL == "" {
			return nil, fmt.Errorf(`server %q: want a "command" (stdio) or a "url" (http, sse)`, name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
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
