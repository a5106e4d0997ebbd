package emulator

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"
)

// invoke serves InvokeModel and InvokeModelWithResponseStream: resolve the
// model, validate the body, apply the guardrail and the faults, account
// for the prompt cache, and answer with the scripted model's reply.
func (s *Server) invoke(c *call, stream bool) {
	c.rec.Stream = stream
	id := c.r.PathValue("modelId")
	c.rec.Model = id
	p, aerr := s.resolveInvoke(c.profiles, id)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	if aerr := checkInvokeContentType(c.r); aerr != nil {
		c.fail(aerr)
		return
	}
	if aerr := checkInvokeAccept(c.r, stream); aerr != nil {
		c.fail(aerr)
		return
	}
	if len(c.body) > maxModelBody {
		c.fail(errValidation("Input is too long for requested model."))
		return
	}
	req, aerr := parseInvoke(c.body)
	if aerr == nil {
		aerr = s.checkThinkingHistory(req)
	}
	if aerr != nil {
		c.fail(aerr)
		return
	}
	c.rec.MaxTokens = req.MaxTokens
	c.rec.Images, c.rec.Documents = req.media.images, req.media.documents
	if req.Thinking.Type == "enabled" {
		c.rec.ThinkingBudget = req.Thinking.BudgetTokens
	}
	c.rec.ThinkingType = req.Thinking.Type
	c.rec.Effort = req.OutputConfig.Effort
	c.rec.GuardTagged = req.guardTagSuffix != ""
	c.rec.AnthropicBeta = req.AnthropicBeta
	echo, aerr := echoHeaders(c.r)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	c.rec.GuardrailID = c.r.Header.Get(hdrGuardrailID)
	c.rec.GuardrailVersion = c.r.Header.Get(hdrGuardrailVersion)
	g, aerr := s.guardrailFor(c.r, req)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	r, usage, f, ok := s.generate(c, p, req, c.body, g, guardInputFor(req, c.r.Header.Get(hdrTrace)))
	if !ok {
		return
	}

	for k, v := range echo {
		c.w.Header().Set(k, v)
	}
	m := s.message(p, r, usage)
	if stream {
		s.stream(c, m, r, usage, f)
		return
	}
	if !sleep(c.r.Context(), s.opts.Faults.Latency) {
		c.rec.Status, c.rec.ErrorType = 499, "client-closed"
		return
	}
	s.writeMessage(c, m, r, usage, f)
}

// guardInput is what a guardrail assesses: the text it matches against
// and the trace setting that decides whether its assessment is returned.
type guardInput struct {
	text, trace string
	tagged      bool // text is what input tags enclosed (guardtags.go)
}

// generate is the part of an invocation that Invoke, Converse and Mantle
// share: the cache_control check under faults, the fault draw, the
// guardrail, the prompt cache and the scripted model's reply, with the
// ledger record filled in. body is the request as an Anthropic Messages
// body (Converse requests are translated first), so every API is billed
// and scripted alike. ok is false when an error was already sent.
func (s *Server) generate(c *call, p *profile, req *invokeRequest, body []byte, g *Guardrail, in guardInput) (r reply, usage cacheUsage, f faultDraw, ok bool) {
	if aerr := req.checkRoles(p.Model); aerr != nil {
		c.fail(aerr)
		return r, usage, f, false
	}
	if s.opts.Faults.random() {
		// A request Bedrock would refuse is refused, not throttled: check
		// the cache_control rules before the faults are drawn. Without
		// faults, account does it below at no extra cost.
		if _, aerr := cacheBlocks(body); aerr != nil {
			c.fail(aerr)
			return r, usage, f, false
		}
	}
	f = s.faults.draw()
	switch {
	case s.opts.Faults.Overloaded != "" && strings.Contains(c.rec.Model, s.opts.Faults.Overloaded):
		c.fail(errUnavailable("Bedrock is unable to process your request."))
		return r, usage, f, false
	case f.throttle:
		c.fail(errThrottling("Too many requests, please wait before trying again."))
		return r, usage, f, false
	case f.unavailable:
		c.fail(errUnavailable("Bedrock is unable to process your request."))
		return r, usage, f, false
	}

	if g != nil && g.blocks(in) {
		// The model is never called: no cache is read or written.
		n, aerr := countInputTokens(body)
		if aerr != nil {
			c.fail(aerr)
			return r, usage, f, false
		}
		usage = cacheUsage{InputTokens: n}
		// The ledger still describes the request's breakpoints.
		if blocks, aerr := cacheBlocks(body); aerr == nil {
			for _, b := range blocks {
				if b.ttl != "" {
					usage.Breakpoints++
					usage.TTLs = append(usage.TTLs, b.ttl)
				}
			}
		}
		r = g.intervention(in.text, in.trace)
	} else {
		var aerr *apiError
		usage, aerr = s.cache.account(p.Model.ID, p.Model.MinCache, body)
		if aerr != nil {
			c.fail(aerr)
			return r, usage, f, false
		}
		r = buildReply(s.opts.Scenario.pick(req), req, s.ids)
		s.sigs.issued(r.Blocks)
		if g != nil {
			r.GuardrailAction = "NONE"
		}
	}
	c.rec.Breakpoints = usage.Breakpoints
	c.rec.TTLs = usage.TTLs
	c.rec.InputTokens = usage.InputTokens
	c.rec.CacheCreationInputTokens = usage.CacheCreationInputTokens
	c.rec.CacheReadInputTokens = usage.CacheReadInputTokens
	c.rec.OutputTokens = r.OutputTokens
	return r, usage, f, true
}

// Header names the emulator reads or echoes (reference §2.2, §2.3).
const (
	hdrGuardrailID      = "X-Amzn-Bedrock-GuardrailIdentifier"
	hdrGuardrailVersion = "X-Amzn-Bedrock-GuardrailVersion"
	hdrTrace            = "X-Amzn-Bedrock-Trace"
	hdrLatency          = "X-Amzn-Bedrock-PerformanceConfig-Latency"
	hdrServiceTier      = "X-Amzn-Bedrock-Service-Tier"
)

// echoHeaders checks the modeled enum headers and returns those Bedrock
// echoes on the response.
func echoHeaders(r *http.Request) (map[string]string, *apiError) {
	echo := map[string]string{}
	for _, h := range []struct {
		name, member string
		values       []string
		echo         bool
	}{
		{hdrLatency, "performanceConfigLatency", []string{"standard", "optimized"}, true},
		{hdrServiceTier, "serviceTier", []string{"priority", "default", "flex", "reserved"}, true},
		{hdrTrace, "trace", []string{"ENABLED", "DISABLED", "ENABLED_FULL"}, false},
	} {
		v := r.Header.Get(h.name)
		if v == "" {
			continue
		}
		if !slices.Contains(h.values, v) {
			return nil, errEnum(h.member, v, h.values)
		}
		if h.echo {
			echo[h.name] = v
		}
	}
	return echo, nil
}

// sleep waits d unless ctx ends first; it reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
