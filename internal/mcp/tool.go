package mcp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/basalt-dev/basalt/internal/tool"
)

// ToolName is the name the model calls a server's tool by:
// mcp__SERVER__TOOL, with every character the API does not accept in a
// tool name turned into "_", as Claude Code does.
func ToolName(server, name string) string {
	if server == "" {
		return normalize(name)
	}
	return "mcp__" + normalize(server) + "__" + normalize(name)
}

func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// SplitToolName splits mcp__SERVER__TOOL. Server names cannot hold "__"
// (config.ValidMCPName allows it, but the first "__" after the prefix
// ends the server name, as in Claude Code).
func SplitToolName(name string) (server, tool string, ok bool) {
	rest, ok := strings.CutPrefix(name, "mcp__")
	if !ok {
		return "", "", false
	}
	server, tool, ok = strings.Cut(rest, "__")
	return server, tool, ok && server != "" && tool != ""
}

// mcpTool is one server tool as a basalt tool.
type mcpTool struct {
	srv  *server
	def  *sdk.Tool
	name string
}

func (t *mcpTool) Name() string { return t.name }

// Description is the server's description, with the server named so the
// model knows where a tool comes from.
func (t *mcpTool) Description() string {
	d := strings.TrimSpace(t.def.Description)
	if d == "" {
		d = t.def.Title
	}
	return d
}

