package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Converse requests are served by translating them into the Anthropic
// Messages body that InvokeModel takes, which is what Bedrock does for
// Claude: the model's own schema then judges additionalModelRequestFields
// (so a stray key gets the same "extraneous key" error as on Invoke), and
// the prompt cache, the token counts and the scripted model see one shape
// whichever API the client used. A cachePoint block becomes cache_control
// on the block before it.

// converseRequest is the Converse and ConverseStream body (API reference,
// Converse), and the input.converse member of CountTokens, which carries
// messages, system, toolConfig and additionalModelRequestFields only.
type converseRequest struct {
	Messages        []converseMessage `json:"messages"`
	System          []converseBlock   `json:"system"`
	InferenceConfig *struct {
		MaxTokens     *int     `json:"maxTokens"`
		Temperature   *float64 `json:"temperature"`
		TopP          *float64 `json:"topP"`
		StopSequences []string `json:"stopSequences"`
	} `json:"inferenceConfig"`
	ToolConfig *struct {
		Tools      []converseTool             `json:"tools"`
		ToolChoice map[string]json.RawMessage `json:"toolChoice"`
	} `json:"toolConfig"`
	GuardrailConfig *struct {
		GuardrailIdentifier string `json:"guardrailIdentifier"`
		GuardrailVersion    string `json:"guardrailVersion"`
		Trace               string `json:"trace"`
	} `json:"guardrailConfig"`
	AdditionalModelRequestFields      json.RawMessage `json:"additionalModelRequestFields"`
	AdditionalModelResponseFieldPaths []string        `json:"additionalModelResponseFieldPaths"`
	PerformanceConfig                 *struct {
		Latency string `json:"latency"`
	} `json:"performanceConfig"`
}

type converseMessage struct {
	Role    string          `json:"role"`
	Content []converseBlock `json:"content"`
}

// converseBlock is the ContentBlock (and SystemContentBlock) union: exactly
// one member is set.
type converseBlock struct {
	Text       *string          `json:"text,omitempty"`
	Image      *converseMedia   `json:"image,omitempty"`
	Document   *converseMedia   `json:"document,omitempty"`
	ToolUse    *converseToolUse `json:"toolUse,omitempty"`
	ToolResult *struct {
		ToolUseID string          `json:"toolUseId"`
		Content   []converseBlock `json:"content"`
		Status    string          `json:"status"`
	} `json:"toolResult,omitempty"`
	JSON             json.RawMessage `json:"json,omitempty"` // tool result content only
	ReasoningContent *struct {
		ReasoningText *struct {
			Text      string `json:"text"`
			Signature string `json:"signature"`
		} `json:"reasoningText"`
		RedactedContent []byte `json:"redactedContent"`
	} `json:"reasoningContent,omitempty"`
	GuardContent *struct {
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
	} `json:"guardContent,omitempty"`
	CachePoint *cachePoint `json:"cachePoint,omitempty"`
}

type converseMedia struct {
	Format string `json:"format"`
	Name   string `json:"name"`
	Source struct {
		Bytes []byte  `json:"bytes"`
		Text  *string `json:"text"`
	} `json:"source"`
}

type converseToolUse struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
}

type converseTool struct {
	ToolSpec *struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		InputSchema struct {
			JSON json.RawMessage `json:"json"`
		} `json:"inputSchema"`
	} `json:"toolSpec"`
	CachePoint *cachePoint `json:"cachePoint"`
}

type cachePoint struct {
	Type string `json:"type"`
	TTL  string `json:"ttl"`
}

// defaultConverseMaxTokens stands in for the model's own maximum when
// inferenceConfig.maxTokens is absent. The API reference says only that
// the model's default applies; 4096 is an assumption.
const defaultConverseMaxTokens = 4096

// translated is a Converse request in Invoke terms.
type translated struct {
	body  []byte         // the Anthropic Messages body
	req   *invokeRequest // its parsed form
	guard guardInput
	// guardrail names the guardrailConfig, when the request had one.
	guardrailID, guardrailVersion string
}

// parseConverse decodes a Converse body; [converseRequest.translate]
// checks it.
func parseConverse(data []byte) (*converseRequest, *apiError) {
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}") // restJson1: no body is an empty structure
	}
	if jsonType(data) != "JSONObject" {
		return nil, errSerialization()
	}
	var in converseRequest
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, errSerialization()
	}
	return &in, nil
}

