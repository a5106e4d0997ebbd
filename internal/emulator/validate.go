package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// invokeRequest is the part of an InvokeModel body the emulator acts on.
// The body itself goes to the prompt cache untouched.
type invokeRequest struct {
	AnthropicVersion string
	AnthropicBeta    []string
	MaxTokens        int
	Messages         []message
	Tools            []json.RawMessage
	System           json.RawMessage
	Thinking         thinking
	StopSequences    []string
	ToolChoice       struct {
		Type string `json:"type"`
	}
	// hasGuardrailConfig: the body tunes a guardrail, which then must be
	// named in the headers.
	hasGuardrailConfig bool
	// media is what image and document blocks the messages carry.
	media mediaSummary
	// guardTagSuffix is amazon-bedrock-guardrailConfig.tagSuffix.
	guardTagSuffix string
	OutputConfig   struct {
		Effort string `json:"effort"`
	}
}

type message struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type thinking struct {
	Type         string `json:"type"`
	BudgetTokens int    `json:"budget_tokens"`
}

// enabled reports whether the request asked for thinking blocks.
func (t thinking) enabled() bool { return t.Type == "enabled" || t.Type == "adaptive" }

// checkRoles refuses a "system" message for a model that does not take
// system messages mid-conversation (midConversationSystem), with the error
// any other role gets.
func (req *invokeRequest) checkRoles(m *foundationModel) *apiError {
	for i, msg := range req.Messages {
		if msg.Role == "system" && (m == nil || !midConversationSystem[m.ID]) {
			return errValidation("messages.%d.role: Input should be 'user' or 'assistant'", i)
		}
	}
	return nil
}

// allowedKeys are the top-level keys the Anthropic Messages schema on
// Bedrock accepts; anything else is an "extraneous key" (reference §2.1).
// model and stream are the famous ones: the path and the operation carry
// them on Bedrock.
var allowedKeys = []string{
	"anthropic_version", "anthropic_beta", "max_tokens", "messages", "system",
	"tools", "tool_choice", "thinking", "temperature", "top_p", "top_k",
	"stop_sequences", "metadata", "output_config", "output_format",
	"context_management", "container", "mcp_servers",
	guardrailConfigKey,
}

