package toolsearch

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTool(t *testing.T) {
	t.Parallel()
	idx := New(fixture)
	for _, tc := range []struct {
		name      string
		input     string
		wantErr   bool
		wantLoad  []string
		wantParts []string
	}{
		{"select", `{"query":"select:mcp__github__create_issue"}`, false, []string{"mcp__github__create_issue"},
			[]string{"Loaded 1 tool", `<function>{"name":"mcp__github__create_issue","description":"Create an issue in a repository.","input_schema":{"type":"object"}}</function>`}},
		{"keywords with max", `{"query":"+slack","max_results":2}`, false, []string{"mcp__slack__send_message", "mcp__slack__list_channels"},
			[]string{"Loaded 2 tools"}},
		{"no match", `{"query":"zebra"}`, false, nil, []string{`No deferred tool matches "zebra"`, "select:NAME"}},
		{"empty query", `{"query":" "}`, true, nil, []string{"query is empty"}},
		{"missing query", `{}`, true, nil, []string{"query is empty"}},
		{"unknown field", `{"query":"x","limit":3}`, true, nil, []string{`unknown field "limit"`}},
		{"max too large", `{"query":"x","max_results":50}`, true, nil, []string{"max_results must be from 1 to 20"}},
		{"wrong type", `{"query":3}`, true, nil, []string{"invalid input"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var loaded []string
			calls := 0
			tl := Tool(idx, func(names []string) { loaded = names; calls++ })
			res, err := tl.Run(t.Context(), nil, json.RawMessage(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError != tc.wantErr {
				t.Errorf("IsError = %v, want %v: %s", res.IsError, tc.wantErr, res.Content)
			}
			for _, p := range tc.wantParts {
				if !strings.Contains(res.Content, p) {
					t.Errorf("result lacks %q:\n%s", p, res.Content)
				}
			}
			if diff := cmp.Diff(tc.wantLoad, loaded); diff != "" {
				t.Errorf("onLoad mismatch (-want +got):\n%s", diff)
			}
			if tc.wantLoad == nil && calls != 0 {
				t.Errorf("onLoad called %d times for nothing loaded", calls)
			}
		})
	}
}

func TestToolShape(t *testing.T) {
	t.Parallel()
	tl := Tool(New(nil), nil)
	if tl.Name() != "ToolSearch" || !tl.ReadOnly() {
		t.Errorf("name %q, read-only %v", tl.Name(), tl.ReadOnly())
	}
	var schema struct {
		Properties map[string]any `json:"properties"`
		Required   []string       `json:"required"`
	}
	if err := json.Unmarshal(tl.InputSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	if _, ok := schema.Properties["max_results"]; !ok || len(schema.Required) != 1 || schema.Required[0] != "query" {
		t.Errorf("schema = %s", tl.InputSchema())
	}
	if !strings.Contains(tl.Description(), "select:") || !strings.Contains(tl.Description(), "<available-deferred-tools>") {
		t.Error("description does not teach select: and the listing")
	}
	// A nil onLoad is allowed.
	if res, err := tl.Run(t.Context(), nil, json.RawMessage(`{"query":"x"}`)); err != nil || res.IsError {
		t.Errorf("run with nil onLoad: %v %v", res, err)
	}
}

func TestToolCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := Tool(New(fixture), nil).Run(ctx, nil, json.RawMessage(`{"query":"slack"}`))
	if !errors.Is(err, context.Canceled) || !res.IsError {
		t.Errorf("got %v, %v; want an interrupted result with ctx's error", res, err)
	}
}