// errSerialization is the restJson1 answer to a body that is not the
// operation's JSON shape.
func errSerialization() *apiError {
	return errValidation("1 validation error detected: The request body could not be deserialized; send the Converse request as JSON.")
}

// translate checks a decoded Converse request against the rules Bedrock
// documents and builds the Anthropic body.
func (in *converseRequest) translate() (*translated, *apiError) {
	if in.Messages == nil {
		return nil, errValidation("1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null")
	}
	if len(in.Messages) == 0 {
		return nil, errValidation("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
	}
	for i, m := range in.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return nil, errEnum(fmt.Sprintf("messages.%d.member.role", i+1), m.Role, []string{"user", "assistant"})
		}
	}
	if in.Messages[0].Role != "user" {
		return nil, errValidation("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
	}
	for i := 1; i < len(in.Messages); i++ {
		if in.Messages[i].Role == in.Messages[i-1].Role {
			return nil, errValidation("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.")
		}
	}
	maxTokens := defaultConverseMaxTokens
	if ic := in.InferenceConfig; ic != nil {
		if ic.MaxTokens != nil {
			if *ic.MaxTokens < 1 {
				return nil, errValidation("1 validation error detected: Value '%d' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1", *ic.MaxTokens)
			}
			maxTokens = *ic.MaxTokens
		}
		if ic.Temperature != nil && (*ic.Temperature < 0 || *ic.Temperature > 1) {
			return nil, errValidation("1 validation error detected: Value '%g' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1", *ic.Temperature)
		}
		if ic.TopP != nil && (*ic.TopP < 0 || *ic.TopP > 1) {
			return nil, errValidation("1 validation error detected: Value '%g' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value less than or equal to 1", *ic.TopP)
		}
		if len(ic.StopSequences) > 4 {
			return nil, errValidation("1 validation error detected: Value at 'inferenceConfig.stopSequences' failed to satisfy constraint: Member must have length less than or equal to 4")
		}
	}

	body := orderedObject{}
	body.set("anthropic_version", "bedrock-2023-05-31")
	body.set("max_tokens", maxTokens)

	if len(in.System) > 0 {
		var sys []map[string]any
		for i, b := range in.System {
			where := fmt.Sprintf("system.%d", i)
			switch {
			case b.CachePoint != nil:
				if aerr := attachCachePoint(sys, b.CachePoint, where); aerr != nil {
					return nil, aerr
				}
			case b.Text != nil:
				if strings.TrimSpace(*b.Text) == "" {
					return nil, errValidation("The text field in the SystemContentBlock object at %s is blank. Add text to the text field, and try again.", where)
				}
				sys = append(sys, map[string]any{"type": "text", "text": *b.Text})
			case b.GuardContent != nil && b.GuardContent.Text != nil:
				sys = append(sys, map[string]any{"type": "text", "text": b.GuardContent.Text.Text})
			default:
				return nil, errValidation("The SystemContentBlock object at %s must set exactly one of text, guardContent or cachePoint.", where)
			}
		}
		body.set("system", sys)
	}

	usesTools := false
	var msgs []map[string]any
	var guarded []string // guardContent text of the last user message
	for i, m := range in.Messages {
		if len(m.Content) == 0 {
			return nil, errValidation("The content field in the Message object at messages.%d is empty. Add a ContentBlock object to the content field and try again.", i)
		}
		var blocks []map[string]any
		var guard []string
		for j, b := range m.Content {
			where := fmt.Sprintf("messages.%d.content.%d", i, j)
			if b.ToolUse != nil || b.ToolResult != nil {
				usesTools = true
			}
			if b.CachePoint != nil {
				if aerr := attachCachePoint(blocks, b.CachePoint, where); aerr != nil {
					return nil, aerr
				}
				continue
			}
			if b.GuardContent != nil && b.GuardContent.Text != nil {
				guard = append(guard, b.GuardContent.Text.Text)
			}
			ab, aerr := anthropicBlock(b, where, m.Role)
			if aerr != nil {
				return nil, aerr
			}
			blocks = append(blocks, ab)
		}
		if m.Role == "user" {
			guarded = guard
		}
		msgs = append(msgs, map[string]any{"role": m.Role, "content": blocks})
	}
	if usesTools && (in.ToolConfig == nil || len(in.ToolConfig.Tools) == 0) {
		return nil, errValidation("The toolConfig field must be defined when using toolUse and toolResult content blocks.")
	}
	if aerr := checkToolPairs(in.Messages); aerr != nil {
		return nil, aerr
	}
	body.set("messages", msgs)

	if tc := in.ToolConfig; tc != nil {
		if len(tc.Tools) == 0 {
			return nil, errValidation("1 validation error detected: Value '[]' at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1")
		}
		var tools []map[string]any
		names := map[string]bool{}
		for i, t := range tc.Tools {
			where := fmt.Sprintf("toolConfig.tools.%d", i)
			switch {
			case t.CachePoint != nil:
				if aerr := attachCachePoint(tools, t.CachePoint, where); aerr != nil {
					return nil, aerr
				}
			case t.ToolSpec != nil:
				ts := t.ToolSpec
				if !toolNamePattern().MatchString(ts.Name) {
					return nil, errValidation("1 validation error detected: Value '%s' at '%s.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+", ts.Name, where)
				}
				if names[ts.Name] {
					return nil, errValidation("The toolConfig field contains duplicate tool names: %s. Make sure each tool has a unique name and try again.", ts.Name)
				}
				names[ts.Name] = true
				schema := ts.InputSchema.JSON
				if jsonType(schema) != "JSONObject" {
					return nil, errValidation("The inputSchema of tool %s must be a JSON object.", ts.Name)
				}
				tool := map[string]any{"name": ts.Name, "input_schema": schema}
				if ts.Description != "" {
					tool["description"] = ts.Description
				}
				tools = append(tools, tool)
			default:
				return nil, errValidation("The Tool object at %s must set exactly one of toolSpec or cachePoint.", where)
			}
		}
		body.set("tools", tools)
		if len(tc.ToolChoice) > 0 {
			choice, aerr := toolChoice(tc.ToolChoice, names)
			if aerr != nil {
				return nil, aerr
			}
			body.set("tool_choice", choice)
		}
	}
	if ic := in.InferenceConfig; ic != nil {
		if ic.Temperature != nil {
			body.set("temperature", *ic.Temperature)
		}
		if ic.TopP != nil {
			body.set("top_p", *ic.TopP)
		}
		if len(ic.StopSequences) > 0 {
			body.set("stop_sequences", ic.StopSequences)
		}
	}
	if len(in.AdditionalModelRequestFields) > 0 && string(in.AdditionalModelRequestFields) != "null" {
		_, extra, err := topLevel(in.AdditionalModelRequestFields)
		if err != nil {
			return nil, errValidation("1 validation error detected: Value at 'additionalModelRequestFields' must be a JSON object.")
		}
		keys, _, _ := topLevel(in.AdditionalModelRequestFields)
		for _, k := range keys {
			// The fields go to the model as they are: a key the model's
			// schema does not know is its "extraneous key" error.
			body.setRaw(k, extra[k])
		}
	}

	raw := body.marshal()
	if len(raw) > maxModelBody {
		return nil, errValidation("Input is too long for requested model.")
	}
	req, aerr := parseInvoke(raw)
	if aerr != nil {
		return nil, aerr
	}
	t := &translated{body: raw, req: req}
	t.guard.text = req.lastUserText()
	if len(guarded) > 0 {
		// With guardContent blocks, the guardrail assesses only them.
		t.guard.text = strings.Join(guarded, "\n")
	}
	if gc := in.GuardrailConfig; gc != nil {
		t.guardrailID, t.guardrailVersion = gc.GuardrailIdentifier, gc.GuardrailVersion
		switch gc.Trace {
		case "", "disabled":
		case "enabled":
			t.guard.trace = "ENABLED"
		case "enabled_full":
			t.guard.trace = "ENABLED_FULL"
		default:
			return nil, errEnum("guardrailConfig.trace", gc.Trace, []string{"enabled", "disabled", "enabled_full"})
		}
	}
	return t, nil
}

