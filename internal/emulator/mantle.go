package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Mantle is Bedrock's second inference endpoint,
// https://bedrock-mantle.{region}.api.aws, which serves Claude in the
// Anthropic Messages API's own shape under /anthropic: POST
// /anthropic/v1/messages (streamed as server-sent events when the body
// says "stream": true) and its count_tokens. What the emulator follows:
//
//   - Paths and auth: AWS's "Inference using Anthropic Messages API" page
//     (base URL …/anthropic/v1/messages; a Bedrock API key or SigV4) and
//     anthropic-sdk-go bedrock/bedrockmantle.go (SigV4 signing name
//     "bedrock-mantle"; the API key sent as Authorization: Bearer). An
//     x-api-key header is taken as an API key too ("Anthropic-compatible").
//   - Model IDs: "anthropic." and the model name without a date or
//     version suffix, e.g. anthropic.claude-haiku-4-5 (Claude Code's
//     Bedrock page, "Select a Mantle model"); any other ID is a 404
//     not_found_error, as reported for unprefixed names.
//   - Errors: the Anthropic API's {"type":"error","error":{…}} with its
//     error types, and a request-id header. This is an assumption (an
//     "Anthropic-compatible" endpoint); Mantle's own captures are not
//     public.
//   - GET /anthropic/v1/models lists the served IDs in the Anthropic
//     models-list shape (Mantle's catalog is documented as /v1/models).
//
// Requests take the Invoke path: the body, less model and stream, is the
// Bedrock body, so the scripted model, the prompt cache, the faults and
// the ledger behave exactly as for InvokeModel.

const mantleService = "bedrock-mantle"

// Operation names of the Mantle endpoint, as the ledger records them.
const (
	opMantleMessages    = "MantleMessages"
	opMantleCountTokens = "MantleCountTokens"
	opMantleModels      = "MantleListModels"
)

func (s *Server) mantleRoutes(mux *http.ServeMux) {
	wrap := func(name string, h func(*call)) http.Handler {
		return apiKeyAsBearer(s.opFor(name, mantleService, h))
	}
	mux.Handle("POST /anthropic/v1/messages", wrap(opMantleMessages, s.mantleMessages))
	mux.Handle("POST /anthropic/v1/messages/count_tokens", wrap(opMantleCountTokens, s.mantleCountTokens))
	mux.Handle("GET /anthropic/v1/models", wrap(opMantleModels, s.mantleModels))
}

// apiKeyAsBearer lets an Anthropic-style x-api-key stand for the Bearer
// API key when no Authorization header was sent.
func apiKeyAsBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := r.Header.Get("X-Api-Key"); k != "" && r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", "Bearer "+k)
		}
		next.ServeHTTP(w, r)
	})
}

// mantleModelID is a model's Mantle ID: anthropic.claude-haiku-4-5 for
// claude-haiku-4-5-20251001.
func mantleModelID(m *foundationModel) string {
	return "anthropic." + datedSuffix().ReplaceAllString(m.APIName, "")
}

var datedSuffix = lazyre.New(`-[0-9]{8}$`)

// mantleModel finds a model served in the caller's region by Mantle ID.
func (s *Server) mantleModel(t *profileTable, id string) (*profile, bool) {
	for _, m := range servedModels(t) {
		if mantleModelID(m) == id {
			return &profile{Model: m}, true
		}
	}
	return nil, false
}

// mantleBody turns an Anthropic API body into the Bedrock one: model
// and stream come out, the API version and betas go in from the headers.
func mantleBody(r *http.Request, body []byte, counting bool) (model string, stream bool, out []byte, aerr *apiError) {
	keys, vals, err := topLevel(body)
	if err != nil {
		return "", false, nil, errValidation("%v", err)
	}
	if raw, ok := vals["model"]; !ok || json.Unmarshal(raw, &model) != nil || model == "" {
		return "", false, nil, errValidation("model: Field required")
	}
	if raw, ok := vals["stream"]; ok && json.Unmarshal(raw, &stream) != nil {
		return "", false, nil, errValidation("stream: Input should be a valid boolean")
	}
	o := orderedObject{}
	version := r.Header.Get("Anthropic-Version")
	if version == "" {
		version = "2023-06-01" // the default a gateway in front of Mantle documents
	}
	o.set("anthropic_version", version)
	if betas := r.Header.Values("Anthropic-Beta"); len(betas) > 0 {
		var list []string
		for _, b := range betas {
			for _, x := range strings.Split(b, ",") {
				if x = strings.TrimSpace(x); x != "" {
					list = append(list, x)
				}
			}
		}
		o.set("anthropic_beta", list)
	}
	if counting {
		o.set("max_tokens", 1)
	}
	for _, k := range keys {
		switch k {
		case "model", "stream", "user_profile_id":
			continue
		}
		o.setRaw(k, vals[k])
	}
	return model, stream, o.marshal(), nil
}

