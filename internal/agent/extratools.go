package agent

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/tool"
)

// ToolSource supplies tools that join a session after it started: the
// tools of MCP servers, which connect in the background so that the
// first prompt never waits for them.
type ToolSource interface {
	// Generation changes whenever Tools does.
	Generation() int
	// Tools are the tools to offer after the built-in ones, in a fixed
	// order (their definitions are part of the cached prompt prefix).
	Tools() []tool.Tool
	// AwaitTool waits, within ctx, for a tool the model named that may be
	// on its way (its server is still starting), and reports whether it
	// exists now.
	AwaitTool(ctx context.Context, name string) bool
}

// extraTools is the state of the session's ToolSource.
type extraTools struct {
	src   ToolSource
	gen   int
	names []string // the source's tools in the definitions now
}

// SetToolSource makes src's tools part of the session from the next
// request on. Call it between turns.
func (s *Session) SetToolSource(src ToolSource) {
	s.extra = extraTools{src: src, gen: -1}
}

// syncTools brings the tool definitions up to date with the source
// before a request. When they change after the conversation began, the
// model is told which tools came and went (a reminder in the user's
// message), and the user that the cached prefix is written again.
func (s *Session) syncTools(on func(Event), remind bool) {
	src := s.extra.src
	if src == nil || src.Generation() == s.extra.gen {
		return
	}
	s.extra.gen = src.Generation()
	extra := src.Tools()
	all := append(slices.Clip(s.o.Tools), extra...)
	defs, err := toolParams(all)
	if err != nil {
		on(Event{Kind: EventNotice, Text: fmt.Sprintf("tools not offered: %v", err)})
		return
	}
	var names []string
	tools := map[string]tool.Tool{}
	for _, t := range s.o.Tools {
		tools[t.Name()] = t
	}
	for _, t := range extra {
		tools[t.Name()] = t
		names = append(names, t.Name())
	}
	var added, removed []string
	for _, n := range names {
		if !slices.Contains(s.extra.names, n) {
			added = append(added, n)
		}
	}
	for _, n := range s.extra.names {
		if !slices.Contains(names, n) {
			removed = append(removed, n)
		}
	}
	s.tools, s.toolDefs, s.extra.names = tools, defs, names
	if len(added)+len(removed) == 0 || !remind || s.requests == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("<system-reminder>The available tools changed.")
	if len(added) > 0 {
		fmt.Fprintf(&b, " Now available: %s.", strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		fmt.Fprintf(&b, " No longer available: %s.", strings.Join(removed, ", "))
	}
	b.WriteString("</system-reminder>")
	s.addUser([]anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(b.String())})
	on(Event{Kind: EventNotice, Text: fmt.Sprintf("the tools changed (%d added, %d removed), so this request writes the cached prompt prefix again", len(added), len(removed))})
}

// awaitTools lets a call to a tool whose server is still starting wait
// for it, instead of failing as an unknown tool.
func (s *Session) awaitTools(ctx context.Context, calls []*ToolCall, on func(Event)) {
	if s.extra.src == nil {
		return
	}
	for _, c := range calls {
		if _, ok := s.tools[c.Name]; !ok && s.extra.src.AwaitTool(ctx, c.Name) {
			s.syncTools(on, false)
		}
	}
}

// ResultContent is a tool result Display that carries content blocks
// (an MCP result with images): the tool_result carries them instead of
// the result's text.
type ResultContent interface {
	ToolResultContent() []anthropic.ToolResultBlockParamContentUnion
}

// ResultExtra is a tool result Display with blocks that go in the same
// user message after every tool_result (the API wants the results
// first): the document block of a PDF, the note on how a screenshot was
// scaled. Claude Code places them there too (a document is not inside
// the tool_result).
type ResultExtra interface {
	ToolResultExtra() []anthropic.ContentBlockParamUnion
}

// toolResultBlock is the tool_result block of one call.
func toolResultBlock(id string, res callResult) anthropic.ContentBlockParamUnion {
	if rc, ok := res.display.(ResultContent); ok && !res.isError {
		if content := rc.ToolResultContent(); len(content) > 0 {
			return anthropic.ContentBlockParamUnion{OfToolResult: &anthropic.ToolResultBlockParam{ToolUseID: id, Content: content}}
		}
	}
	return anthropic.NewToolResultBlock(id, res.content, res.isError)
}