var toolNamePattern = lazyre.New(`^[a-zA-Z0-9_-]{1,64}$`)

// members counts the union members a block sets; a union takes one.
func (b converseBlock) members() int {
	n := 0
	for _, set := range []bool{b.Text != nil, b.Image != nil, b.Document != nil, b.ToolUse != nil, b.ToolResult != nil,
		len(b.JSON) > 0, b.ReasoningContent != nil, b.GuardContent != nil, b.CachePoint != nil} {
		if set {
			n++
		}
	}
	return n
}

// anthropicBlock translates one content block.
func anthropicBlock(b converseBlock, where, role string) (map[string]any, *apiError) {
	if b.members() > 1 {
		return nil, errValidation("The ContentBlock object at %s sets more than one member; a content block is exactly one of text, image, document, toolUse, toolResult, guardContent, reasoningContent or cachePoint.", where)
	}
	switch {
	case b.Text != nil:
		if strings.TrimSpace(*b.Text) == "" {
			return nil, errValidation("The text field in the ContentBlock object at %s is blank. Add text to the text field, and try again.", where)
		}
		return map[string]any{"type": "text", "text": *b.Text}, nil
	case b.GuardContent != nil:
		if b.GuardContent.Text == nil {
			return nil, errValidation("The guardContent field in the ContentBlock object at %s must hold text.", where)
		}
		return map[string]any{"type": "text", "text": b.GuardContent.Text.Text}, nil
	case b.Image != nil:
		if !slices.Contains([]string{"png", "jpeg", "gif", "webp"}, b.Image.Format) {
			return nil, errEnum(where+".image.format", b.Image.Format, []string{"png", "jpeg", "gif", "webp"})
		}
		if len(b.Image.Source.Bytes) == 0 {
			return nil, errValidation("The image field in the ContentBlock object at %s has no bytes. Add the image bytes and try again.", where)
		}
		return map[string]any{"type": "image", "source": map[string]any{
			"type": "base64", "media_type": "image/" + b.Image.Format,
			"data": base64.StdEncoding.EncodeToString(b.Image.Source.Bytes),
		}}, nil
	case b.Document != nil:
		return documentBlock(b.Document, where)
	case b.ToolUse != nil:
		if role != "assistant" {
			return nil, errValidation("The toolUse content block at %s is only allowed in assistant messages.", where)
		}
		input := b.ToolUse.Input
		if jsonType(input) != "JSONObject" {
			return nil, errValidation("The input of the toolUse content block at %s must be a JSON object.", where)
		}
		return map[string]any{"type": "tool_use", "id": b.ToolUse.ToolUseID, "name": b.ToolUse.Name, "input": input}, nil
	case b.ToolResult != nil:
		if role != "user" {
			return nil, errValidation("The toolResult content block at %s is only allowed in user messages.", where)
		}
		var content []map[string]any
		for k, c := range b.ToolResult.Content {
			cw := fmt.Sprintf("%s.toolResult.content.%d", where, k)
			switch {
			case c.Text != nil:
				content = append(content, map[string]any{"type": "text", "text": *c.Text})
			case len(c.JSON) > 0:
				content = append(content, map[string]any{"type": "text", "text": string(compactJSON(c.JSON))})
			case c.Image != nil || c.Document != nil:
				ab, aerr := anthropicBlock(c, cw, "user")
				if aerr != nil {
					return nil, aerr
				}
				content = append(content, ab)
			default:
				return nil, errValidation("The ToolResultContentBlock object at %s must set exactly one of text, json, image or document.", cw)
			}
		}
		out := map[string]any{"type": "tool_result", "tool_use_id": b.ToolResult.ToolUseID, "content": content}
		switch b.ToolResult.Status {
		case "", "success":
		case "error":
			out["is_error"] = true
		default:
			return nil, errEnum(where+".toolResult.status", b.ToolResult.Status, []string{"success", "error"})
		}
		return out, nil
	case b.ReasoningContent != nil:
		rc := b.ReasoningContent
		if len(rc.RedactedContent) > 0 {
			return map[string]any{"type": "redacted_thinking", "data": base64.StdEncoding.EncodeToString(rc.RedactedContent)}, nil
		}
		if rc.ReasoningText == nil {
			return nil, errValidation("The reasoningContent field in the ContentBlock object at %s must hold reasoningText or redactedContent.", where)
		}
		return map[string]any{"type": "thinking", "thinking": rc.ReasoningText.Text, "signature": rc.ReasoningText.Signature}, nil
	}
	return nil, errValidation("The ContentBlock object at %s must set exactly one member (text, image, document, toolUse, toolResult, guardContent, reasoningContent or cachePoint).", where)
}

