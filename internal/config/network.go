package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/lazyre"
	"github.com/basalt-dev/basalt/internal/model"
)

// ServiceTiers are the values of ANTHROPIC_BEDROCK_SERVICE_TIER: the
// service tiers of the Bedrock runtime API that a caller may ask for
// (AWS, "Service tiers for optimizing performance and cost"; the SDK's
// ServiceTierType also lists "reserved", which is bought, not asked for).
var ServiceTiers = []string{"default", "flex", "priority"}

// Network is how basalt reaches Bedrock: the endpoint (Bedrock runtime or
// Mantle), the service tier, and the corporate-network settings every
// connection shares. CA bundles and proxies are read from the effective
// environment by awsauth.NewNetwork; this holds what config validates.
type Network struct {
	// ServiceTier is ANTHROPIC_BEDROCK_SERVICE_TIER: sent as the
	// X-Amzn-Bedrock-Service-Tier header of every Bedrock model request,
	// and the tier whose price multiplier cost applies. "" when unset.
	ServiceTier Value[string]

	// Mantle is CLAUDE_CODE_USE_MANTLE: model requests go to Bedrock's
	// Mantle endpoint (the Anthropic Messages API's shape) instead of
	// InvokeModel.
	Mantle         Value[bool]
	MantleBaseURL  Value[string] // ANTHROPIC_BEDROCK_MANTLE_BASE_URL
	SkipMantleAuth Value[bool]   // CLAUDE_CODE_SKIP_MANTLE_AUTH

	// ClientCert and ClientKey are the PEM files of an mTLS client
	// certificate (CLAUDE_CODE_CLIENT_CERT, CLAUDE_CODE_CLIENT_KEY); the
	// key's passphrase is read from the environment when it is loaded.
	ClientCert Value[string]
	ClientKey  Value[string]

	// APITimeout is API_TIMEOUT_MS: how long one model request may take,
	// from sending it to the end of its stream (Claude Code's default:
	// 600000 ms). Zero when unset: the provider's idle timeout alone.
	APITimeout Value[time.Duration]
	// SkipAWSCredCache is CLAUDE_CODE_SKIP_AWS_CRED_CACHE: resolve
	// credentials for every request instead of caching them until expiry.
	SkipAWSCredCache Value[bool]
	// ChainResolveTimeout is CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS: how
	// long resolving the AWS credential chain may take. Zero: the default.
	ChainResolveTimeout Value[time.Duration]
}

// resolveNetwork reads the endpoint, tier and network variables.
func (c *Config) resolveNetwork(p *problems) {
	n := &c.Net
	n.ServiceTier = c.stringVar("ANTHROPIC_BEDROCK_SERVICE_TIER")
	if v := n.ServiceTier; v.Set {
		n.ServiceTier.Value = strings.ToLower(strings.TrimSpace(v.Value))
		if !slices.Contains(ServiceTiers, n.ServiceTier.Value) {
			p.add(fmt.Errorf("ANTHROPIC_BEDROCK_SERVICE_TIER=%q (%s): want one of %s", v.Value, v.Source, strings.Join(ServiceTiers, ", ")))
		}
	}
	n.Mantle = p.boolVar(c, "CLAUDE_CODE_USE_MANTLE")
	n.MantleBaseURL = c.urlVar(p, "ANTHROPIC_BEDROCK_MANTLE_BASE_URL")
	n.SkipMantleAuth = p.boolVar(c, "CLAUDE_CODE_SKIP_MANTLE_AUTH")
	if n.Mantle.Value && n.ServiceTier.Set {
		c.warnf("ANTHROPIC_BEDROCK_SERVICE_TIER (%s) applies to the Bedrock runtime endpoint; with CLAUDE_CODE_USE_MANTLE the header is not sent (as in Claude Code) and requests are priced at the standard tier", n.ServiceTier.Source)
	}
	if !n.Mantle.Value && (n.MantleBaseURL.Set || n.SkipMantleAuth.Set) {
		c.warnf("ANTHROPIC_BEDROCK_MANTLE_BASE_URL and CLAUDE_CODE_SKIP_MANTLE_AUTH apply only with CLAUDE_CODE_USE_MANTLE=1; they are ignored")
	}

	n.ClientCert = c.stringVar("CLAUDE_CODE_CLIENT_CERT")
	n.ClientKey = c.stringVar("CLAUDE_CODE_CLIENT_KEY")
	switch {
	case n.ClientCert.Set && !n.ClientKey.Set:
		// Node reads the key from the certificate file when it holds both.
		n.ClientKey = n.ClientCert
	case n.ClientKey.Set && !n.ClientCert.Set:
		p.add(fmt.Errorf("CLAUDE_CODE_CLIENT_KEY (%s) is set without CLAUDE_CODE_CLIENT_CERT: a client key needs its certificate", n.ClientKey.Source))
	}

	n.APITimeout = p.millisVar(c, "API_TIMEOUT_MS")
	n.SkipAWSCredCache = p.boolVar(c, "CLAUDE_CODE_SKIP_AWS_CRED_CACHE")
	n.ChainResolveTimeout = p.millisVar(c, "CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS")
}

