package agent

import (
	"encoding/json"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/tool"
)

// fieldByFieldParams builds the definitions the way the SDK's types
// spell them, schema as a map: what the request held before toolParams
// encoded each schema once.
func fieldByFieldParams(t *testing.T, tools []tool.Tool) []anthropic.ToolUnionParam {
	t.Helper()
	var out []anthropic.ToolUnionParam
	for _, tl := range tools {
		var schema map[string]any
		if err := json.Unmarshal(tl.InputSchema(), &schema); err != nil {
			t.Fatal(err)
		}
		in := anthropic.ToolInputSchemaParam{Properties: schema["properties"], ExtraFields: map[string]any{}}
		req, _ := schema["required"].([]any)
		for _, r := range req {
			in.Required = append(in.Required, r.(string))
		}
		for k, v := range schema {
			if k != "properties" && k != "required" && k != "type" {
				in.ExtraFields[k] = v
			}
		}
		out = append(out, anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{
			Name: tl.Name(), Description: anthropic.String(tl.Description()), InputSchema: in,
		}})
	}
	return out
}

// TestToolParamsEncodeOnce: the definitions go out byte for byte as the
// SDK's field-by-field encoding writes them, and encoding them again (every
// request, the transcript) costs a fraction of re-encoding the schemas.
func TestToolParamsEncodeOnce(t *testing.T) {
	tools := tool.All()
	defs, err := toolParams(tools)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(defs)
	if err != nil {
		t.Fatal(err)
	}
	old := fieldByFieldParams(t, tools)
	want, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("definitions changed:\n got %.300s\nwant %.300s", got, want)
	}
	// Also inside a request, where the SDK encodes them.
	req, _ := json.Marshal(anthropic.MessageNewParams{Tools: defs, MaxTokens: 1, Model: "m"})
	oldReq, _ := json.Marshal(anthropic.MessageNewParams{Tools: old, MaxTokens: 1, Model: "m"})
	if string(req) != string(oldReq) {
		t.Fatalf("request changed:\n got %.300s\nwant %.300s", req, oldReq)
	}
	now := testing.AllocsPerRun(5, func() { _, _ = json.Marshal(defs) })
	before := testing.AllocsPerRun(5, func() { _, _ = json.Marshal(old) })
	if now*3 > before {
		t.Fatalf("encoding the definitions allocates %.0f times, re-encoding the schemas %.0f: want a third or less", now, before)
	}
	t.Logf("allocations per encoding: %.0f (schemas re-encoded: %.0f)", now, before)
}
