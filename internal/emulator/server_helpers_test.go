package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// Helpers of the server's own tests (the real-client tests live in the
// conformance_*_test.go files of package emulator_test).

const (
	sonnet46 = "global.anthropic.claude-sonnet-4-6"
	haiku45  = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
)

// testServer builds a server that accepts unsigned requests unless opts
// says otherwise through Credentials.
func testServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Credentials == nil {
		opts.AllowUnsigned = true
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// send runs one request through ServeHTTP.
func send(t testing.TB, s *Server, method, path string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://bedrock.test"+path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// reqBody is a minimal valid Invoke body with extra top-level keys set
// (a nil value deletes the key).
func reqBody(extra map[string]any) []byte {
	m := map[string]any{
		"anthropic_version": "bedrock-2023-05-31",
		"max_tokens":        1024,
		"messages":          []any{map[string]any{"role": "user", "content": "hello"}},
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// convo is messages alternating user and assistant, starting with user.
func convo(n int) []any {
	var out []any
	for i := range n {
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		out = append(out, map[string]any{"role": role, "content": "turn"})
	}
	return out
}

var oneTool = []any{map[string]any{"name": "Read", "description": "read a file", "input_schema": map[string]any{"type": "object"}}}

// apiErr is an error response as a client sees it.
type apiErr struct {
	Status  int
	Type    string
	Message string
}

func errorOf(t testing.TB, w *httptest.ResponseRecorder) apiErr {
	t.Helper()
	var body struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", w.Body.String(), err)
	}
	typ, _, _ := strings.Cut(w.Header().Get("x-amzn-ErrorType"), ":")
	return apiErr{w.Code, typ, body.Message}
}

// frame is one decoded event-stream message.
type frame struct {
	MessageType string
	EventType   string // :event-type or :exception-type
	Event       map[string]any
	Raw         []byte // the Anthropic event JSON, or the exception payload
}

// decodeFrames reads an event-stream body with the AWS SDK's decoder.
func decodeFrames(t testing.TB, body []byte) []frame {
	t.Helper()
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(body)
	var out []frame
	for {
		m, err := dec.Decode(r, nil)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decode frame %d: %v", len(out), err)
		}
		f := frame{MessageType: m.Headers.Get(":message-type").String()}
		if f.MessageType == "exception" {
			f.EventType = m.Headers.Get(":exception-type").String()
			f.Raw = m.Payload
			out = append(out, f)
			continue
		}
		f.EventType = m.Headers.Get(":event-type").String()
		if ct := m.Headers.Get(":content-type").String(); ct != "application/json" {
			t.Fatalf("frame %d: :content-type %q", len(out), ct)
		}
		var chunk struct {
			Bytes string `json:"bytes"`
			P     string `json:"p"`
		}
		if err := json.Unmarshal(m.Payload, &chunk); err != nil {
			t.Fatalf("frame %d payload %q: %v", len(out), m.Payload, err)
		}
		if chunk.P == "" || !strings.HasPrefix(padAlphabet, chunk.P) {
			t.Errorf("frame %d: padding %q is not a prefix of the alphabet", len(out), chunk.P)
		}
		raw, err := base64.StdEncoding.DecodeString(chunk.Bytes)
		if err != nil {
			t.Fatalf("frame %d bytes: %v", len(out), err)
		}
		f.Raw = raw
		if err := json.Unmarshal(raw, &f.Event); err != nil {
			t.Fatalf("frame %d event %q: %v", len(out), raw, err)
		}
		out = append(out, f)
	}
}

// eventNames summarizes a stream as "type" or "type:subtype" per frame.
func eventNames(frames []frame) []string {
	var out []string
	for _, f := range frames {
		if f.MessageType == "exception" {
			out = append(out, "exception:"+f.EventType)
			continue
		}
		name, _ := f.Event["type"].(string)
		switch name {
		case "content_block_start":
			cb, _ := f.Event["content_block"].(map[string]any)
			name += ":" + cb["type"].(string)
		case "content_block_delta":
			d, _ := f.Event["delta"].(map[string]any)
			name += ":" + d["type"].(string)
		}
		out = append(out, name)
	}
	return out
}

// mustStatus fails unless the response has the status.
func mustStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body %s", w.Code, status, w.Body.String())
	}
}

// scenarioFrom builds a Scenario from JSON text without a file.
func scenarioFrom(t testing.TB, js string) *Scenario {
	t.Helper()
	sc, err := parseScenario([]byte(js), nil)
	if err != nil {
		t.Fatalf("parseScenario: %v", err)
	}
	return sc
}

// countBody wraps an Invoke body as a CountTokens request.
func countBody(invoke []byte) []byte {
	b, _ := json.Marshal(map[string]any{"input": map[string]any{"invokeModel": map[string]any{"body": invoke}}})
	return b
}

var regexpAppID = regexp.MustCompile(`^[a-z0-9]{12}$`)
