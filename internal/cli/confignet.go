package cli

import (
	"time"

	"github.com/basalt-dev/basalt/internal/config"
)

// netView is config show's part for the endpoint, the service tier and
// the corporate network (config.Network); its fields are flattened into
// the configView document.
type netView struct {
	ServiceTier         sourced `json:"service_tier"`
	Mantle              sourced `json:"mantle"`
	MantleBaseURL       sourced `json:"mantle_base_url"`
	SkipMantleAuth      sourced `json:"skip_mantle_auth"`
	ClientCert          sourced `json:"client_cert"`
	ClientKey           sourced `json:"client_key"`
	APITimeoutMS        sourced `json:"api_timeout_ms"`
	SkipAWSCredCache    sourced `json:"skip_aws_cred_cache"`
	ChainResolveTimeout sourced `json:"aws_chain_resolve_timeout_ms"`
}

func newNetView(cfg *config.Config) netView {
	n := cfg.Net
	ms := func(v config.Value[time.Duration]) sourced {
		return show(config.Value[int64]{Value: v.Value.Milliseconds(), Source: v.Source, Set: v.Set})
	}
	v := netView{
		ServiceTier:         show(n.ServiceTier),
		Mantle:              show(n.Mantle),
		MantleBaseURL:       show(n.MantleBaseURL),
		SkipMantleAuth:      show(n.SkipMantleAuth),
		ClientCert:          show(n.ClientCert),
		ClientKey:           show(n.ClientKey),
		APITimeoutMS:        ms(n.APITimeout),
		SkipAWSCredCache:    show(n.SkipAWSCredCache),
		ChainResolveTimeout: ms(n.ChainResolveTimeout),
	}
	if !n.ServiceTier.Set {
		v.ServiceTier = sourced{Value: "standard", Source: "default"}
	}
	if cfg.UsesMantle() && !n.MantleBaseURL.Set {
		v.MantleBaseURL = sourced{Value: cfg.MantleEndpoint(cfg.Region.Value), Source: "default, from the region"}
	}
	return v
}

func (v netView) writeText(row func(string, sourced)) {
	row("service tier", v.ServiceTier)
	row("Mantle", v.Mantle)
	row("Mantle base URL", v.MantleBaseURL)
	row("skip Mantle auth", v.SkipMantleAuth)
	row("client certificate", v.ClientCert)
	row("client key", v.ClientKey)
	row("API timeout (ms)", v.APITimeoutMS)
	row("skip AWS cred cache", v.SkipAWSCredCache)
	row("AWS chain timeout (ms)", v.ChainResolveTimeout)
}