// millisVar reads a positive number of milliseconds.
func (p *problems) millisVar(c *Config, name string) Value[time.Duration] {
	v := p.intVar(c, name, 1)
	return Value[time.Duration]{Value: time.Duration(v.Value) * time.Millisecond, Source: v.Source, Set: v.Set}
}

// UsesMantle reports whether model requests go to the Mantle endpoint.
func (c *Config) UsesMantle() bool {
	return c.Provider.Value == ProviderBedrock && c.Net.Mantle.Value
}

// MantleEndpoint is the base URL of Mantle's Messages API in region:
// ANTHROPIC_BEDROCK_MANTLE_BASE_URL, else
// https://bedrock-mantle.{region}.api.aws/anthropic (Claude Code's and
// the Anthropic SDKs' default; AWS, "Inference using Anthropic Messages
// API").
func (c *Config) MantleEndpoint(region string) string {
	if c.Net.MantleBaseURL.Set {
		return strings.TrimRight(c.Net.MantleBaseURL.Value, "/")
	}
	return MantleDefaultEndpoint(region)
}

// MantleDefaultEndpoint is Mantle's public endpoint in region.
func MantleDefaultEndpoint(region string) string {
	return "https://bedrock-mantle." + region + ".api.aws/anthropic"
}

// ResolveModel resolves the primary (or small/fast) model for the
// configured endpoint: as [model.Resolve] does on Bedrock's runtime and
// the Anthropic API, and to Mantle's model IDs with CLAUDE_CODE_USE_MANTLE.
func (c *Config) ResolveModel(smallFast bool) (model.Resolved, error) {
	req := c.ModelRequest(smallFast)
	if !c.UsesMantle() {
		return model.Resolve(req)
	}
	return ResolveMantle(req)
}

// mantleShaped matches a Mantle model ID: "anthropic." and the model's
// name without a date or Bedrock version suffix (anthropic.claude-haiku-4-5),
// the shape Claude Code routes to Mantle.
var mantleShaped = lazyre.New(`^anthropic\.claude-[a-z0-9.-]+$`)

var bedrockVersion = lazyre.New(`-v[0-9]+(:[0-9]+)?$`)

var apiDate = lazyre.New(`-[0-9]{8}$`)

// IsMantleID reports whether id has the shape of a Mantle model ID.
func IsMantleID(id string) bool {
	return mantleShaped().MatchString(id) && !bedrockVersion().MatchString(id)
}

// MantleID turns an Anthropic API model ID into Mantle's:
// claude-haiku-4-5-20251001 → anthropic.claude-haiku-4-5. Anything else
// (a Mantle ID already, a gateway's own name) is returned as is.
func MantleID(id string) string {
	if strings.HasPrefix(id, "claude-") {
		return "anthropic." + apiDate().ReplaceAllString(id, "")
	}
	return id
}

// ResolveMantle resolves req (a Bedrock request) for Mantle, which names
// models like the Anthropic API with an "anthropic." prefix and no date:
// aliases and catalog names go through the catalog as Anthropic API IDs
// and come out as Mantle IDs; a Mantle ID the user wrote is sent as given.
func ResolveMantle(req model.Request) (model.Resolved, error) {
	req.Provider = model.ProviderAnthropic
	strip := func(v string) string {
		base, long := strings.CutSuffix(strings.TrimSpace(v), "[1m]")
		if IsMantleID(base) {
			base = strings.TrimPrefix(base, "anthropic.")
		}
		if long {
			base += "[1m]"
		}
		return base
	}
	given := strings.TrimSpace(req.Value)
	req.Value = strip(req.Value)
	aliases := make(map[model.Family]string, len(req.Aliases))
	for k, v := range req.Aliases {
		aliases[k] = strip(v)
	}
	req.Aliases = aliases
	res, err := model.Resolve(req)
	if err != nil {
		return res, err
	}
	if base, _ := strings.CutSuffix(given, "[1m]"); IsMantleID(base) {
		res.ID = base
	} else {
		res.ID = MantleID(res.ID)
	}
	return res, nil
}