func (s *Server) mantleMessages(c *call) {
	if aerr := checkJSONContentType(c.r); aerr != nil {
		c.fail(aerr)
		return
	}
	model, stream, body, aerr := mantleBody(c.r, c.body, false)
	c.rec.Model, c.rec.Stream = model, stream
	if aerr != nil {
		c.fail(aerr)
		return
	}
	p, ok := s.mantleModel(c.profiles, model)
	if !ok {
		c.fail(errNotFound(fmt.Sprintf("The model '%s' does not exist", model)))
		return
	}
	if len(body) > maxModelBody {
		c.fail(errValidation("prompt is too long"))
		return
	}
	req, aerr := parseInvoke(body)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	c.rec.MaxTokens = req.MaxTokens
	if req.Thinking.Type == "enabled" {
		c.rec.ThinkingBudget = req.Thinking.BudgetTokens
	}
	c.rec.AnthropicBeta = req.AnthropicBeta
	r, usage, f, ok := s.generate(c, p, req, body, nil, guardInput{})
	if !ok {
		return
	}
	m := s.message(p, r, usage)
	m.Model = model
	if stream {
		s.mantleStream(c, m, r, f)
		return
	}
	if !sleep(c.r.Context(), s.opts.Faults.Latency) {
		c.rec.Status, c.rec.ErrorType = 499, "client-closed"
		return
	}
	b := mustJSON(m)
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Request-Id", c.id)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	c.rec.Status = http.StatusOK
	if f.disconnect {
		c.w.WriteHeader(http.StatusOK)
		c.w.Write(b[:len(b)/2])
		http.NewResponseController(c.w).Flush()
		c.rec.ErrorType = "disconnect"
		panic(http.ErrAbortHandler)
	}
	c.w.Write(b)
}

// mantleStream sends the reply as the Anthropic API's server-sent
// events: the same events InvokeModelWithResponseStream wraps in chunks,
// a ping after message_start, and message_stop; a stream-error fault is
// an "error" event.
func (s *Server) mantleStream(c *call, m messageJSON, r reply, f faultDraw) {
	evs := streamEvents(m, r)
	evs = append(evs[:1], append([]any{map[string]string{"type": "ping"}}, evs[1:]...)...)
	evs = append(evs, map[string]string{"type": "message_stop"})
	h := c.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Request-Id", c.id)
	c.w.WriteHeader(http.StatusOK)
	c.rec.Status = http.StatusOK
	rc := http.NewResponseController(c.w)
	cut := f.cutAt(len(evs))
	for i, ev := range evs {
		if !s.beforeFrame(c, f, i, cut, func(e *apiError) {
			fmt.Fprintf(c.w, "event: error\ndata: %s\n\n", anthropicErrorBody(e))
			rc.Flush()
		}) {
			return
		}
		j := mustJSON(ev)
		var typ struct {
			Type string `json:"type"`
		}
		json.Unmarshal(j, &typ)
		if _, err := fmt.Fprintf(c.w, "event: %s\ndata: %s\n\n", typ.Type, j); err != nil {
			c.rec.ErrorType = "client-closed"
			return
		}
		rc.Flush()
	}
}

func (s *Server) mantleCountTokens(c *call) {
	if aerr := checkJSONContentType(c.r); aerr != nil {
		c.fail(aerr)
		return
	}
	model, _, body, aerr := mantleBody(c.r, c.body, true)
	c.rec.Model = model
	if aerr != nil {
		c.fail(aerr)
		return
	}
	if _, ok := s.mantleModel(c.profiles, model); !ok {
		c.fail(errNotFound(fmt.Sprintf("The model '%s' does not exist", model)))
		return
	}
	if _, aerr := parseInvoke(body); aerr != nil {
		c.fail(aerr)
		return
	}
	n, aerr := countInputTokens(body)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	c.rec.InputTokens = n
	c.replyJSON(map[string]int{"input_tokens": n})
}

func (s *Server) mantleModels(c *call) {
	type model struct {
		Type        string `json:"type"`
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
		CreatedAt   string `json:"created_at"`
	}
	out := struct {
		Data    []model `json:"data"`
		HasMore bool    `json:"has_more"`
		FirstID *string `json:"first_id"`
		LastID  *string `json:"last_id"`
	}{Data: []model{}}
	for _, m := range servedModels(c.profiles) {
		out.Data = append(out.Data, model{"model", mantleModelID(m), m.Name, m.Released.UTC().Format("2006-01-02T15:04:05Z")})
	}
	if n := len(out.Data); n > 0 {
		out.FirstID, out.LastID = &out.Data[0].ID, &out.Data[n-1].ID
	}
	c.replyJSON(out)
}

// anthropicErrorType maps an exception to the Anthropic API's error type
// by status, as that API classifies them.
func anthropicErrorType(e *apiError) string {
	switch {
	case e.Status == http.StatusUnauthorized || e.Type == "UnrecognizedClientException" ||
		e.Type == "AccessDeniedException" && (strings.HasPrefix(e.Message, "Authentication failed") || e.Message == "Authorization header is missing") ||
		e.Type == "InvalidSignatureException" || e.Type == "IncompleteSignatureException" || e.Type == "ExpiredTokenException":
		return "authentication_error"
	case e.Status == http.StatusForbidden:
		return "permission_error"
	case e.Status == http.StatusNotFound:
		return "not_found_error"
	case e.Status == http.StatusRequestEntityTooLarge:
		return "request_too_large"
	case e.Status == http.StatusTooManyRequests:
		return "rate_limit_error"
	case e.Status == http.StatusServiceUnavailable || e.Status == 529:
		return "overloaded_error"
	case e.Status >= 500 || e.Status == 424:
		return "api_error"
	}
	return "invalid_request_error"
}

func anthropicErrorBody(e *apiError) []byte {
	return mustJSON(map[string]any{
		"type":  "error",
		"error": map[string]string{"type": anthropicErrorType(e), "message": e.Message},
	})
}

// writeAnthropicError sends e in the Anthropic API's shape. Signature
// failures are 401 there, as the Anthropic SDKs expect for bad keys.
func writeAnthropicError(w http.ResponseWriter, requestID string, e *apiError) {
	status := e.Status
	if anthropicErrorType(e) == "authentication_error" {
		status = http.StatusUnauthorized
	}
	body := anthropicErrorBody(e)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Request-Id", requestID)
	h.Set("x-amzn-RequestId", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
