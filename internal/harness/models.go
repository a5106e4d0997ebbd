package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// ResolveModels resolves the primary and small/fast models of cfg. An
// application-inference-profile ARN's backing model is looked up with
// GetInferenceProfile (once per session), so that its prices, limits and
// cache minimum are known; if that fails the ARN is still used, with a
// notice that its cost is unknown. Errors are *model.UnknownModelError or
// *model.ModelError (a usage error) and name the right model.
func ResolveModels(ctx context.Context, c *provider.Client, cfg *config.Config) (provider.Models, error) {
	// The configuration's request, so that a session resolves exactly as
	// config show and doctor did (one verdict on a model name).
	var m provider.Models
	var err error
	if m.Primary, err = cfg.ResolveModel(false); err != nil {
		return provider.Models{}, err
	}
	if m.SmallFast, err = cfg.ResolveModel(true); err != nil {
		return provider.Models{}, err
	}
	if cfg.SmallFastRegion.Set {
		m.SmallFastRegion = cfg.SmallFastRegion.Value
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

// ModelChoice is one entry of a model picker.
type ModelChoice struct {
	Name   string // what to switch to: an alias or a profile ID
	Detail string // the ID it resolves to, or the profile's name
}

// Models are the choices of a model switch: the aliases, resolved as a
// switch would resolve them, then the Anthropic inference profiles the
// region shows. The aliases come back even when the listing fails.
func (s *Session) Models(ctx context.Context) ([]ModelChoice, error) {
	cfg := s.cfg
	var out []ModelChoice
	for _, fam := range model.Families {
		c := *cfg
		c.Model = config.Value[string]{Value: string(fam), Set: true}
		if ms, err := ResolveModels(ctx, nil, &c); err == nil {
			out = append(out, ModelChoice{Name: string(fam), Detail: ms.Primary.ID})
		}
	}
	if cfg.Provider.Value != config.ProviderBedrock {
		return out, nil
	}
	profiles, err := s.client.ListProfiles(ctx, cfg.Region.Value)
	if err != nil {
		return out, fmt.Errorf("list the inference profiles of %s: %w", cfg.Region.Value, err)
	}
	for _, p := range profiles {
		if strings.Contains(p.ID, "anthropic.") || strings.Contains(p.FoundationModelID(), "anthropic.") {
			out = append(out, ModelChoice{Name: p.ID, Detail: p.Name})
		}
	}
	return out, nil
}
