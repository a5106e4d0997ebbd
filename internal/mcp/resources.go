package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/basalt-dev/basalt/internal/tool"
)

// The resource tools carry Claude Code's names, which its users' rules
// already name.
const (
	listResourcesName = "ListMcpResourcesTool"
	readResourceName  = "ReadMcpResourceTool"
)

func (m *Manager) resourceTools(has bool) []tool.Tool {
	if !has {
		return nil
	}
	return []tool.Tool{&listResources{m: m}, &readResource{m: m}}
}

// Resource is one resource a server offers.
type Resource struct {
	Server      string `json:"server"`
	URI         string `json:"uri"`
	Name        string `json:"name"`
	MIMEType    string `json:"mimeType,omitempty"`
	Description string `json:"description,omitempty"`
}

// Resources lists the resources of one server, or of all ("").
func (m *Manager) Resources(ctx context.Context, server string) ([]Resource, error) {
	var out []Resource
	for _, s := range m.servers {
		if server != "" && s.cfg.Name != server {
			continue
		}
		s.mu.Lock()
		has := s.hasResources
		s.mu.Unlock()
		if !has {
			if server != "" {
				return nil, fmt.Errorf("MCP server %s offers no resources", server)
			}
			continue
		}
		sess, err := s.use(ctx)
		if err != nil {
			return nil, err
		}
		for r, err := range sess.Resources(ctx, nil) {
			if err != nil {
				return nil, fmt.Errorf("MCP server %s: list resources: %w", s.cfg.Name, err)
			}
			out = append(out, Resource{Server: s.cfg.Name, URI: r.URI, Name: r.Name, MIMEType: r.MIMEType, Description: r.Description})
		}
	}
	if server != "" && m.server(server) == nil {
		return nil, fmt.Errorf("there is no MCP server %q", server)
	}
	return out, nil
}

// ReadResource reads one resource, as text and image blocks.
func (m *Manager) ReadResource(ctx context.Context, server, uri string) (converted, error) {
	s := m.server(server)
	if s == nil {
		return converted{}, fmt.Errorf("there is no MCP server %q", server)
	}
	sess, err := s.use(ctx)
	if err != nil {
		return converted{}, err
	}
	res, err := sess.ReadResource(ctx, &sdk.ReadResourceParams{URI: uri})
	if err != nil {
		return converted{}, fmt.Errorf("MCP server %s: read %s: %w", server, uri, err)
	}
	var content []sdk.Content
	for _, c := range res.Contents {
		content = append(content, &sdk.EmbeddedResource{Resource: c})
	}
	return convert(content, nil, m.o.MaxOutputTokens), nil
}

type listResources struct{ m *Manager }

func (*listResources) Name() string { return listResourcesName }
func (*listResources) Description() string {
	return "Lists the resources (files, records, documents) that the connected MCP servers offer, with their URIs. Give `server` to list one server's."
}
func (*listResources) InputSchema() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"server":{"type":"string","description":"only this server's resources"}},"additionalProperties":false}`)
}
func (*listResources) ReadOnly() bool { return true }
func (t *listResources) Run(ctx context.Context, _ *tool.Session, input json.RawMessage) (tool.Result, error) {
	var in struct {
		Server string `json:"server"`
	}
	if len(input) > 0 {
		if err := json.Unmarshal(input, &in); err != nil {
			return tool.Result{Content: "invalid input: " + err.Error(), IsError: true}, nil
		}
	}
	rs, err := t.m.Resources(ctx, in.Server)
	if err != nil {
		return tool.Result{Content: err.Error(), IsError: true}, ctx.Err()
	}
	if len(rs) == 0 {
		return tool.Result{Content: "No resources."}, nil
	}
	raw, _ := json.MarshalIndent(rs, "", "  ")
	return tool.Result{Content: string(raw)}, nil
}

type readResource struct{ m *Manager }

func (*readResource) Name() string { return readResourceName }
func (*readResource) Description() string {
	return "Reads one resource of an MCP server by its URI (see ListMcpResourcesTool)."
}
func (*readResource) InputSchema() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"server":{"type":"string","description":"the MCP server's name"},"uri":{"type":"string","description":"the resource's URI"}},"required":["server","uri"],"additionalProperties":false}`)
}
func (*readResource) ReadOnly() bool { return true }
func (t *readResource) Run(ctx context.Context, _ *tool.Session, input json.RawMessage) (tool.Result, error) {
	var in struct {
		Server string `json:"server"`
		URI    string `json:"uri"`
	}
	if err := json.Unmarshal(input, &in); err != nil || in.Server == "" || in.URI == "" {
		return tool.Result{Content: "invalid input: want {\"server\": NAME, \"uri\": URI}", IsError: true}, nil
	}
	c, err := t.m.ReadResource(ctx, in.Server, in.URI)
	if err != nil {
		return tool.Result{Content: err.Error(), IsError: true}, ctx.Err()
	}
	return c.result(false), nil
}

// mentionRE finds @server:uri in a prompt: a server name, a colon, and a
// URI up to the next space.
var mentionRE = regexp.MustCompile(`(^|\s)@([A-Za-z0-9_-]+):(\S+)`)

// Attach reads every @server:uri of a prompt whose server is one of
// the session's, and returns the blocks to send after the prompt's text:
// each resource's content, introduced by its name. A resource that
// cannot be read is a notice, and the prompt goes as written.
func (m *Manager) Attach(ctx context.Context, prompt string) (blocks []anthropic.ContentBlockParamUnion, notices []string) {
	for _, sm := range mentionRE.FindAllStringSubmatch(prompt, -1) {
		server, uri := sm[2], strings.TrimRight(sm[3], ".,;)")
		if m.server(server) == nil {
			continue
		}
		c, err := m.ReadResource(ctx, server, uri)
		if err != nil {
			notices = append(notices, fmt.Sprintf("@%s:%s not attached: %v", server, uri, err))
			continue
		}
		blocks = append(blocks, anthropic.NewTextBlock(fmt.Sprintf("Contents of MCP resource @%s:%s:", server, uri)))
		for _, b := range c.blocks {
			switch {
			case b.OfText != nil:
				blocks = append(blocks, anthropic.NewTextBlock(b.OfText.Text))
			case b.OfImage != nil:
				blocks = append(blocks, anthropic.ContentBlockParamUnion{OfImage: b.OfImage})
			}
		}
	}
	return blocks, notices
}

// Completions are the @server:uri mentions that start with prefix (the
// text after "@"), for the TUI's completion.
func (m *Manager) Completions(ctx context.Context, prefix string) []string {
	rs, err := m.Resources(ctx, "")
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range rs {
		s := r.Server + ":" + r.URI
		if strings.HasPrefix(s, prefix) {
			out = append(out, "@"+s)
		}
	}
	return out
}
