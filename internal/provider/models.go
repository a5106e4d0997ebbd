package provider

import (
	"context"
	"fmt"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
)

// Models are the models of a session, resolved.
type Models struct {
	Primary         model.Resolved
	SmallFast       model.Resolved
	SmallFastRegion string // "" = the client's region
}

// ResolveModels resolves the primary and small/fast models of cfg. An
// application-inference-profile ARN's backing model is looked up with
// GetInferenceProfile (once per session), so that its prices, limits and
// cache minimum are known; if that fails the ARN is still used, with a
// notice that its cost is unknown. Errors are *model.UnknownModelError or
// *model.ModelError (a usage error) and name the right model.
func ResolveModels(ctx context.Context, c *Client, cfg *config.Config) (Models, error) {
	base := model.Request{
		Provider:     string(cfg.Provider.Value),
		Region:       cfg.Region.Value,
		RegionPrefix: cfg.RegionPrefix.Value,
		Aliases:      map[model.Family]string{},
		Overrides:    map[string]string{},
	}
	for fam, v := range map[model.Family]config.Value[string]{model.Opus: cfg.OpusModel, model.Sonnet: cfg.SonnetModel, model.Haiku: cfg.HaikuModel} {
		if v.Set {
			base.Aliases[fam] = v.Value
		}
	}
	for k, v := range cfg.ModelOverrides {
		base.Overrides[k] = v.Value
	}

	var m Models
	primary := base
	if cfg.Model.Set {
		primary.Value, primary.Source = cfg.Model.Value, cfg.Model.Source.String()
	}
	var err error
	if m.Primary, err = model.Resolve(primary); err != nil {
		return Models{}, err
	}

	small := base
	small.SmallFast = true
	if cfg.SmallFastRegion.Set {
		small.Region = cfg.SmallFastRegion.Value
		m.SmallFastRegion = cfg.SmallFastRegion.Value
	}
	if cfg.SmallFastModel.Set {
		small.Value, small.Source = cfg.SmallFastModel.Value, cfg.SmallFastModel.Source.String()
	}
	if m.SmallFast, err = model.Resolve(small); err != nil {
		return Models{}, err
	}

	for _, r := range []*model.Resolved{&m.Primary, &m.SmallFast} {
		if r.Model != nil || r.ARNKind != model.KindApplicationProfile || c == nil {
			continue
		}
		p, err := c.GetProfile(ctx, r.ID)
		if err != nil {
			r.Notices = append(r.Notices, fmt.Sprintf("could not look up the model behind %s (%v): its cost is unknown", r.ID, err))
			continue
		}
		if mod, ok := model.Lookup(p.FoundationModelID()); ok {
			r.Model = mod
		} else {
			r.Notices = append(r.Notices, fmt.Sprintf("%s routes to %s, which basalt does not know: its cost is unknown", r.ID, p.FoundationModelID()))
		}
	}
	return m, nil
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
	if m != nil && (m.Cache1H || c.cfg.Provider == config.ProviderAnthropic) {
		cc.TTL = anthropic.CacheControlEphemeralTTLTTL1h
		return cc, true, ""
	}
	name := "this model"
	if m != nil {
		name = m.Name
	}
	return cc, true, fmt.Sprintf("the 1-hour cache TTL is not available for %s on Bedrock; using 5 minutes", name)
}
