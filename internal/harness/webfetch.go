package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/rulespec"
	"github.com/basalt-dev/basalt/internal/tool"
	"github.com/basalt-dev/basalt/internal/webfetch"
)

// webFetchTool builds the WebFetch tool of a conversation: its requests
// go out with the session's proxy settings and certificate authorities
// (as the model client's do), its page cache lives as long as the
// session (a /clear keeps it, as Claude Code's process-wide cache does),
// and the small model it asks is the conversation's, bound once the
// conversation exists (bind).
func (s *Session) webFetchTool(cfg *config.Config) (t tool.Tool, bind func(*agent.Session)) {
	s.webOnce.Do(func() {
		// The model client's reading of the proxy variables and CA bundles;
		// never its client certificate, which is for the company's
		// endpoints, not the pages the model reads.
		network := awsauth.NewNetwork(cfg.EnvMap())
		s.web = webfetch.New(webfetch.Options{
			Proxy:     network.ProxyFor,
			RootCAs:   network.Roots.Pool,
			HostNamed: s.namesWebHost,
			UserAgent: "basalt/" + s.o.Version + " (WebFetch)",
		})
	})
	m := &boundSmallModel{}
	return tool.WebFetch{Fetcher: s.web, Model: m}, func(a *agent.Session) { m.a.Store(a) }
}

// namesWebHost asks the current conversation's rules, so that a rule the
// user adds or removes in the session applies to the next fetch.
func (s *Session) namesWebHost(host string) bool {
	s.mu.Lock()
	c := s.checker
	s.mu.Unlock()
	return c != nil && c.NamesWebHost(host)
}

// boundSmallModel is the small model of one conversation, known once
// the conversation is built (its tools are built first).
type boundSmallModel struct{ a atomic.Pointer[agent.Session] }

func (m *boundSmallModel) AskSmallModel(ctx context.Context, req tool.SmallModelRequest) (string, error) {
	a := m.a.Load()
	if a == nil {
		return "", errors.New("the conversation is not ready")
	}
	return a.AskSmallModel(ctx, req)
}

// webState is the session's part of WebFetch.
type webState struct {
	webOnce sync.Once
	web     *webfetch.Fetcher
}

// webRuleProblem refuses, before any settings file is written, a rule
// added in the session (/permissions add) that basalt could not use as
// typed: a WebFetch rule that names no domain, or a rule for WebSearch,
// which Bedrock cannot offer. Settings files keep such rules with a
// warning instead (config), since a team may share them with Claude Code.
func webRuleProblem(r config.Rule) error {
	if why, ok := config.UnavailableTools[r.Tool]; ok {
		return fmt.Errorf("rule %s: %s", r, why)
	}
	if r.Tool == "WebFetch" && r.HasSpec {
		if _, err := rulespec.ParseWebDomain(rulespec.Unescape(r.Specifier)); err != nil {
			return fmt.Errorf("rule %s: %w", r, err)
		}
	}
	return nil
}
