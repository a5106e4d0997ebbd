package emulator

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"time"
)

// Operation names, as the ledger records them.
const (
	opInvoke       = "InvokeModel"
	opInvokeStream = "InvokeModelWithResponseStream"
	opCountTokens  = "CountTokens"
	opListProfiles = "ListInferenceProfiles"
	opGetProfile   = "GetInferenceProfile"
)

// Body limits. The API reference caps an InvokeModel body at 25,000,000
// bytes (a Smithy length constraint, checked before anything else);
// Anthropic documents 20 MB as the request limit for Claude on Bedrock,
// which the model side enforces. The emulator refuses both with 400
// ValidationException, as Bedrock does, never with a 413: clients classify
// by status, and a 400 tells them not to retry.
const (
	maxWireBody  = 25_000_000
	maxModelBody = 20_000_000
)

// routes registers the operations on a Go 1.22 pattern mux, which matches
// the escaped path segment by segment, so a model ID with %2F stays one
// segment and PathValue returns it decoded (reference §1.3).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("POST /model/{modelId}/invoke", s.op(opInvoke, func(c *call) { s.invoke(c, false) }))
	mux.Handle("POST /model/{modelId}/invoke-with-response-stream", s.op(opInvokeStream, func(c *call) { s.invoke(c, true) }))
	mux.Handle("POST /model/{modelId}/converse", s.op(opConverse, func(c *call) { s.converse(c, false) }))
	mux.Handle("POST /model/{modelId}/converse-stream", s.op(opConverseStream, func(c *call) { s.converse(c, true) }))
	mux.Handle("POST /model/{modelId}/count-tokens", s.op(opCountTokens, s.countTokens))
	mux.Handle("GET /inference-profiles", s.op(opListProfiles, s.listProfiles))
	s.mantleRoutes(mux)
	mux.Handle("GET /foundation-models", s.op(opListFoundationModels, s.listFoundationModels))
	mux.Handle("GET /foundation-models/{modelIdentifier...}", s.op(opGetFoundationModel, s.getFoundationModel))
	mux.Handle("GET /inference-profiles/{id...}", s.op(opGetProfile, s.getProfile))
	s.notFound = s.op("", s.unknownRoute)
	mux.Handle("/", s.notFound)
	return mux
}

// call is one request in flight: what the handler needs beyond w and r,
// and the ledger record it fills in.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	id    string // x-amzn-RequestId
	start time.Time
	body  []byte
	auth  authInfo
	rec   Record
	// profiles is the table of the region the caller signed for.
	profiles *profileTable
	// anthropic: errors go out in the Anthropic API's shape (Mantle).
	anthropic bool
}

// op wraps an operation with what every request gets: a request ID, the
// body read within limits, authentication, expiring keys, and a ledger
// record written when the handler returns (or aborts the connection).
func (s *Server) op(name string, h func(*call)) http.Handler {
	return s.opFor(name, sigV4Service, h)
}

// opFor is [Server.op] for an endpoint whose SigV4 signing name is
// service.
func (s *Server) opFor(name, service string, h func(*call)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, id: s.ids.requestID(), start: s.opts.Now(), anthropic: service == mantleService}
		c.rec = Record{
			Time:      c.start.UTC(),
			Method:    r.Method,
			Path:      r.URL.EscapedPath(),
			Operation: name,
			Model:     r.PathValue("modelId"), // also for requests refused below
			Auth:      "none",
		}
		defer func() { s.ledger.add(c.rec) }()

		body, err := io.ReadAll(io.LimitReader(r.Body, maxWireBody+1))
		c.body = body
		c.rec.RequestBytes = len(body)
		if err != nil {
			c.fail(errValidation("could not read the request body: %v", err))
			return
		}
		if len(body) > maxWireBody {
			c.fail(errValidation("1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to %d", maxWireBody))
			return
		}
		// Clients sign with the wall clock, so the skew check uses it
		// too, whatever clock the test gave the cache.
		auth, aerr := authenticateFor(service, r, body, s.opts.Credentials, s.opts.AllowUnsigned, time.Now())
		c.auth = auth
		if auth.Scheme != "" {
			c.rec.Auth = auth.Scheme
		}
		c.rec.AccessKeyID = auth.AccessKeyID
		c.rec.Region = auth.Region
		if aerr != nil {
			c.fail(aerr)
			return
		}
		if auth.Scheme == "sigv4" && auth.AccessKeyID != "" && s.faults.expired(auth.AccessKeyID) {
			c.fail(errExpiredToken())
			return
		}
		c.profiles = s.regionProfiles(auth.Region)
		recordServiceTier(c, name)
		h(c)
	})
}

