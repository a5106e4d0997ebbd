package emulator

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConverseTranslation pins the Anthropic body a Converse request
// becomes: cache points as cache_control on the block before, tool specs
// as tools, images and documents as their blocks, reasoning as thinking,
// tool results with their status, and the additional fields merged.
func TestConverseTranslation(t *testing.T) {
	t.Parallel()
	in := `{
	  "system": [{"text": "be brief"}, {"cachePoint": {"type": "default", "ttl": "1h"}}],
	  "messages": [
	    {"role": "user", "content": [
	      {"text": "look"},
	      {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"}}},
	      {"document": {"format": "txt", "name": "notes", "source": {"bytes": "aGVsbG8="}}},
	      {"cachePoint": {"type": "default"}}
	    ]},
	    {"role": "assistant", "content": [
	      {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
	      {"toolUse": {"toolUseId": "t1", "name": "Read", "input": {"p": 1}}}
	    ]},
	    {"role": "user", "content": [
	      {"toolResult": {"toolUseId": "t1", "status": "error", "content": [{"text": "no"}, {"json": {"a": 1}}]}}
	    ]}
	  ],
	  "toolConfig": {"tools": [{"toolSpec": {"name": "Read", "inputSchema": {"json": {"type": "object"}}}}], "toolChoice": {"any": {}}},
	  "inferenceConfig": {"maxTokens": 2048, "stopSequences": ["END"]},
	  "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}}
	}`
	var req converseRequest
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	tr, aerr := req.translate()
	if aerr != nil {
		t.Fatalf("translate: %v", aerr)
	}
	want := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,
	  "system":[{"cache_control":{"ttl":"1h","type":"ephemeral"},"text":"be brief","type":"text"}],
	  "messages":[
	    {"content":[{"text":"look","type":"text"},
	      {"source":{"data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC","media_type":"image/png","type":"base64"},"type":"image"},
	      {"cache_control":{"type":"ephemeral"},"source":{"data":"hello","media_type":"text/plain","type":"text"},"title":"notes","type":"document"}],"role":"user"},
	    {"content":[{"signature":"sig","thinking":"hmm","type":"thinking"},{"id":"t1","input":{"p":1},"name":"Read","type":"tool_use"}],"role":"assistant"},
	    {"content":[{"content":[{"text":"no","type":"text"},{"text":"{\"a\":1}","type":"text"}],"is_error":true,"tool_use_id":"t1","type":"tool_result"}],"role":"user"}],
	  "tools":[{"input_schema":{"type":"object"},"name":"Read"}],
	  "tool_choice":{"type":"any"},
	  "stop_sequences":["END"],
	  "thinking":{"type":"enabled","budget_tokens":1024}}`
	var got, exp any
	json.Unmarshal(tr.body, &got)
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("translated body mismatch (-want +got):\n%s", diff)
	}
	assistant := 0
	for _, m := range tr.req.Messages {
		if m.Role == "assistant" {
			assistant++
		}
	}
	if tr.req.Thinking.BudgetTokens != 1024 || assistant != 1 {
		t.Errorf("parsed request: thinking %+v, %d assistant turns", tr.req.Thinking, assistant)
	}
}

func TestConverseRefuses(t *testing.T) {
	t.Parallel()
	user := `{"role":"user","content":[{"text":"hi"}]}`
	tests := []struct {
		name, body, want string
	}{
		{"no messages", `{}`, "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null"},
		{"bad role", `{"messages":[{"role":"system","content":[{"text":"x"}]}]}`,
			"1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]"},
		{"empty content", `{"messages":[{"role":"user","content":[]}]}`,
			"The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again."},
		{"cache point first", `{"messages":[{"role":"user","content":[{"cachePoint":{"type":"default"}},{"text":"x"}]}]}`,
			"The cachePoint at messages.0.content.0 must follow a content block; a cache point cannot come first."},
		{"cache point ttl", `{"system":[{"text":"s"},{"cachePoint":{"type":"default","ttl":"2h"}}],"messages":[` + user + `]}`,
			"1 validation error detected: Value '2h' at 'system.1.cachePoint.ttl' failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]"},
		{"two members", `{"messages":[{"role":"user","content":[{"text":"x","image":{"format":"png","source":{"bytes":"AA=="}}}]}]}`,
			"The ContentBlock object at messages.0.content.0 sets more than one member; a content block is exactly one of text, image, document, toolUse, toolResult, guardContent, reasoningContent or cachePoint."},
		{"unknown tool choice", `{"messages":[` + user + `],"toolConfig":{"tools":[{"toolSpec":{"name":"A","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":"B"}}}}`,
			"The tool B named in toolConfig.toolChoice.tool is not defined in toolConfig.tools."},
		{"duplicate tools", `{"messages":[` + user + `],"toolConfig":{"tools":[{"toolSpec":{"name":"A","inputSchema":{"json":{}}}},{"toolSpec":{"name":"A","inputSchema":{"json":{}}}}]}}`,
			"The toolConfig field contains duplicate tool names: A. Make sure each tool has a unique name and try again."},
		{"image format", `{"messages":[{"role":"user","content":[{"image":{"format":"bmp","source":{"bytes":"AA=="}}}]}]}`,
			"1 validation error detected: Value 'bmp' at 'messages.0.content.0.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]"},
		{"thinking budget", `{"messages":[` + user + `],"inferenceConfig":{"maxTokens":1000},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}`,
			"`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, aerr := parseConverse([]byte(tt.body))
			if aerr == nil {
				_, aerr = req.translate()
			}
			if aerr == nil {
				t.Fatal("accepted, want a ValidationException")
			}
			if diff := cmp.Diff(tt.want, aerr.Message); diff != "" || aerr.Type != "ValidationException" {
				t.Errorf("%s mismatch (-want +got):\n%s", aerr.Type, diff)
			}
		})
	}
}
