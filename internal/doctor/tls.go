package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/awsauth"
)

// checkCABundles loads the certificate authorities of AWS_CA_BUNDLE,
// SSL_CERT_FILE and NODE_EXTRA_CA_CERTS, which every connection basalt
// makes trusts. Whether
// the endpoint's chain verifies against them is what the profiles and
// model checks find, since they connect through the same roots.
func (r *runner) checkCABundles(context.Context) Check {
	c := Check{ID: "ca-bundles", Status: StatusOK}
	roots := r.in.Roots
	if roots == nil {
		roots = awsauth.NewRoots(r.in.Config.EnvMap())
	}
	if !roots.Custom() {
		c.Summary = "the system's certificate authorities (AWS_CA_BUNDLE, SSL_CERT_FILE and NODE_EXTRA_CA_CERTS are unset)"
		return c
	}
	if _, err := roots.Count(); err != nil {
		c.Status, c.Summary = StatusFail, err.Error()
		var ca *awsauth.CAError
		if errors.As(err, &ca) {
			c.Summary = fmt.Sprintf("%s (%s): %v", ca.Var, r.varSource(ca.Var), ca.Err)
			c.Detail = "the file is " + ca.File
			c.Fix = ca.Hint()
		}
		r.blocked = "the CA bundle cannot be used (see ca-bundles)"
		return c
	}
	var parts []string
	if roots.AWSBundle != "" {
		parts = append(parts, fmt.Sprintf("AWS_CA_BUNDLE %s (%s), replacing the system's authorities", roots.AWSBundle, r.varSource("AWS_CA_BUNDLE")))
	}
	if roots.SSLCert != "" {
		parts = append(parts, fmt.Sprintf("SSL_CERT_FILE %s (%s), replacing the system's authorities", roots.SSLCert, r.varSource("SSL_CERT_FILE")))
	}
	if roots.NodeExtra != "" {
		to := "the system's"
		if roots.AWSBundle != "" || roots.SSLCert != "" {
			to = "those"
		}
		parts = append(parts, fmt.Sprintf("NODE_EXTRA_CA_CERTS %s (%s), added to %s", roots.NodeExtra, r.varSource("NODE_EXTRA_CA_CERTS"), to))
	}
	n, _ := roots.Count()
	c.Summary = fmt.Sprintf("%d %s from %s", n, plural(n, "certificate", "certificates"), strings.Join(parts, "; "))
	return c
}

func (r *runner) varSource(name string) string {
	if v, ok := r.in.Config.Env(name); ok {
		return v.Source.String()
	}
	return "unset"
}
