package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// Operation names of the Converse API, as the ledger records them.
const (
	opConverse       = "Converse"
	opConverseStream = "ConverseStream"
)

// converse serves Converse and ConverseStream: the request is translated
// into an Anthropic Messages body (converse_request.go) and then takes
// the path Invoke takes through [Server.generate]; the reply is rendered
// in Converse's shape.
func (s *Server) converse(c *call, stream bool) {
	c.rec.Stream = stream
	id := c.r.PathValue("modelId")
	c.rec.Model = id
	p, aerr := s.resolveInvoke(c.profiles, id)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	if aerr := checkJSONContentType(c.r); aerr != nil {
		c.fail(aerr)
		return
	}
	in, aerr := parseConverse(c.body)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	t, aerr := in.translate()
	if aerr != nil {
		c.fail(aerr)
		return
	}
	req := t.req
	c.rec.MaxTokens = req.MaxTokens
	if req.Thinking.Type == "enabled" {
		c.rec.ThinkingBudget = req.Thinking.BudgetTokens
	}
	c.rec.AnthropicBeta = req.AnthropicBeta
	if pc := in.PerformanceConfig; pc != nil && pc.Latency != "" && pc.Latency != "standard" && pc.Latency != "optimized" {
		c.fail(errEnum("performanceConfig.latency", pc.Latency, []string{"standard", "optimized"}))
		return
	}
	for _, path := range in.AdditionalModelResponseFieldPaths {
		if !strings.HasPrefix(path, "/") {
			c.fail(errValidation("The additionalModelResponseFieldPaths entry %q is not a JSON Pointer; start it with /.", path))
			return
		}
	}
	var g *Guardrail
	if t.guardrailID != "" || t.guardrailVersion != "" {
		c.rec.GuardrailID, c.rec.GuardrailVersion = t.guardrailID, t.guardrailVersion
		missing := ""
		switch {
		case t.guardrailID == "":
			missing = "guardrailIdentifier"
		case t.guardrailVersion == "":
			missing = "guardrailVersion"
		}
		if missing != "" {
			c.fail(errValidation("1 validation error detected: Value at 'guardrailConfig.%s' failed to satisfy constraint: Member must not be null", missing))
			return
		}
		g, aerr = s.lookupGuardrail(t.guardrailID, t.guardrailVersion)
		if aerr != nil {
			c.fail(aerr)
			return
		}
	}
	r, usage, f, ok := s.generate(c, p, req, t.body, g, t.guard)
	if !ok {
		return
	}
	extra := responseFields(s.message(p, r, usage), in.AdditionalModelResponseFieldPaths)
	if stream {
		s.converseStream(c, r, usage, f, extra)
		return
	}
	if !sleep(c.r.Context(), s.opts.Faults.Latency) {
		c.rec.Status, c.rec.ErrorType = 499, "client-closed"
		return
	}
	out := converseOutput{
		StopReason:                    converseStopReason(r),
		Usage:                         converseUsageOf(usage, r.OutputTokens),
		AdditionalModelResponseFields: extra,
		Trace:                         converseTrace(r.Trace),
	}
	out.Output.Message.Role = "assistant"
	out.Output.Message.Content = converseContent(r.Blocks)
	out.Metrics.LatencyMs = s.elapsed(c.start).Milliseconds()
	body := mustJSON(out)
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-amzn-RequestId", c.id)
	c.rec.Status = http.StatusOK
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if f.disconnect {
		c.w.WriteHeader(http.StatusOK)
		c.w.Write(body[:len(body)/2])
		http.NewResponseController(c.w).Flush()
		c.rec.ErrorType = "disconnect"
		panic(http.ErrAbortHandler)
	}
	c.w.Write(body)
}

// converseOutput is the Converse response body.
type converseOutput struct {
	Output struct {
		Message struct {
			Role    string `json:"role"`
			Content []any  `json:"content"`
		} `json:"message"`
	} `json:"output"`
	StopReason string        `json:"stopReason"`
	Usage      converseUsage `json:"usage"`
	Metrics    struct {
		LatencyMs int64 `json:"latencyMs"`
	} `json:"metrics"`
	AdditionalModelResponseFields json.RawMessage `json:"additionalModelResponseFields,omitempty"`
	Trace                         json.RawMessage `json:"trace,omitempty"`
}

