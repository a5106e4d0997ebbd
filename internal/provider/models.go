package provider

import (
	"fmt"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/model"
)

// Models are the models of a session, resolved (by the harness, from the
// configuration).
type Models struct {
	Primary         model.Resolved
	SmallFast       model.Resolved
	SmallFastRegion string // "" = the client's region
	// Fallbacks are the models a turn goes on with, in order, when the
	// one it uses stays overloaded or throttled after the retries
	// (--fallback-model).
	Fallbacks []model.Resolved
}

// CacheControl is the cache breakpoint to put on requests to m (nil for an
// unknown model), or ok=false when prompt caching is off for it. notice
// explains a downgrade from the 1-hour TTL the user asked for.
func (c *Client) CacheControl(m *model.Model) (cc anthropic.CacheControlEphemeralParam, ok bool, notice string) {
	cache := c.cfg.Caching
	if cache.Disabled || (m != nil && cache.DisabledFamilies[string(m.Family)]) {
		return cc, false, ""
	}
	cc = anthropic.NewCacheControlEphemeralParam()
	if !cache.TTL1H || cache.Force5M {
		return cc, true, ""
	}
	if m != nil && (m.Cache1H || c.cfg.Provider == Anthropic) {
		cc.TTL = anthropic.CacheControlEphemeralTTLTTL1h
		return cc, true, ""
	}
	name := "this model"
	if m != nil {
		name = m.Name
	}
	return cc, true, fmt.Sprintf("the 1-hour cache TTL is not available for %s on Bedrock; using 5 minutes", name)
}