// fail sends err as a JSON error (reference §4.1) and records it.
func (c *call) fail(err *apiError) {
	c.rec.Status = err.Status
	c.rec.ErrorType = err.Type
	if c.anthropic {
		writeAnthropicError(c.w, c.id, err)
		return
	}
	writeError(c.w, c.id, err)
}

// replyJSON sends a 200 JSON body.
func (c *call) replyJSON(v any) {
	c.rec.Status = http.StatusOK
	b, err := json.Marshal(v)
	if err != nil {
		c.fail(errInternal())
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-amzn-RequestId", c.id)
	c.w.Write(b)
}

func (s *Server) unknownRoute(c *call) {
	c.fail(errUnknownOperation(c.r.Method, c.r.URL.EscapedPath()))
}

// checkJSONContentType refuses bodies that say they are not JSON. A
// missing Content-Type is accepted: Bedrock's models read the bytes.
func checkJSONContentType(r *http.Request) *apiError {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return errValidation("The provided content type %q is not supported; send the request body as application/json.", ct)
	}
	return nil
}

// resolveInvoke finds the profile an InvokeModel model ID names: a served
// profile's ID or ARN. A bare foundation model gets the on-demand error;
// anything else is an invalid identifier (reference §4.3).
func (s *Server) resolveInvoke(t *profileTable, id string) (*profile, *apiError) {
	if p, ok := t.lookup(id); ok {
		return p, nil
	}
	if m, ok := s.foundationModel(t, id); ok {
		return nil, errOnDemand(m.ID)
	}
	return nil, errInvalidModel()
}

// foundationModel finds a foundation model by ID or ARN among the known
// ones and those this server synthesized for --models.
func (s *Server) foundationModel(t *profileTable, id string) (*foundationModel, bool) {
	if m, ok := foundationModelID(id); ok {
		return m, true
	}
	fmID := id
	if a, ok := parseARN(id); ok && a.Kind == "foundation-model" && a.Account == "" {
		fmID = a.Resource
	}
	for _, p := range t.list {
		if p.Model.ID == fmID {
			return p.Model, true
		}
	}
	return nil, false
}

// countTokens serves CountTokens. Like Bedrock's, it takes a foundation
// model (Claude Code resolves a profile to models[0] before calling it,
// reference §6.3); the model must exist in the region.
func (s *Server) countTokens(c *call) {
	id := c.r.PathValue("modelId")
	c.rec.Model = id
	m, ok := s.foundationModel(c.profiles, id)
	if !ok || !c.profiles.servesModel(m) {
		c.fail(errInvalidModel())
		return
	}
	if aerr := checkJSONContentType(c.r); aerr != nil {
		c.fail(aerr)
		return
	}
	var in struct {
		Input struct {
			InvokeModel *struct {
				Body []byte `json:"body"`
			} `json:"invokeModel"`
			Converse *converseRequest `json:"converse"`
		} `json:"input"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil || (in.Input.InvokeModel == nil && in.Input.Converse == nil) {
		c.fail(errValidation("1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null"))
		return
	}
	var body []byte
	if in.Input.Converse != nil {
		// input.converse is Converse without inferenceConfig: it is
		// counted as the Anthropic body it translates to.
		t, aerr := in.Input.Converse.translate()
		if aerr != nil {
			c.fail(aerr)
			return
		}
		body = t.body
	} else {
		body = in.Input.InvokeModel.Body
	}
	if len(body) > maxModelBody {
		c.fail(errValidation("Input is too long for requested model."))
		return
	}
	req, aerr := parseInvoke(body)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	c.rec.MaxTokens = req.MaxTokens
	c.rec.AnthropicBeta = req.AnthropicBeta
	n, aerr := countInputTokens(body)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	c.rec.InputTokens = n
	c.replyJSON(map[string]int{"inputTokens": n})
}