// converseUsage is TokenUsage. inputTokens is the uncached input, as
// Bedrock reports it for Claude; totalTokens adds the output and both
// cache counters. cacheDetails breaks the write down by TTL, 1h first
// (API reference, TokenUsage).
type converseUsage struct {
	InputTokens           int           `json:"inputTokens"`
	OutputTokens          int           `json:"outputTokens"`
	TotalTokens           int           `json:"totalTokens"`
	CacheReadInputTokens  *int          `json:"cacheReadInputTokens,omitempty"`
	CacheWriteInputTokens *int          `json:"cacheWriteInputTokens,omitempty"`
	CacheDetails          []cacheDetail `json:"cacheDetails,omitempty"`
}

type cacheDetail struct {
	TTL         string `json:"ttl"`
	InputTokens int    `json:"inputTokens"`
}

func converseUsageOf(u cacheUsage, output int) converseUsage {
	cu := converseUsage{
		InputTokens:  u.InputTokens,
		OutputTokens: output,
		TotalTokens:  u.InputTokens + output + u.CacheReadInputTokens + u.CacheCreationInputTokens,
	}
	// The cache counters appear once a request used the cache at all.
	if u.Breakpoints > 0 || u.CacheReadInputTokens > 0 || u.CacheCreationInputTokens > 0 {
		read, write := u.CacheReadInputTokens, u.CacheCreationInputTokens
		cu.CacheReadInputTokens, cu.CacheWriteInputTokens = &read, &write
	}
	if u.Ephemeral1hInputTokens > 0 {
		cu.CacheDetails = append(cu.CacheDetails, cacheDetail{ttl1h, u.Ephemeral1hInputTokens})
	}
	if u.Ephemeral5mInputTokens > 0 {
		cu.CacheDetails = append(cu.CacheDetails, cacheDetail{ttl5m, u.Ephemeral5mInputTokens})
	}
	return cu
}

// converseStopReason maps the model's stop reason; a guardrail's
// intervention is guardrail_intervened on Converse.
func converseStopReason(r reply) string {
	if r.GuardrailAction == "INTERVENED" {
		return "guardrail_intervened"
	}
	return r.StopReason
}

// converseContent renders the reply's blocks as ContentBlock members.
func converseContent(blocks []block) []any {
	out := []any{}
	for _, b := range blocks {
		switch b.Type {
		case "thinking":
			out = append(out, map[string]any{"reasoningContent": map[string]any{
				"reasoningText": map[string]any{"text": b.Text, "signature": b.Signature},
			}})
		case "tool_use":
			input := b.Input
			if b.truncated {
				input = json.RawMessage("{}")
			}
			out = append(out, map[string]any{"toolUse": map[string]any{
				"toolUseId": b.ID, "name": b.Name, "input": input,
			}})
		default:
			out = append(out, map[string]any{"text": b.Text})
		}
	}
	return out
}

// converseTrace renames the Invoke trace's guardrail "input" to the
// Converse shape's "inputAssessment".
func converseTrace(trace json.RawMessage) json.RawMessage {
	if len(trace) == 0 {
		return nil
	}
	var t struct {
		Guardrail map[string]json.RawMessage `json:"guardrail"`
	}
	if json.Unmarshal(trace, &t) != nil || t.Guardrail == nil {
		return nil
	}
	if in, ok := t.Guardrail["input"]; ok {
		t.Guardrail["inputAssessment"] = in
		delete(t.Guardrail, "input")
	}
	return mustJSON(t)
}

