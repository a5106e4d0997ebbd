package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/google/jsonschema-go/jsonschema"

	"github.com/basalt-dev/basalt/internal/agent"
)

// structuredRetries bounds how often the model is asked again after an
// answer that does not match --json-schema. Each retry is a model
// request, counted in the turn's requests and cost.
const structuredRetries = 3

// ErrorMaxStructuredRetries is the result subtype of a run whose answer
// never matched the schema (Claude Code's name for it).
const ErrorMaxStructuredRetries = "error_max_structured_output_retries"

// Schema is a compiled --json-schema with its text, which the model is
// shown.
//
// The validator is google/jsonschema-go, the one the MCP SDK links for
// tool schemas: one JSON Schema implementation in the binary, and one
// whose package initialisation costs well under a millisecond (the one
// used before built its meta-schemas at every start, 7 ms of CPU even for
// `basalt version`).
type Schema struct {
	text string
	sch  *jsonschema.Resolved
}

// CompileSchema compiles a JSON Schema given inline. A schema that is not
// JSON, or not a valid schema, is an error that says where.
func CompileSchema(text string) (*Schema, error) {
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, fmt.Errorf("--json-schema: not JSON: %v", err)
	}
	switch doc.(type) {
	case map[string]any, bool:
	default:
		return nil, errors.New("--json-schema: want a JSON Schema object, e.g. {\"type\":\"object\"}")
	}
	if err := checkTypeNames(doc, ""); err != nil {
		return nil, fmt.Errorf("--json-schema: not a valid schema: %v", err)
	}
	var sch jsonschema.Schema
	if err := json.Unmarshal([]byte(text), &sch); err != nil {
		return nil, fmt.Errorf("--json-schema: not a valid schema: %v", err)
	}
	// No Loader: only the schema given is read, never a file or the
	// network for a $ref; the resolver reports such a $ref as an error.
	res, err := sch.Resolve(nil)
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "loader") || strings.Contains(msg, "remote") {
			msg = "reads no other documents; put every $ref's target in the schema (" + msg + ")"
		}
		return nil, fmt.Errorf("--json-schema: not a valid schema: %s", msg)
	}
	return &Schema{text: text, sch: res}, nil
}

// jsonTypes are the names a schema's "type" may use.
var jsonTypes = map[string]bool{"null": true, "boolean": true, "object": true, "array": true, "number": true, "string": true, "integer": true}

// checkTypeNames finds a "type" keyword naming no JSON type, which the
// validator would accept and then match nothing against: the one
// meta-schema check a typo in a schema typically needs. Values of
// keywords that hold data rather than schemas are not schemas and are
// skipped.
func checkTypeNames(v any, at string) error {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			switch k {
			case "enum", "const", "default", "examples":
				continue
			case "type":
				if err := checkTypeValue(sub, at+"/type"); err != nil {
					return err
				}
				continue
			}
			if err := checkTypeNames(sub, at+"/"+k); err != nil {
				return err
			}
		}
	case []any:
		for i, sub := range v {
			if err := checkTypeNames(sub, fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkTypeValue(v any, at string) error {
	names, ok := v.([]any)
	if !ok {
		names = []any{v}
	}
	for _, n := range names {
		s, isString := n.(string)
		if !isString {
			if _, isSchema := n.(map[string]any); isSchema && !ok {
				return checkTypeNames(n, at) // a property called "type"
			}
			return fmt.Errorf("%s: %v is not a type name", at, n)
		}
		if !jsonTypes[s] {
			return fmt.Errorf("%s: %q is not a JSON type (want null, boolean, object, array, number, string or integer)", at, s)
		}
	}
	return nil
}

// Check parses an answer as JSON and validates it. The answer may be
// wrapped in a ```json fence, as models often write it.
func (s *Schema) Check(answer string) (json.RawMessage, error) {
	text := unfence(answer)
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("the answer is not a JSON value: %v", err)
	}
	if err := s.sch.Validate(v); err != nil {
		return nil, errors.New("not valid against the schema: " + strings.TrimPrefix(err.Error(), "validating root: "))
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(text)); err != nil {
		return nil, err
	}
	return json.RawMessage(compact.Bytes()), nil
}

// unfence strips one Markdown code fence around the whole answer.
func unfence(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return s
	}
	body := strings.TrimSuffix(s[3:], "```")
	if nl := strings.IndexByte(body, '\n'); nl >= 0 && !strings.ContainsAny(body[:nl], "{[\"") {
		body = body[nl+1:] // the info string: json
	}
	return strings.TrimSpace(body)
}

// instruction is added to each prompt: the model must know the shape
// before it answers, and the system prompt is the same for every run.
func (s *Schema) instruction() string {
	return "When you have finished the task, your final answer must be a single JSON value, and nothing else, valid against this JSON Schema:\n" + s.text
}

// StructuredError is a run whose answers never matched the schema.
type StructuredError struct {
	Attempts int
	Err      error // the last validation error
}

func (e *StructuredError) Error() string {
	return fmt.Sprintf("the answer did not match --json-schema after %d attempts: %v", e.Attempts, e.Err)
}

// runStructured runs prompt with the schema's instruction, then checks
// the answer, asking again with the validation error until it matches or
// the retries are spent. The requests and the text of every attempt add
// up in the returned result.
func (s *Session) runStructured(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(agent.Event)) (*agent.Result, error) {
	sch := s.schema
	prompt = append(append([]anthropic.ContentBlockParamUnion(nil), prompt...), anthropic.NewTextBlock(sch.instruction()))
	total := &agent.Result{}
	for attempt := 1; ; attempt++ {
		res, err := s.runOnce(ctx, prompt, on)
		if res != nil {
			requests := total.Requests + res.Requests
			*total = *res
			total.Requests = requests
		}
		if err != nil || res == nil || res.Guardrail {
			return total, err
		}
		v, verr := sch.Check(res.Text)
		if verr == nil {
			s.setStructured(v)
			return total, nil
		}
		if attempt > structuredRetries {
			return total, &StructuredError{Attempts: attempt, Err: verr}
		}
		on(agent.Event{Kind: agent.EventNotice, Text: fmt.Sprintf("the answer does not match --json-schema (%v); asking again", oneLineErr(verr))})
		prompt = []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(
			"Your final answer does not match the required JSON Schema:\n" + verr.Error() +
				"\nReply with only the corrected JSON value, valid against the schema, and no other text.")}
	}
}

func oneLineErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func (s *Session) setStructured(v json.RawMessage) {
	s.mu.Lock()
	s.structured = v
	s.mu.Unlock()
}

// Structured is the last Run's answer as validated against --json-schema;
// nil without a schema or when it never matched.
func (s *Session) Structured() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.structured
}
