package permission

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// WebFetch is the tool that fetches a web page.
const WebFetch = "WebFetch"

// webFetch decides a WebFetch call by the host of its URL, as Claude
// Code does: "WebFetch(domain:example.com)" allows, asks or denies
// fetches from example.com, "WebFetch(domain:*.example.com)" from its
// subdomains, a bare "WebFetch" every fetch. Without a rule the user is
// asked, and "don't ask again" saves the rule for the host. Fetching only
// reads, so plan mode asks too rather than refusing; acceptEdits does not
// cover it. Whether the host's address may be fetched at all (not one in
// the user's network) is the fetcher's check, after this one.
func (e *eval) webFetch(raw json.RawMessage) (subject, outcome) {
	var in struct {
		URL string `json:"url"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &in); err != nil {
			return subject{verb: "use WebFetch"}, denyf("the WebFetch input is not valid JSON: %v", err)
		}
	}
	host, path, err := webHost(in.URL)
	if err != nil {
		return subject{verb: "use WebFetch"}, denyf("the WebFetch url %q cannot be read: %v; send a full URL such as https://example.com/page", in.URL, err)
	}
	s := subject{verb: "fetch", object: in.URL}
	for _, r := range e.rules.deny {
		if r.coversWebHost(host) {
			return s, denyRule(r, fmt.Sprintf("fetching from %s is denied by rule %s", host, ruleWhere(r)))
		}
	}
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if r.coversWebHost(host) {
				return s, askRule(r, fmt.Sprintf("rule %s asks before fetching from %s", ruleWhere(r), host))
			}
		}
	}
	if e.mode == ModeBypass {
		return s, allowf("bypassPermissions mode")
	}
	for _, r := range e.rules.allow {
		if r.coversWebHost(host) {
			return s, allowRule(r)
		}
	}
	if preapprovedWebPage(host, path) { // webpreapproved.go
		return s, allowf("%s is a documentation site fetched without asking (Claude Code's pre-approved list; an ask rule for WebFetch brings the question back)", host)
	}
	return s, askSuggest(fmt.Sprintf("fetching from %s needs your approval", host), config.Rule{Tool: WebFetch, Specifier: "domain:" + ruleHost(host), HasSpec: true})
}

// coversWebHost reports whether r covers a fetch from host: a bare
// WebFetch rule, a domain rule that matches, or a WebFetch rule basalt
// could not read kept as a deny or ask for every fetch.
func (r rule) coversWebHost(host string) bool {
	if r.inert || !r.tool.Matches(WebFetch) {
		return false
	}
	if !r.cfg.HasSpec || r.broad || r.opaque {
		return true
	}
	return r.web != nil && r.web.Covers(host)
}

// webHost is the host of a URL as rules name it (lowercase, no trailing
// dot, IPv6 without brackets) and its path as sent (percent-encoding
// kept). A URL without a scheme is read as https, as the fetcher refuses
// it anyway and the question must name a host.
func webHost(raw string) (host, path string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", fmt.Errorf("empty")
	}
	u, err := url.Parse(raw)
	if err == nil && u.Host == "" && !strings.Contains(raw, "://") {
		u, err = url.Parse("https://" + raw)
	}
	if err != nil {
		return "", "", err
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "" {
		return "", "", fmt.Errorf("no host")
	}
	return h, u.EscapedPath(), nil
}

// ruleHost writes a host into a rule: IPv6 in brackets.
func ruleHost(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

// NamesWebHost reports whether an allow rule names host itself, not
// through a wildcard or a bare WebFetch rule: the only way a page on the
// user's own network (loopback, private, link-local addresses) may be
// fetched. host is lowercase, without brackets or trailing dot.
func (c *Checker) NamesWebHost(host string) bool {
	c.mu.RLock()
	rules := c.rules
	c.mu.RUnlock()
	for _, r := range rules.allow {
		if r.web != nil && !r.inert && !r.web.Any && !r.web.Subdomains && r.web.Host == host {
			return true
		}
	}
	return false
}