func (t *mcpTool) InputSchema() json.RawMessage {
	raw, err := json.Marshal(t.def.InputSchema)
	if err != nil || string(raw) == "null" || string(raw) == "{}" {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return raw
}

// ReadOnly is the server's readOnlyHint: such calls may run side by side.
func (t *mcpTool) ReadOnly() bool { return t.def.Annotations != nil && t.def.Annotations.ReadOnlyHint }

// Annotations describe the tool for the permission prompt: its server,
// and what its hints say.
func (t *mcpTool) Annotations() Annotations {
	a := Annotations{Server: t.srv.cfg.Name, Tool: t.def.Name}
	if h := t.def.Annotations; h != nil {
		a.ReadOnly = h.ReadOnlyHint
		a.Destructive = !h.ReadOnlyHint && (h.DestructiveHint == nil || *h.DestructiveHint)
		a.Title = h.Title
	}
	return a
}

// Annotations are what a frontend shows about an MCP tool call.
type Annotations struct {
	Server, Tool, Title string
	ReadOnly            bool
	// Destructive is the server's destructiveHint; absent, the MCP
	// specification says to assume it for a tool that is not read-only.
	Destructive bool
}

// Describe is one line for a permission prompt: "tool echo of MCP
// server everything (read-only)".
func (a Annotations) Describe() string {
	s := fmt.Sprintf("tool %s of MCP server %s", a.Tool, a.Server)
	switch {
	case a.ReadOnly:
		s += " (read-only)"
	case a.Destructive:
		s += " (may change or delete things)"
	}
	return s
}

// AnnotationsOf returns the annotations of an MCP tool.
func AnnotationsOf(t tool.Tool) (Annotations, bool) {
	mt, ok := t.(*mcpTool)
	if !ok {
		return Annotations{}, false
	}
	return mt.Annotations(), true
}

func (t *mcpTool) Run(ctx context.Context, _ *tool.Session, input json.RawMessage) (tool.Result, error) {
	if len(strings.TrimSpace(string(input))) == 0 {
		input = json.RawMessage("{}")
	}
	sess, err := t.srv.use(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return tool.Result{Content: "interrupted by the user", IsError: true}, ctx.Err()
		}
		return tool.Result{Content: err.Error(), IsError: true}, nil
	}
	callCtx := ctx
	if d := t.srv.m.o.ToolTimeout; d > 0 {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	params := &sdk.CallToolParams{Name: t.def.Name, Arguments: input}
	params.SetProgressToken(t.name)
	res, err := sess.CallTool(callCtx, params)
	switch {
	case ctx.Err() != nil:
		return tool.Result{Content: "interrupted by the user", IsError: true}, ctx.Err()
	case errors.Is(callCtx.Err(), context.DeadlineExceeded):
		return tool.Result{Content: fmt.Sprintf("MCP tool %s did not answer within %s (MCP_TOOL_TIMEOUT)", t.name, t.srv.m.o.ToolTimeout), IsError: true}, nil
	case err != nil:
		return tool.Result{Content: fmt.Sprintf("MCP server %s: %v", t.srv.cfg.Name, err), IsError: true}, nil
	}
	out := convert(res.Content, res.StructuredContent, t.srv.m.o.MaxOutputTokens)
	return out.result(res.IsError), nil
}

// Blocks is the Display of an MCP result: the content the model gets, in
// order, images included. The agent sends it in place of the text.
type Blocks struct {
	Content []anthropic.ToolResultBlockParamContentUnion
}

// ToolResultContent is what the tool_result block carries.
func (b *Blocks) ToolResultContent() []anthropic.ToolResultBlockParamContentUnion { return b.Content }

// converted is an MCP result read for the model.
type converted struct {
	text   string // everything as text, images as placeholders (UI, transcript search)
	blocks []anthropic.ToolResultBlockParamContentUnion
	images int
}

func (c converted) result(isError bool) tool.Result {
	r := tool.Result{Content: c.text, IsError: isError}
	if c.images > 0 {
		r.Display = &Blocks{Content: c.blocks}
	}
	return r
}

// imageTypes are the image types the Messages API accepts.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// convert turns MCP content into text and image blocks. Text beyond
// maxTokens (about 4 bytes a token) is cut, with a note saying so.
func convert(content []sdk.Content, structured any, maxTokens int) converted {
	var c converted
	var texts []string
	addText := func(s string) {
		texts = append(texts, s)
		c.blocks = append(c.blocks, anthropic.ToolResultBlockParamContentUnion{OfText: &anthropic.TextBlockParam{Text: s}})
	}
	addImage := func(data []byte, mime, what string) {
		if !imageTypes[mime] {
			addText(fmt.Sprintf("[%s: %s, %d bytes, a type the model cannot view]", what, mime, len(data)))
			return
		}
		c.images++
		texts = append(texts, fmt.Sprintf("[image %s, %d bytes]", mime, len(data)))
		c.blocks = append(c.blocks, anthropic.ToolResultBlockParamContentUnion{OfImage: &anthropic.ImageBlockParam{
			Source: anthropic.ImageBlockParamSourceUnion{OfBase64: &anthropic.Base64ImageSourceParam{
				Data: base64.StdEncoding.EncodeToString(data), MediaType: anthropic.Base64ImageSourceMediaType(mime)}}}})
	}
	for _, item := range content {
		switch v := item.(type) {
		case *sdk.TextContent:
			addText(v.Text)
		case *sdk.ImageContent:
			addImage(v.Data, v.MIMEType, "image")
		case *sdk.AudioContent:
			addText(fmt.Sprintf("[audio: %s, %d bytes, not shown to the model]", v.MIMEType, len(v.Data)))
		case *sdk.ResourceLink:
			s := fmt.Sprintf("[resource link: %s <%s>", v.Name, v.URI)
			if v.MIMEType != "" {
				s += " " + v.MIMEType
			}
			if v.Description != "" {
				s += ": " + v.Description
			}
			addText(s + "]")
		case *sdk.EmbeddedResource:
			r := v.Resource
			switch {
			case r == nil:
			case r.Blob != nil && strings.HasPrefix(r.MIMEType, "image/"):
				addImage(r.Blob, r.MIMEType, "resource "+r.URI)
			case r.Blob != nil:
				addText(fmt.Sprintf("[resource %s: %s, %d bytes of binary data]", r.URI, r.MIMEType, len(r.Blob)))
			default:
				addText(fmt.Sprintf("[resource %s]\n%s", r.URI, r.Text))
			}
		default:
			raw, _ := json.Marshal(item)
			addText(string(raw))
		}
	}
	if len(content) == 0 && structured != nil {
		raw, _ := json.Marshal(structured)
		addText(string(raw))
	}
	c.text = strings.Join(texts, "\n")
	c.cap(maxTokens)
	return c
}

// cap keeps the text of the result within maxTokens, cutting the text
// blocks from the end.
func (c *converted) cap(maxTokens int) {
	limit := maxTokens * 4
	total := 0
	for _, b := range c.blocks {
		if b.OfText != nil {
			total += len(b.OfText.Text)
		}
	}
	if total <= limit {
		return
	}
	note := fmt.Sprintf("\n\n[Output truncated: this MCP result is about %d tokens, more than MAX_MCP_OUTPUT_TOKENS (%d). Ask the tool for less (a narrower query, a page, a limit), or raise MAX_MCP_OUTPUT_TOKENS.]", total/4, maxTokens)
	budget := limit
	var kept []anthropic.ToolResultBlockParamContentUnion
	for _, b := range c.blocks {
		if b.OfText == nil {
			kept = append(kept, b)
			continue
		}
		if budget <= 0 {
			continue
		}
		t := b.OfText.Text
		if len(t) > budget {
			t = cutUTF8(t, budget)
		}
		budget -= len(t)
		kept = append(kept, anthropic.ToolResultBlockParamContentUnion{OfText: &anthropic.TextBlockParam{Text: t}})
	}
	kept = append(kept, anthropic.ToolResultBlockParamContentUnion{OfText: &anthropic.TextBlockParam{Text: note}})
	c.blocks = kept
	var texts []string
	for _, b := range kept {
		if b.OfText != nil {
			texts = append(texts, b.OfText.Text)
		} else {
			texts = append(texts, "[image]")
		}
	}
	c.text = strings.Join(texts, "\n")
}

// cutUTF8 cuts s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Annotations returns what the server says about the tool called name
// (an mcp__SERVER__TOOL name), for the permission prompt.
func (m *Manager) Annotations(name string) (Annotations, bool) {
	for _, t := range m.Tools() {
		if t.Name() == name {
			return AnnotationsOf(t)
		}
	}
	return Annotations{}, false
}
