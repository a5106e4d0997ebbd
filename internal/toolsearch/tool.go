package toolsearch

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/tool"
)

//go:embed toolsearch.md
var description string

// Name is the tool's name, Claude Code's.
const Name = "ToolSearch"

// maxResultsCap bounds max_results: a search is for finding a few tools,
// and every result's schema lands in the conversation.
const maxResultsCap = 20

// Tool returns the ToolSearch tool over idx. Each call that finds tools
// calls onLoad with their names, in the result's order, on the goroutine
// running the call, before Run returns; the harness then sends those
// tools' definitions with the following requests. The result also shows
// each tool's name, description and input schema, so the model can write
// the call at once.
func Tool(idx *Index, onLoad func(names []string)) tool.Tool {
	return searchTool{idx: idx, onLoad: onLoad}
}

type searchTool struct {
	idx    *Index
	onLoad func([]string)
}

type input struct {
	Query      string `json:"query"`
	MaxResults *int   `json:"max_results,omitempty"`
}

func (searchTool) Name() string        { return Name }
func (searchTool) Description() string { return description }
func (searchTool) ReadOnly() bool      { return true }
func (searchTool) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "query": {"type": "string", "description": "Keywords to search for, or \"select:NAME[,NAME…]\" to load tools by name; prefix a keyword with + to require it"},
    "max_results": {"type": "integer", "minimum": 1, "maximum": 20, "description": "Most tools to return from a keyword search (default 5)"}
  },
  "required": ["query"],
  "additionalProperties": false
}`)
}

func (t searchTool) Run(ctx context.Context, _ *tool.Session, raw json.RawMessage) (tool.Result, error) {
	var in input
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return tool.Result{Content: "invalid input: " + strings.TrimPrefix(err.Error(), "json: "), IsError: true}, nil
	}
	if strings.TrimSpace(in.Query) == "" {
		return tool.Result{Content: "invalid input: query is empty; give keywords or select:NAME", IsError: true}, nil
	}
	max := DefaultMax
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > maxResultsCap {
			return tool.Result{Content: fmt.Sprintf("invalid input: max_results must be from 1 to %d", maxResultsCap), IsError: true}, nil
		}
		max = *in.MaxResults
	}
	if err := ctx.Err(); err != nil {
		return tool.Result{Content: "interrupted by the user", IsError: true}, err
	}
	found := t.idx.Search(in.Query, max)
	if len(found) == 0 {
		return tool.Result{Content: fmt.Sprintf("No deferred tool matches %q. The tools you can load are listed in <available-deferred-tools>; try other keywords, or select:NAME with a name from that list.", in.Query)}, nil
	}
	names := make([]string, len(found))
	for i, d := range found {
		names[i] = d.Name
	}
	if t.onLoad != nil {
		t.onLoad(names)
	}
	return tool.Result{Content: render(found)}, nil
}

// render lists the loaded tools as the model will see them in its tools.
func render(defs []Def) string {
	var sb strings.Builder
	if len(defs) == 1 {
		sb.WriteString("Loaded 1 tool; it can be called now.\n")
	} else {
		fmt.Fprintf(&sb, "Loaded %d tools; they can be called now.\n", len(defs))
	}
	sb.WriteString("<functions>\n")
	for _, d := range defs {
		sb.WriteString("<function>")
		sb.Write(d.apiJSON())
		sb.WriteString("</function>\n")
	}
	sb.WriteString("</functions>")
	return sb.String()
}
