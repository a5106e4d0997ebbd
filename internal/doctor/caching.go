package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// checkCaching sends two identical requests whose cached prefix is above
// the model's minimum, and checks that the second reads what the first
// wrote: caching that silently does nothing is the most expensive Bedrock
// failure there is (peers.md §3, complaints 10 and 11).
func (r *runner) checkCaching(ctx context.Context) Check {
	c := Check{ID: "caching"}
	if !r.in.Deep {
		c.Status, c.Summary = StatusSkip, "not checked: `basalt doctor --deep` checks it with two small paid requests"
		return c
	}
	var primary *Role
	for i, role := range r.in.Roles {
		if role.Name == RolePrimary {
			primary = &r.in.Roles[i]
		}
	}
	if primary == nil || primary.Err != nil {
		c.Status, c.Summary = StatusSkip, "not tried: the primary model does not resolve (see model.primary)"
		return c
	}
	if s, skip := r.networkSkip(c.ID); skip {
		return s
	}
	if !r.primaryOK {
		c.Status, c.Summary = StatusSkip, "not tried: the primary model did not answer (see model.primary)"
		return c
	}
	res := primary.Resolved
	m := res.Model
	cc, on, notice := r.in.Client.CacheControl(m)
	if !on {
		c.Status, c.Summary = StatusSkip, "prompt caching is disabled (DISABLE_PROMPT_CACHING or its per-family variant)"
		return c
	}
	minTokens := 4096 // the largest minimum of any model, for one basalt does not know
	if m != nil && m.MinCacheTokens > 0 {
		minTokens = m.MinCacheTokens
	}
	params := cacheProbe(minTokens, r.in.Now(), cc)
	req := provider.Request{Model: res.ID, Params: params}
	if r.bedrock() && primary.Region != r.in.Config.Region.Value {
		req.Region = primary.Region
	}

	var usage [2]anthropic.Usage
	for i := range usage {
		rctx, cancel := context.WithTimeout(ctx, 2*r.in.RequestTimeout)
		resp, err := r.in.Client.Stream(rctx, req, nil)
		cancel()
		if err != nil {
			c.Status = StatusFail
			c.Summary = fmt.Sprintf("request %d of the caching check failed", i+1)
			c.Detail = err.Error()
			c.Fix = hintOf(err)
			var api *provider.APIError
			if errors.As(err, &api) && api.Kind == provider.KindCachingUnsupported && c.Fix == "" {
				c.Fix = "set DISABLE_PROMPT_CACHING=1, or use a region and model that support prompt caching"
			}
			return c
		}
		usage[i] = resp.Message.Usage
	}
	written, read := usage[0].CacheCreationInputTokens, usage[1].CacheReadInputTokens
	costs, total := cacheCost(m, res.ID, usage)
	var lines []string
	for i, u := range usage {
		lines = append(lines, fmt.Sprintf("request %d: %d input, %d cache write, %d cache read, %d output tokens%s",
			i+1, u.InputTokens, u.CacheCreationInputTokens, u.CacheReadInputTokens, u.OutputTokens, costs[i]))
	}
	if notice != "" {
		lines = append(lines, notice)
	}
	spent := "cost unknown: basalt has no price for this model"
	if total.Known {
		spent = "cost " + total.String()
	}
	c.Detail = strings.Join(lines, "\n")
	if read == 0 {
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("%s: the second of two identical requests read nothing from the cache (the first wrote %d tokens); %s", res.ID, written, spent)
		c.Fix = fmt.Sprintf("prompt caching is not taking effect for %s in %s: check that the model and region support it; if they cannot, set DISABLE_PROMPT_CACHING=1 so that cache writes (1.25× the input price) are not paid for nothing", res.ID, primary.Region)
		return c
	}
	c.Status = StatusOK
	c.Summary = fmt.Sprintf("%s: the second request read %d tokens from the cache the first wrote; %s", res.ID, read, spent)
	return c
}

// cacheProbe builds a request whose system prompt is cached and well
// above minTokens. The text starts with the time, so each run writes a
// fresh entry instead of reading one an earlier run left.
func cacheProbe(minTokens int, now time.Time, cc anthropic.CacheControlEphemeralParam) anthropic.MessageNewParams {
	var b strings.Builder
	fmt.Fprintf(&b, "basalt doctor cache probe %s.\n", now.UTC().Format(time.RFC3339Nano))
	// About 20 tokens a line, by Bedrock's count and the emulator's
	// estimate (bytes/4) alike; 1.5 × the minimum leaves a margin for
	// either.
	for i := 0; b.Len() < minTokens*6; i++ {
		fmt.Fprintf(&b, "Line %d: basalt checks that a long, stable prefix is written to the prompt cache once and read back.\n", i)
	}
	p := probeParams()
	p.System = []anthropic.TextBlockParam{{Text: b.String(), CacheControl: cc}}
	return p
}

// cacheCost prices each request of the check as the session meter
// does (cost.Of: global or regional price by the ID sent).
func cacheCost(m *model.Model, id string, usage [2]anthropic.Usage) (each [2]string, total cost.Cost) {
	total = cost.Cost{Known: true}
	for i, u := range usage {
		c := cost.Of(m, id, cost.FromAnthropic(u))
		if c.Known {
			each[i] = ": " + c.String()
		}
		total = total.Add(c)
	}
	return each, total
}
