package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

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
type Schema struct {
	text string
	sch  *jsonschema.Schema
}

// CompileSchema compiles a JSON Schema given inline. A schema that is not
// JSON, or not a valid schema, is an error that says where.
func CompileSchema(text string) (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("--json-schema: not JSON: %v", err)
	}
	if _, ok := doc.(map[string]any); !ok {
		if _, isBool := doc.(bool); !isBool {
			return nil, errors.New("--json-schema: want a JSON Schema object, e.g. {\"type\":\"object\"}")
		}
	}
	c := jsonschema.NewCompiler()
	// Only the schema given: no file or network is read for a $ref.
	c.UseLoader(noLoader{})
	const url = "https://basalt.invalid/json-schema.json" // .invalid: never a real host, and no loader fetches it
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("--json-schema: %v", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		// The schema is the one the user gave: it needs no URL.
		msg := strings.ReplaceAll(err.Error(), `"`+url+`#" is`, "the schema is")
		return nil, fmt.Errorf("--json-schema: %s", msg)
	}
	return &Schema{text: text, sch: sch}, nil
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("%s: --json-schema reads no other documents; put every $ref's target in the schema", url)
}

// Check parses an answer as JSON and validates it. The answer may be
// wrapped in a ```json fence, as models often write it.
func (s *Schema) Check(answer string) (json.RawMessage, error) {
	text := unfence(answer)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("the answer is not a JSON value: %v", err)
	}
	if err := s.sch.Validate(v); err != nil {
		return nil, validationError(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(text)); err != nil {
		return nil, err
	}
	return json.RawMessage(compact.Bytes()), nil
}

// validationError is the validator's report without its first line,
// which names the schema by a file URL the user never gave.
func validationError(err error) error {
	msg := err.Error()
	if first, rest, ok := strings.Cut(msg, "\n"); ok && strings.HasPrefix(first, "jsonschema validation failed") {
		msg = strings.TrimSpace(rest)
	}
	return errors.New("not valid against the schema: " + msg)
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
