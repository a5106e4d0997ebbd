package doctor

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// This file checks what shapes requests on the way out: proxies and
// custom headers. Neither check sends anything (netcheck.go connects).

// target is the URL model requests go to.
func (r *runner) target() *url.URL {
	cfg := r.in.Config
	raw := "https://api.anthropic.com"
	switch cfg.Provider.Value {
	case config.ProviderBedrock:
		raw = "https://bedrock-runtime." + cfg.Region.Value + ".amazonaws.com"
		if cfg.BedrockBaseURL.Set {
			raw = cfg.BedrockBaseURL.Value
		}
		if cfg.UsesMantle() {
			raw = cfg.MantleEndpoint(cfg.Region.Value)
		}
	case config.ProviderAnthropic:
		if cfg.AnthropicBaseURL.Set {
			raw = cfg.AnthropicBaseURL.Value
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil
	}
	return u
}

func (r *runner) checkProxy(context.Context) Check {
	c := Check{ID: "proxy", Status: StatusOK}
	cfg := r.in.Config
	get := func(names ...string) (config.EnvVar, bool) {
		for _, n := range names {
			if v, ok := cfg.Env(n); ok && v.Value != "" {
				return v, true
			}
		}
		return config.EnvVar{}, false
	}
	httpsProxy, hasHTTPS := get("HTTPS_PROXY", "https_proxy")
	httpProxy, hasHTTP := get("HTTP_PROXY", "http_proxy")
	noProxy, _ := get("NO_PROXY", "no_proxy")
	if !hasHTTPS && !hasHTTP {
		c.Summary = "no proxy (HTTPS_PROXY and HTTP_PROXY are unset)"
		return c
	}
	var problems, warnings, notes []string
	for _, p := range []struct {
		v   config.EnvVar
		set bool
	}{{httpsProxy, hasHTTPS}, {httpProxy, hasHTTP}} {
		if !p.set {
			continue
		}
		if _, err := parseProxy(p.v.Value); err != nil {
			problems = append(problems, fmt.Sprintf("%s (%s) is not a proxy URL: %v", p.v.Name, p.v.Source, err))
			continue
		}
		if p.v.Source.Kind != config.SourceEnv {
			notes = append(notes, fmt.Sprintf("%s is set by %s: model requests, ListInferenceProfiles and the AWS SDK's credential calls (SSO, STS) all use it", p.v.Name, p.v.Source))
		}
	}
	var fix string
	if u := r.target(); u != nil && len(problems) == 0 {
		host := strings.ToLower(u.Hostname())
		port := u.Port()
		applicable, has := httpsProxy, hasHTTPS
		if u.Scheme == "http" {
			applicable, has = httpProxy, hasHTTP
		}
		switch {
		case isLoopback(host):
			notes = append(notes, fmt.Sprintf("requests to %s go direct: loopback addresses never go through a proxy", u.Host))
			if !noProxyMatches(noProxy.Value, host, port) {
				warnings = append(warnings, fmt.Sprintf("NO_PROXY does not cover %s, where the endpoint is: basalt goes direct anyway, but other tools that honour the proxy variables (the AWS CLI in awsAuthRefresh, curl) would send this traffic to the proxy", host))
				fix = "add 127.0.0.1,localhost,::1 to NO_PROXY"
			}
		case noProxyMatches(noProxy.Value, host, port):
			notes = append(notes, fmt.Sprintf("requests to %s go direct: it matches NO_PROXY (%s)", u.Host, noProxy.Source))
		case has:
			pu, _ := parseProxy(applicable.Value)
			notes = append(notes, fmt.Sprintf("requests to %s go through %s (%s)", u.Host, pu.Redacted(), applicable.Source))
		default:
			notes = append(notes, fmt.Sprintf("requests to %s go direct: no proxy is set for %s", u.Host, u.Scheme))
		}
	}
	switch {
	case len(problems) > 0:
		c.Status = StatusFail
		c.Summary = problems[0]
		c.Detail = strings.Join(append(problems[1:], warnings...), "\n")
		c.Fix = "write the proxy as a URL such as http://proxy.example.com:3128, or unset the variable; until then every request fails"
	case len(warnings) > 0:
		c.Status = StatusWarn
		c.Summary = warnings[0]
		c.Detail = strings.Join(append(warnings[1:], notes...), "\n")
		if fix == "" {
			fix = "if SSO or role credentials must go through the proxy too, export the proxy variables in the shell that starts basalt"
		}
		c.Fix = fix
	default:
		c.Summary = strings.Join(notes, "; ")
	}
	return c
}

// parseProxy reads a proxy variable as Go's HTTP client does: a URL, or
// a host[:port] taken as http://.
func parseProxy(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "socks5" || u.Scheme == "socks5h") {
		return u, nil
	}
	u, err2 := url.Parse("http://" + v)
	if err2 != nil || u.Host == "" {
		if err == nil {
			err = fmt.Errorf("no host")
		}
		return nil, err
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// noProxyMatches applies NO_PROXY as Go's HTTP client does: "*", IP
// addresses, CIDR ranges, and domains that also cover their subdomains,
// each with an optional port.
func noProxyMatches(list, host, port string) bool {
	ip := net.ParseIP(host)
	for _, e := range strings.Split(strings.ToLower(list), ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if e == "*" {
			return true
		}
		if _, cidr, err := net.ParseCIDR(e); err == nil {
			if ip != nil && cidr.Contains(ip) {
				return true
			}
			continue
		}
		if h, p, err := net.SplitHostPort(e); err == nil {
			if p != port {
				continue
			}
			e = h
		}
		if eip := net.ParseIP(strings.Trim(e, "[]")); eip != nil {
			if ip != nil && eip.Equal(ip) {
				return true
			}
			continue
		}
		e = strings.TrimPrefix(strings.TrimPrefix(e, "*"), ".")
		if host == e || strings.HasSuffix(host, "."+e) {
			return true
		}
	}
	return false
}

// The guardrail headers are spelt and checked by config.Guardrail; the
// trace header is doctor's alone (InvokeModel API reference).
const (
	hdrGuardrailID      = config.HeaderGuardrailID
	hdrGuardrailVersion = config.HeaderGuardrailVersion
	hdrTrace            = "X-Amzn-Bedrock-Trace"
)

var traceValues = []string{"ENABLED", "DISABLED", "ENABLED_FULL"}

func (r *runner) checkHeaders(context.Context) Check {
	c := Check{ID: "headers", Status: StatusOK}
	cfg := r.in.Config
	v, ok := cfg.Env("ANTHROPIC_CUSTOM_HEADERS")
	if !ok || strings.TrimSpace(v.Value) == "" {
		c.Status, c.Summary = StatusSkip, "ANTHROPIC_CUSTOM_HEADERS is not set: no custom headers, no guardrail"
		return c
	}
	const format = "write one 'Name: value' per line; in the \"env\" of a settings file separate lines with \\n, e.g. \"" +
		hdrGuardrailID + ": abc123\\n" + hdrGuardrailVersion + ": 1\""
	headers, err := config.ParseCustomHeaders(v.Value)
	if err != nil {
		// The parser quotes the bad line, which may hold a gateway's
		// token: the line number is enough to find it.
		msg, _, _ := strings.Cut(err.Error(), ", got ")
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("ANTHROPIC_CUSTOM_HEADERS (%s) is malformed: %s", v.Source, msg)
		c.Detail = "basalt refuses to start a session with it, so that a guardrail header cannot silently fail to apply"
		c.Fix = format
		return c
	}
	var id, version, trace *config.Header
	var problems, warnings, notes []string
	for i := range headers {
		h := &headers[i]
		switch {
		case strings.EqualFold(h.Name, hdrGuardrailID):
			id = h
		case strings.EqualFold(h.Name, hdrGuardrailVersion):
			version = h
		case strings.EqualFold(h.Name, hdrTrace):
			trace = h
		case strings.Contains(strings.ToLower(h.Name), "guardrail"):
			near := hdrGuardrailID + " or " + hdrGuardrailVersion
			switch n := strings.ToLower(h.Name); {
			case strings.Contains(n, "version"):
				near = hdrGuardrailVersion
			case strings.Contains(n, "id"):
				near = hdrGuardrailID
			}
			problems = append(problems, fmt.Sprintf("%s is not a header Bedrock knows, so no guardrail applies; did you mean %s?", h.Name, near))
		case strings.EqualFold(h.Name, "Authorization") && !cfg.SkipBedrockAuth.Value && r.bedrock():
			warnings = append(warnings, "the Authorization header is not sent: basalt signs requests itself; it is sent only with CLAUDE_CODE_SKIP_BEDROCK_AUTH=1, for gateways")
		default:
			notes = append(notes, h.Name)
		}
	}
	switch {
	case id != nil && version == nil:
		problems = append(problems, fmt.Sprintf("%s is set without %s: Bedrock refuses every request", hdrGuardrailID, hdrGuardrailVersion))
	case id == nil && version != nil:
		problems = append(problems, fmt.Sprintf("%s is set without %s: no guardrail applies", hdrGuardrailVersion, hdrGuardrailID))
	}
	if id != nil {
		if err := config.ValidateGuardrailID(id.Value); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", hdrGuardrailID, err))
		} else if region := (config.Guardrail{ID: id.Value}).Region(); region != "" && r.bedrock() && region != cfg.Region.Value {
			problems = append(problems, fmt.Sprintf("the guardrail ARN is in %s but requests go to %s: guardrails are regional", region, cfg.Region.Value))
		}
	}
	if version != nil {
		if err := config.ValidateGuardrailVersion(version.Value); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", hdrGuardrailVersion, err))
		}
	}
	if trace != nil && !slices.Contains(traceValues, trace.Value) {
		problems = append(problems, fmt.Sprintf("%s %q: want %s", hdrTrace, trace.Value, strings.Join(traceValues, ", ")))
	}
	if id != nil && !r.bedrock() {
		warnings = append(warnings, "guardrail headers have no effect on the Anthropic API")
	}
	switch {
	case len(problems) > 0:
		c.Status = StatusFail
		c.Summary = problems[0]
		c.Detail = strings.Join(append(problems[1:], warnings...), "\n")
		c.Fix = fmt.Sprintf("correct ANTHROPIC_CUSTOM_HEADERS (%s): a guardrail needs both %s (its ID or ARN) and %s (a number or DRAFT)", v.Source, hdrGuardrailID, hdrGuardrailVersion)
	case len(warnings) > 0:
		c.Status = StatusWarn
		c.Summary = warnings[0]
		c.Detail = strings.Join(warnings[1:], "\n")
		c.Fix = "remove the header from ANTHROPIC_CUSTOM_HEADERS"
	case id != nil:
		c.Summary = fmt.Sprintf("guardrail %s version %s (%s)", id.Value, version.Value, v.Source)
		if r.crossRegion() {
			c.Detail = "the models use cross-region inference profiles: the guardrail must have cross-region inference enabled, and your identity needs bedrock:ApplyGuardrail on it"
		}
	default:
		c.Summary = fmt.Sprintf("%d custom %s, no guardrail", len(headers), plural(len(headers), "header", "headers"))
	}
	if len(notes) > 0 {
		c.Detail = strings.TrimSpace(c.Detail + "\nother headers: " + strings.Join(notes, ", "))
	}
	return c
}

// crossRegion reports whether a model in use goes through a geo or
// global inference profile.
func (r *runner) crossRegion() bool {
	for _, role := range InUse(r.in.Roles) {
		if role.Err == nil && !role.Resolved.IsARN && strings.Contains(role.Resolved.ID, ".anthropic.") {
			return true
		}
	}
	return false
}