// documentBlock sends a PDF as base64 and any text format as text, as
// Claude's document blocks take them.
func documentBlock(d *converseMedia, where string) (map[string]any, *apiError) {
	formats := []string{"pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"}
	if !slices.Contains(formats, d.Format) {
		return nil, errEnum(where+".document.format", d.Format, formats)
	}
	if d.Name == "" {
		return nil, errValidation("1 validation error detected: Value at '%s.document.name' failed to satisfy constraint: Member must not be null", where)
	}
	out := map[string]any{"type": "document", "title": d.Name}
	switch {
	case d.Format == "pdf" && len(d.Source.Bytes) > 0:
		out["source"] = map[string]any{"type": "base64", "media_type": "application/pdf", "data": base64.StdEncoding.EncodeToString(d.Source.Bytes)}
	case d.Source.Text != nil:
		out["source"] = map[string]any{"type": "text", "media_type": "text/plain", "data": *d.Source.Text}
	case len(d.Source.Bytes) > 0:
		out["source"] = map[string]any{"type": "text", "media_type": "text/plain", "data": string(d.Source.Bytes)}
	default:
		return nil, errValidation("The document field in the ContentBlock object at %s has no source. Add bytes or text and try again.", where)
	}
	return out, nil
}

// attachCachePoint puts a cachePoint's cache_control on the block before
// it. Bedrock accepts the type "default" and a TTL of 5m or 1h.
func attachCachePoint(blocks []map[string]any, cp *cachePoint, where string) *apiError {
	if cp.Type != "default" {
		return errEnum(where+".cachePoint.type", cp.Type, []string{"default"})
	}
	cc := map[string]any{"type": "ephemeral"}
	switch cp.TTL {
	case "":
	case ttl5m, ttl1h:
		cc["ttl"] = cp.TTL
	default:
		return errEnum(where+".cachePoint.ttl", cp.TTL, []string{ttl5m, ttl1h})
	}
	if len(blocks) == 0 {
		return errValidation("The cachePoint at %s must follow a content block; a cache point cannot come first.", where)
	}
	blocks[len(blocks)-1]["cache_control"] = cc
	return nil
}

