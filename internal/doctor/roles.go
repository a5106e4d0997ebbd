package doctor

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// The roles a model plays. Primary and small/fast are what a session
// calls; the aliases are what /model and --model switch to.
const (
	RolePrimary   = "primary"
	RoleSmallFast = "small/fast"
	RoleOpus      = "opus"
	RoleSonnet    = "sonnet"
	RoleHaiku     = "haiku"
)

// Role is one model basalt may call, resolved exactly as a session
// resolves it.
type Role struct {
	Name   string // one of the Role* names
	Region string // where requests for it go
	// Configured is true when the user chose it: always for primary and
	// small/fast (a default is a choice basalt makes for them), and for an
	// alias only when ANTHROPIC_DEFAULT_*_MODEL is set.
	Configured bool
	// Source says where the choice came from, with each step resolution
	// took ("env ANTHROPIC_DEFAULT_OPUS_MODEL → modelOverrides[…]").
	Source   string
	Resolved model.Resolved
	// Backing is what GetInferenceProfile said about an application
	// profile, when it was asked.
	Backing *provider.Profile
	Err     error // resolution failed: a *model.UnknownModelError or *model.ModelError
}

// ProfileGetter is the part of [provider.Client] that learns the model
// behind an application-inference-profile ARN.
type ProfileGetter interface {
	GetProfile(ctx context.Context, idOrARN string) (provider.Profile, error)
}

// ResolveRoles resolves the primary and small/fast models and the three
// aliases of cfg. Unlike harness.ResolveModels, which fails as a whole,
// each role carries its own error, so one misspelt alias does not hide the
// state of the others. pg may be nil: application-profile ARNs then keep
// an unknown model. Roles whose provider is not chosen come back empty.
func ResolveRoles(ctx context.Context, pg ProfileGetter, cfg *config.Config) []Role {
	if cfg.Provider.Value == config.ProviderNone {
		return nil
	}
	base := model.Request{
		Provider:     string(cfg.Provider.Value),
		Region:       cfg.Region.Value,
		RegionPrefix: cfg.RegionPrefix.Value,
		Aliases:      map[model.Family]string{},
		Overrides:    map[string]string{},
	}
	aliases := []struct {
		role string
		fam  model.Family
		v    config.Value[string]
		env  string
	}{
		{RoleOpus, model.Opus, cfg.OpusModel, "ANTHROPIC_DEFAULT_OPUS_MODEL"},
		{RoleSonnet, model.Sonnet, cfg.SonnetModel, "ANTHROPIC_DEFAULT_SONNET_MODEL"},
		{RoleHaiku, model.Haiku, cfg.HaikuModel, "ANTHROPIC_DEFAULT_HAIKU_MODEL"},
	}
	for _, a := range aliases {
		if a.v.Set {
			base.Aliases[a.fam] = a.v.Value
		}
	}
	for k, v := range cfg.ModelOverrides {
		base.Overrides[k] = v.Value
	}
	region := cfg.Region.Value
	if cfg.Provider.Value != config.ProviderBedrock {
		region = ""
	}

	resolve := model.Resolve
	if cfg.UsesMantle() {
		resolve = config.ResolveMantle // Mantle's own model IDs
	}
	var roles []Role
	primary := base
	if cfg.Model.Set {
		primary.Value, primary.Source = cfg.Model.Value, cfg.Model.Source.String()
	}
	roles = append(roles, resolveRole(ctx, pg, resolve, RolePrimary, region, true, primary))

	small := base
	small.SmallFast = true
	smallRegion := region
	if cfg.SmallFastRegion.Set && cfg.Provider.Value == config.ProviderBedrock {
		small.Region = cfg.SmallFastRegion.Value
		smallRegion = cfg.SmallFastRegion.Value
	}
	if cfg.SmallFastModel.Set {
		small.Value, small.Source = cfg.SmallFastModel.Value, cfg.SmallFastModel.Source.String()
	}
	roles = append(roles, resolveRole(ctx, pg, resolve, RoleSmallFast, smallRegion, true, small))

	for _, a := range aliases {
		req := base
		req.Value = string(a.fam)
		req.Source = "catalog"
		if a.v.Set {
			// Resolve names the variable as the step it took; the user
			// wants to know which file or environment set it.
			req.Source = ""
		}
		r := resolveRole(ctx, pg, resolve, a.role, region, a.v.Set, req)
		if a.v.Set {
			if r.Err != nil {
				r.Source = a.v.Source.String()
			} else {
				r.Source = strings.Replace(r.Source, a.env, a.v.Source.String(), 1)
			}
		}
		roles = append(roles, r)
	}
	return roles
}

func resolveRole(ctx context.Context, pg ProfileGetter, resolve func(model.Request) (model.Resolved, error), name, region string, configured bool, req model.Request) Role {
	r := Role{Name: name, Region: region, Configured: configured}
	res, err := resolve(req)
	if err != nil {
		r.Err = err
		r.Source = cmp.Or(req.Source, "default")
		return r
	}
	r.Resolved = res
	r.Source = cmp.Or(res.Source, "default")
	if res.ARNKind != model.KindApplicationProfile || pg == nil {
		return r
	}
	p, err := getProfile(ctx, pg, res.ID)
	if err != nil {
		r.Resolved.Notices = append(r.Resolved.Notices, fmt.Sprintf("could not look up the model behind %s (%v): its cost is unknown", res.ID, err))
		return r
	}
	r.Backing = &p
	if res.Model == nil {
		if m, ok := model.Lookup(p.FoundationModelID()); ok {
			r.Resolved.Model = m
		} else {
			r.Resolved.Notices = append(r.Resolved.Notices, fmt.Sprintf("%s routes to %s, which basalt does not know: its cost is unknown", res.ID, p.FoundationModelID()))
		}
	}
	return r
}

// InUse returns the roles a session calls and the aliases the user set:
// the models whose access doctor tests and iam-policy grants.
func InUse(roles []Role) []Role {
	var out []Role
	for _, r := range roles {
		if r.Configured {
			out = append(out, r)
		}
	}
	return out
}

// getProfile calls GetInferenceProfile, turning a panic in the AWS SDK
// (seen with CLAUDE_CODE_SKIP_BEDROCK_AUTH) into an error, so that doctor
// reports it instead of dying with it.
func getProfile(ctx context.Context, pg ProfileGetter, id string) (p provider.Profile, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error in GetInferenceProfile (please report it): %v", v)
		}
	}()
	return pg.GetProfile(ctx, id)
}
