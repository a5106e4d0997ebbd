package harness

import (
	"strings"
	"testing"
)

func TestCompileSchema(t *testing.T) {
	t.Parallel()
	tests := []struct{ schema, wantErr string }{
		{`{"type":"object"}`, ""},
		{`true`, ""},
		{`{"type":`, "--json-schema: not JSON"},
		{`"object"`, "want a JSON Schema object"},
		{`{"type":"nosuchtype"}`, "\"nosuchtype\" is not a JSON type"},
		{`{"type":["string","nul"]}`, "\"nul\" is not a JSON type"},
		{`{"properties":{"a":{"type":"strin"}}}`, "/properties/a/type"},
		{`{"properties":{"type":{"type":"string"}},"enum":[{"type":"x"}]}`, ""},
		{`{"minimum":"x"}`, "not a valid schema"},
		{`{"$ref":"other.json"}`, "reads no other documents"},
		{`{"$ref":"#/$defs/a","$defs":{"a":{"type":"string"}}}`, ""},
	}
	for _, tt := range tests {
		_, err := CompileSchema(tt.schema)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CompileSchema(%s): %v", tt.schema, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CompileSchema(%s) = %v, want an error with %q", tt.schema, err, tt.wantErr)
		}
	}
}

func TestSchemaCheck(t *testing.T) {
	t.Parallel()
	sch, err := CompileSchema(`{"type":"object","properties":{"n":{"type":"integer","minimum":1}},"required":["n"],"additionalProperties":false}`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ answer, want, wantErr string }{
		{`{"n": 2}`, `{"n":2}`, ""},
		{"```json\n{\"n\": 3}\n```", `{"n":3}`, ""},
		{"```\n{\"n\": 4}\n```", `{"n":4}`, ""},
		{"  {\"n\":5}\n", `{"n":5}`, ""},
		{`{"n": 0}`, "", "minimum"},
		{`{"n": 1, "x": true}`, "", "additional"},
		{`{}`, "", "missing properties: [\"n\"]"},
		{`Here it is: {"n": 2}`, "", "not a JSON value"},
		{`{"n": 2} and more`, "", "not a JSON value"},
	}
	for _, tt := range tests {
		got, err := sch.Check(tt.answer)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Check(%q) = %s, %v; want an error with %q", tt.answer, got, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "basalt.invalid") {
				t.Errorf("Check(%q): error names the internal URL: %v", tt.answer, err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("Check(%q) = %s, %v; want %s", tt.answer, got, err, tt.want)
		}
	}
}