// toolChoice translates {"auto":{}}, {"any":{}} or {"tool":{"name":…}}.
func toolChoice(tc map[string]json.RawMessage, names map[string]bool) (map[string]any, *apiError) {
	if len(tc) != 1 {
		return nil, errValidation("The toolChoice field must set exactly one of auto, any or tool.")
	}
	for k, v := range tc {
		switch k {
		case "auto", "any":
			return map[string]any{"type": k}, nil
		case "tool":
			var t struct {
				Name string `json:"name"`
			}
			json.Unmarshal(v, &t)
			if !names[t.Name] {
				return nil, errValidation("The tool %s named in toolConfig.toolChoice.tool is not defined in toolConfig.tools.", t.Name)
			}
			return map[string]any{"type": "tool", "name": t.Name}, nil
		}
		return nil, errValidation("The toolChoice field must set exactly one of auto, any or tool; %q is not one.", k)
	}
	return nil, nil
}

// checkToolPairs applies the rule Bedrock states for tool results: a user
// message may answer only the toolUse blocks of the assistant turn before
// it.
func checkToolPairs(msgs []converseMessage) *apiError {
	for i, m := range msgs {
		results := 0
		for _, b := range m.Content {
			if b.ToolResult != nil {
				results++
			}
		}
		if results == 0 {
			continue
		}
		uses := map[string]bool{}
		if i > 0 {
			for _, b := range msgs[i-1].Content {
				if b.ToolUse != nil {
					uses[b.ToolUse.ToolUseID] = true
				}
			}
		}
		if results > len(uses) {
			return errValidation("The number of toolResult blocks at messages.%d.content exceeds the number of toolUse blocks of previous turn.", i)
		}
		for _, b := range m.Content {
			if b.ToolResult != nil && !uses[b.ToolResult.ToolUseID] {
				return errValidation("The toolResult block at messages.%d.content has toolUseId %s, which does not match a toolUse block of the previous turn.", i, b.ToolResult.ToolUseID)
			}
		}
	}
	return nil
}

func compactJSON(v json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return v
	}
	return b.Bytes()
}

// orderedObject builds a JSON object whose keys keep insertion order, so
// the translated body reads like one a client would send.
type orderedObject struct {
	keys []string
	vals map[string]json.RawMessage
}

func (o *orderedObject) set(k string, v any) { o.setRaw(k, mustJSON(v)) }

func (o *orderedObject) setRaw(k string, v json.RawMessage) {
	if o.vals == nil {
		o.vals = map[string]json.RawMessage{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *orderedObject) marshal() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustJSON(k))
		b.WriteByte(':')
		b.Write(o.vals[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}
