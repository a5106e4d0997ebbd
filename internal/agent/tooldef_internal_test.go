package agent

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/tool"
)

// sdkDefinition is the definition as the SDK's own encoder writes it; ok
// is false when the schema is not a JSON object. It fails the test when
// the SDK cannot encode it, unless lenient.
func sdkDefinition(t testing.TB, name, description string, inputSchema string, lenient ...bool) (_ []byte, ok bool) {
	var schema map[string]any
	if err := json.Unmarshal([]byte(inputSchema), &schema); err != nil {
		return nil, false
	}
	in := anthropic.ToolInputSchemaParam{Properties: schema["properties"], ExtraFields: map[string]any{}}
	req, _ := schema["required"].([]any)
	for _, r := range req {
		if s, ok := r.(string); ok {
			in.Required = append(in.Required, s)
		}
	}
	for k, v := range schema {
		if k != "properties" && k != "required" && k != "type" {
			in.ExtraFields[k] = v
		}
	}
	b, err := json.Marshal(anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{
		Name: name, Description: anthropic.String(description), InputSchema: in,
	}})
	if err != nil {
		if len(lenient) > 0 {
			return nil, true
		}
		t.Fatalf("SDK encoding: %v", err)
	}
	return b, true
}

// TestToolDefinitionMatchesTheSDK: with at most one key besides
// properties, required and type, the SDK's order is fixed and the bytes
// must be the same, through every escaping and number rule.
func TestToolDefinitionMatchesTheSDK(t *testing.T) {
	for _, tc := range []struct{ name, description, schema string }{
		{"Plain", "Does a thing.", `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}`},
		{"Escapes", "<b>&amp;</b> \"quoted\" \\ \t\n\r\b\f \x01 \u2028\u2029 é 😀 \xff\xfe", `{"type":"object","properties":{"<k>":{"description":"a & b > c\u0000","enum":["x","y",null,true,false]}}}`},
		{"Numbers", "n", `{"type":"object","properties":{"n":{"minimum":-1e-7,"maximum":1e21,"multipleOf":0.5,"default":100,"exclusiveMaximum":123456789012345678,"x":1.5e-6,"y":-0,"z":12e300}}}`},
		{"Nested", "n", `{"type":"object","properties":{"list":{"type":"array","items":{"type":"object","properties":{"z":{},"a":{"type":["string","null"]}}}}},"$defs":{"b":{"type":"integer"},"a":{"type":"string"}}}`},
		{"NoProperties", "", `{"type":"object"}`},
		{"NullProperties", "d", `{"type":"object","properties":null,"required":[]}`},
		{"RequiredNotStrings", "d", `{"type":"object","properties":{},"required":[1,"a",null,"b"]}`},
		{"NoType", "d", `{"properties":{"a":{}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := sdkDefinition(t, tc.name, tc.description, tc.schema)
			got, err := toolDefinition(tc.name, tc.description, json.RawMessage(tc.schema))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("definition differs from the SDK's:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestToolDefinitionIsStable: an MCP server's schema often carries
// $schema, additionalProperties and $defs together. The SDK writes such
// keys in map order, different from one process to the next; ours are
// sorted, so the definition (the head of the cached prefix) is the same
// bytes in every process, and means what the SDK's means.
func TestToolDefinitionIsStable(t *testing.T) {
	schema := `{"type":"object","properties":{"q":{"type":"string"}},"required":["q"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#","$defs":{"x":{}},"title":"Search","description":"search input"}`
	first, err := toolDefinition("mcp__docs__search", "Searches.", json.RawMessage(schema))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"input_schema":{"properties":{"q":{"type":"string"}},"required":["q"],"type":"object","$defs":{"x":{}},"$schema":"http://json-schema.org/draft-07/schema#","additionalProperties":false,"description":"search input","title":"Search"},"name":"mcp__docs__search","description":"Searches."}`
	if string(first) != want {
		t.Fatalf("got  %s\nwant %s", first, want)
	}
	for range 20 {
		again, _ := toolDefinition("mcp__docs__search", "Searches.", json.RawMessage(schema))
		if string(again) != string(first) {
			t.Fatalf("definition changed between encodings:\n%s\n%s", first, again)
		}
		sdk, _ := sdkDefinition(t, "mcp__docs__search", "Searches.", schema)
		assertSameJSON(t, first, sdk)
	}
}

func assertSameJSON(t testing.TB, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("SDK's is not JSON: %v\n%s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("definitions mean different things:\n got %s\nwant %s", got, want)
	}
}

func TestToolDefinitionRefusesABrokenSchema(t *testing.T) {
	_, err := toolDefinition("Broken", "d", json.RawMessage(`{"type":`))
	if err == nil || !strings.Contains(err.Error(), "tool Broken: input schema") {
		t.Fatalf("err = %v, want one naming the tool's input schema", err)
	}
}

// FuzzToolDefinition: whatever schema an MCP server sends, the definition
// is valid JSON meaning what the SDK's encoding means, and the same bytes
// when the SDK's order is fixed. (The SDK refuses a schema with an empty
// key beside properties, required and type; such a tool is offered now.)
func FuzzToolDefinition(f *testing.F) {
	f.Add("d", `{"type":"object","properties":{"a":{"type":"string","description":"<x> & \u2028"}},"required":["a"]}`)
	f.Add("\xff", `{"properties":{"n":{"maximum":1e-9,"minimum":-5e30}},"additionalProperties":false}`)
	f.Add("", `{"$schema":"s","title":"t","required":[1,null,"a"]}`)
	f.Fuzz(func(t *testing.T, description, schema string) {
		want, ok := sdkDefinition(t, "T", description, schema, true)
		got, err := toolDefinition("T", description, json.RawMessage(schema))
		if !ok {
			if err == nil {
				t.Fatalf("schema %q is not a JSON object, yet encoded: %s", schema, got)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			// The SDK cannot encode it (an empty key among the extras:
			// "path cannot be empty"); ours must still be valid JSON.
			if !json.Valid(got) {
				t.Fatalf("not JSON: %s", got)
			}
			return
		}
		assertSameJSON(t, got, want)
		var m map[string]any
		_ = json.Unmarshal([]byte(schema), &m)
		extras := 0
		for k := range m {
			if k != "properties" && k != "required" && k != "type" {
				extras++
			}
		}
		if extras <= 1 && string(got) != string(want) {
			t.Fatalf("definition differs from the SDK's:\n got %s\nwant %s", got, want)
		}
	})
}

// TestDefinitionsJSON: the transcript's copy of the definitions is what
// json.Marshal writes for them.
func TestDefinitionsJSON(t *testing.T) {
	defs, err := toolParams(tool.All())
	if err != nil {
		t.Fatal(err)
	}
	got, err := definitionsJSON(defs)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(defs)
	if string(got) != string(want) {
		t.Fatalf("got  %.200s\nwant %.200s", got, want)
	}
	// Definitions made another way are encoded by the SDK.
	other := append(defs[:1:1], anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{Name: "X", InputSchema: anthropic.ToolInputSchemaParam{}}})
	got, _ = definitionsJSON(other)
	want, _ = json.Marshal(other)
	if string(got) != string(want) {
		t.Fatalf("got  %.200s\nwant %.200s", got, want)
	}
}
