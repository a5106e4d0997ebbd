package harness

import (
	"strconv"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/cost"
)

// networkFields are the /status lines of the endpoint, the service tier
// and the corporate network: what a platform engineer asks first when a
// colleague's requests go somewhere unexpected or cost more than planned.
func networkFields(cfg *config.Config) []Field {
	var f []Field
	n := cfg.Net
	if cfg.UsesMantle() {
		ep := cfg.MantleEndpoint(cfg.Region.Value)
		auth := ""
		if n.SkipMantleAuth.Value {
			auth = ", unsigned (CLAUDE_CODE_SKIP_MANTLE_AUTH)"
		}
		f = append(f, Field{Label: "endpoint", Value: "Mantle " + config.RedactVar("ANTHROPIC_BEDROCK_MANTLE_BASE_URL", ep) + " (" + n.Mantle.Source.String() + auth + ")"})
	}
	tier := "standard (ANTHROPIC_BEDROCK_SERVICE_TIER unset)"
	switch {
	case n.ServiceTier.Set && cfg.UsesMantle():
		tier = n.ServiceTier.Value + " asked, not sent: Mantle has no tier header; priced standard"
	case n.ServiceTier.Set:
		tier = tierText(n.ServiceTier.Value) + " (" + n.ServiceTier.Source.String() + ")"
	}
	f = append(f, Field{Label: "service tier", Value: tier})
	var tls []string
	for _, v := range []string{"NODE_EXTRA_CA_CERTS", "AWS_CA_BUNDLE", "SSL_CERT_FILE"} {
		if p := cfg.Getenv(v); p != "" {
			tls = append(tls, v+"="+p)
		}
	}
	if n.ClientCert.Set {
		tls = append(tls, "client certificate "+n.ClientCert.Value)
	}
	if len(tls) > 0 {
		f = append(f, Field{Label: "TLS", Value: strings.Join(tls, ", ")})
	}
	for _, v := range []string{"HTTPS_PROXY", "https_proxy"} {
		if p := cfg.Getenv(v); p != "" {
			f = append(f, Field{Label: "proxy", Value: config.RedactVar(v, p)})
			break
		}
	}
	return f
}

// tierText names a tier with its price relative to standard.
func tierText(tier string) string {
	if m := cost.Tier(tier).Multiplier(); m != 1 {
		return tier + ", priced at " + strconv.FormatFloat(m, 'f', -1, 64) + "× standard"
	}
	return tier
}