// responseFields picks the additionalModelResponseFieldPaths (JSON
// Pointers) out of the model's own response message.
func responseFields(m messageJSON, paths []string) json.RawMessage {
	if len(paths) == 0 {
		return nil
	}
	var doc any
	json.Unmarshal(mustJSON(m), &doc)
	out := map[string]any{}
	for _, p := range paths {
		v, ok := pointer(doc, p)
		if !ok {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		cur := out
		for i, part := range parts {
			part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
			if i == len(parts)-1 {
				cur[part] = v
				break
			}
			next, _ := cur[part].(map[string]any)
			if next == nil {
				next = map[string]any{}
				cur[part] = next
			}
			cur = next
		}
	}
	return mustJSON(out)
}

func pointer(doc any, p string) (any, bool) {
	cur := doc
	for _, part := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		switch v := cur.(type) {
		case map[string]any:
			x, ok := v[part]
			if !ok {
				return nil, false
			}
			cur = x
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// converseEvent is one ConverseStream event: its union member name, which
// goes in :event-type, and its payload.
type converseEvent struct {
	typ     string
	payload map[string]any
}

// converseStreamEvents renders a reply as ConverseStream events, all but
// metadata, whose latency is known only at the end. Like Bedrock for
// Claude, only a tool call opens with contentBlockStart; text and
// reasoning begin with their first delta.
func converseStreamEvents(r reply, extra json.RawMessage) []converseEvent {
	evs := []converseEvent{{"messageStart", map[string]any{"role": "assistant"}}}
	delta := func(i int, d map[string]any) converseEvent {
		return converseEvent{"contentBlockDelta", map[string]any{"contentBlockIndex": i, "delta": d}}
	}
	for i, b := range r.Blocks {
		switch b.Type {
		case "thinking":
			for _, p := range pieces(b.Text) {
				evs = append(evs, delta(i, map[string]any{"reasoningContent": map[string]any{"text": p}}))
			}
			evs = append(evs, delta(i, map[string]any{"reasoningContent": map[string]any{"signature": b.Signature}}))
		case "tool_use":
			evs = append(evs, converseEvent{"contentBlockStart", map[string]any{
				"contentBlockIndex": i,
				"start":             map[string]any{"toolUse": map[string]any{"toolUseId": b.ID, "name": b.Name}},
			}})
			input := string(b.Input)
			if b.truncated {
				input = b.Partial
			}
			for _, p := range pieces(input) {
				evs = append(evs, delta(i, map[string]any{"toolUse": map[string]any{"input": p}}))
			}
		default:
			for _, p := range pieces(b.Text) {
				evs = append(evs, delta(i, map[string]any{"text": p}))
			}
		}
		evs = append(evs, converseEvent{"contentBlockStop", map[string]any{"contentBlockIndex": i}})
	}
	stop := map[string]any{"stopReason": converseStopReason(r)}
	if len(extra) > 0 {
		stop["additionalModelResponseFields"] = extra
	}
	return append(evs, converseEvent{"messageStop", stop})
}

// converseStream answers ConverseStream: 200, then one frame per event,
// with the stream faults of f, as [Server.stream] does for Invoke.
func (s *Server) converseStream(c *call, r reply, u cacheUsage, f faultDraw, extra json.RawMessage) {
	evs := converseStreamEvents(r, extra)
	h := c.w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	h.Set("x-amzn-RequestId", c.id)
	c.w.WriteHeader(http.StatusOK)
	c.rec.Status = http.StatusOK

	frames := len(evs) + 1
	cut := f.cutAt(frames)
	fw := newFrameWriter(c.w)
	for i := 0; i < frames; i++ {
		if !s.beforeFrame(c, f, i, cut, func(e *apiError) { fw.exception(e) }) {
			return
		}
		var ev converseEvent
		if i < len(evs) {
			ev = evs[i]
		} else {
			md := map[string]any{
				"usage":   converseUsageOf(u, r.OutputTokens),
				"metrics": map[string]any{"latencyMs": s.elapsed(c.start).Milliseconds()},
			}
			if t := converseTrace(r.Trace); t != nil {
				md["trace"] = t
			}
			ev = converseEvent{"metadata", md}
		}
		if err := fw.typedEvent(ev.typ, ev.payload); err != nil {
			c.rec.ErrorType = "client-closed"
			return
		}
	}
}

// typedEvent sends one event of a union stream: :event-type names the
// member, the payload is its JSON with Bedrock's "p" padding field.
func (fw *frameWriter) typedEvent(typ string, payload map[string]any) error {
	j := mustJSON(payload)
	payload["p"] = padAlphabet[:1+len(j)%len(padAlphabet)]
	return fw.send(eventstream.Message{
		Headers: eventstream.Headers{
			{Name: ":event-type", Value: eventstream.StringValue(typ)},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("event")},
		},
		Payload: mustJSON(payload),
	})
}