// versionPattern accepts bedrock-2023-05-31 and the dated versions newer
// Anthropic SDKs copy from their anthropic-version header (reference §2.1).
var versionPattern = lazyre.New(`^(bedrock-)?[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// malformed is Bedrock's schema-violation message: every problem as
// "#…: …", joined, in one ValidationException (reference §4.3).
func malformed(problems []string) *apiError {
	return errValidation("Malformed input request: %s, please reformat your input and try again.", strings.Join(problems, ""))
}

// parseInvoke validates an InvokeModel body the way Bedrock's schema does
// and decodes what the emulator needs.
func parseInvoke(body []byte) (req *invokeRequest, aerr *apiError) {
	keys, vals, err := topLevel(body)
	if err != nil {
		return nil, malformed([]string{err.Error()})
	}
	var problems []string
	for _, k := range []string{"anthropic_version", "max_tokens", "messages"} {
		if _, ok := vals[k]; !ok {
			if k == "messages" {
				// The one wording seen in the wild for this key.
				problems = append(problems, `#: subject must not be valid against schema {"required":["messages"]}`)
			} else {
				problems = append(problems, "#: required key ["+k+"] not found")
			}
		}
	}
	for _, k := range keys {
		if !slices.Contains(allowedKeys, k) {
			problems = append(problems, "#: extraneous key ["+k+"] is not permitted")
		}
	}
	for _, c := range []struct{ key, want string }{
		{"anthropic_version", "String"}, {"anthropic_beta", "JSONArray"}, {"max_tokens", "Integer"},
		{"messages", "JSONArray"}, {"tools", "JSONArray"}, {"stop_sequences", "JSONArray"},
		{"thinking", "JSONObject"}, {"temperature", "Number"}, {"top_p", "Number"}, {"top_k", "Integer"},
	} {
		v, ok := vals[c.key]
		if !ok {
			continue
		}
		got := jsonType(v)
		if got != c.want && !(c.want == "Number" && (got == "Integer" || got == "BigDecimal")) {
			problems = append(problems, fmt.Sprintf("#/%s: expected type: %s, found: %s", c.key, c.want, got))
		}
	}
	if v, ok := vals["system"]; ok {
		if got := jsonType(v); got != "String" && got != "JSONArray" {
			problems = append(problems, "#/system: expected type: String or JSONArray, found: "+got)
		}
	}
	if len(problems) > 0 {
		return nil, malformed(problems)
	}

	req = &invokeRequest{}
	decode := func(k string, v any) {
		if raw, ok := vals[k]; ok && err == nil {
			err = json.Unmarshal(raw, v)
		}
	}
	decode("anthropic_version", &req.AnthropicVersion)
	decode("anthropic_beta", &req.AnthropicBeta)
	decode("max_tokens", &req.MaxTokens)
	decode("messages", &req.Messages)
	decode("tools", &req.Tools)
	decode("thinking", &req.Thinking)
	decode("stop_sequences", &req.StopSequences)
	decode("tool_choice", &req.ToolChoice)
	req.System = vals["system"]
	_, req.hasGuardrailConfig = vals[guardrailConfigKey]
	decode("output_config", &req.OutputConfig)
	var gc guardConfig
	decode(guardrailConfigKey, &gc)
	req.guardTagSuffix = gc.TagSuffix
	if err != nil {
		return nil, malformed([]string{"#: " + err.Error()})
	}
	if !versionPattern().MatchString(req.AnthropicVersion) {
		return nil, malformed([]string{"#/anthropic_version: " + req.AnthropicVersion + " is not a valid enum value"})
	}
	if req.MaxTokens < 1 {
		return nil, malformed([]string{fmt.Sprintf("#/max_tokens: %d is not greater or equal to 1", req.MaxTokens)})
	}
	for i, b := range req.AnthropicBeta {
		// Claude Code's bundled SDK splits the header without trimming.
		req.AnthropicBeta[i] = strings.TrimSpace(b)
	}
	if len(req.Messages) == 0 {
		return nil, errValidation("messages: at least one message is required")
	}
	for i, m := range req.Messages {
		// "system" passes here and is refused later for a model that
		// takes no system message mid-conversation (checkRoles).
		if m.Role != "user" && m.Role != "assistant" && m.Role != "system" {
			return nil, errValidation("messages.%d.role: Input should be 'user' or 'assistant'", i)
		}
		if t := jsonType(m.Content); t != "String" && t != "JSONArray" {
			return nil, errValidation("messages.%d.content: Input should be a valid string or list of content blocks", i)
		}
	}
	if req.media, aerr = checkMedia(req.Messages); aerr != nil {
		return nil, aerr
	}
	switch req.Thinking.Type {
	case "", "disabled", "adaptive":
	case "enabled":
		if req.Thinking.BudgetTokens < 1024 {
			return nil, errValidation("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
		}
		if req.MaxTokens <= req.Thinking.BudgetTokens {
			return nil, errValidation("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
		}
	default:
		return nil, errValidation("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'", req.Thinking.Type)
	}
	return req, nil
}

// topLevel splits a JSON object into its keys, in body order, and raw
// values. Errors read like the JSON parser behind Bedrock's schema check.
func topLevel(body []byte) ([]string, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		//lint:ignore ST1005 Bedrock's own wording, which clients may match
		return nil, nil, errors.New("A JSONObject text must begin with '{' at character 1")
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, syntaxProblem(body, dec, err)
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, syntaxProblem(body, dec, err)
		}
		if _, dup := vals[k]; dup {
			//lint:ignore ST1005 Bedrock's own wording, which clients may match
			return nil, nil, fmt.Errorf("Duplicate key %q", k)
		}
		keys = append(keys, k)
		vals[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, syntaxProblem(body, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		off := dec.InputOffset()
		for off < int64(len(body)) && strings.IndexByte(" \t\r\n", body[off]) >= 0 {
			off++
		}
		return nil, nil, positioned(body, off+1, "unexpected data after the JSON object")
	}
	return keys, vals, nil
}

// syntaxProblem phrases a JSON error with its position the way Bedrock's
// parser does ("… at 45 [character 46 line 1]").
func syntaxProblem(body []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return positioned(body, se.Offset, strings.TrimPrefix(err.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return positioned(body, int64(len(body))+1, "unexpected end of input")
	}
	return positioned(body, dec.InputOffset(), strings.TrimPrefix(err.Error(), "json: "))
}

// positioned places msg at off, the offset just past the offending byte
// (encoding/json's convention).
func positioned(body []byte, off int64, msg string) error {
	line, col := lineCol(body, off)
	return fmt.Errorf("%s at %d [character %d line %d]", msg, off, col, line)
}

// jsonType names a JSON value's type the way Bedrock's schema errors do.
func jsonType(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "Null"
	}
	switch v[0] {
	case '"':
		return "String"
	case '[':
		return "JSONArray"
	case '{':
		return "JSONObject"
	case 't', 'f':
		return "Boolean"
	case 'n':
		return "Null"
	}
	if bytes.ContainsAny(v, ".eE") {
		return "BigDecimal"
	}
	return "Integer"
}

// lastUserText is the text of the newest user message: its string content
// or its text blocks joined by newlines. Tool results are not user text.
func (r *invokeRequest) lastUserText() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		m := r.Messages[i]
		if m.Role != "user" {
			continue
		}
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			return s
		}
		var blocks []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		json.Unmarshal(m.Content, &blocks)
		var texts []string
		for _, b := range blocks {
			if b.Type == "text" {
				texts = append(texts, b.Text)
			}
		}
		return strings.Join(texts, "\n")
	}
	return ""
}
