package harness

import (
	"context"

	"github.com/basalt-dev/basalt/internal/agentdef"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/slashcmd"
	"github.com/basalt-dev/basalt/internal/subagent"
	"github.com/basalt-dev/basalt/internal/tool"
)

// SubagentModelEnv overrides the model of every subagent.
const SubagentModelEnv = "CLAUDE_CODE_SUBAGENT_MODEL"

// AgentProgress is one step of a running subagent, for the Agent call's
// line in a frontend; AgentDisplay is an Agent call's Result.Display.
type (
	AgentProgress = subagent.Progress
	AgentDisplay  = subagent.Display
)

// AgentInfo is one agent type as /agents lists it.
type AgentInfo struct {
	Name        string
	Description string
	Source      string // built-in, user, project, --agents
	Location    string // the file, or the source
	Model       string // as written: "", inherit, an alias or an ID
	Tools       string // "*", the list, or "All tools except …"
}

// parseAgentsFlag reads --agents; a bad value is a *UsageError.
func parseAgentsFlag(text string) ([]agentdef.Definition, error) {
	if text == "" {
		return nil, nil
	}
	defs, err := agentdef.ParseFlag(text)
	if err != nil {
		return nil, &UsageError{Err: err, Hint: `write --agents '{"NAME":{"description":"when to use it","prompt":"its system prompt","tools":["Read","Grep"],"model":"haiku"}}'`}
	}
	return defs, nil
}

// loadAgents reads the agent types of a conversation: built-ins, the
// user's and (in a folder whose project settings were not left out) the
// project's files, then --agents. A project agent cannot widen what the
// session may do: its tools list only restricts, its permissionMode is
// not applied, and each of its calls is checked against the session's
// rules. Every problem is a notice naming its file.
func loadAgents(cfg *config.Config, flag []agentdef.Definition) (*agentdef.Set, []string) {
	root := cfg.ProjectRoot
	if cfg.Trust.Ignored() {
		root = ""
	}
	p := slashcmd.PathsFromEnv(root, cfg.Getenv)
	defs, warns := agentdef.Load(agentdef.Dirs(p.Root, p.Home, p.ConfigHome))
	var notices []string
	for _, w := range warns {
		notices = append(notices, w.Error())
	}
	return agentdef.NewSet(agentdef.Builtins(), defs, flag), notices
}

// newAgentTool is the Agent tool of a conversation; open attaches it to
// the conversation's agent once that exists.
func (s *Session) newAgentTool(ctx context.Context, cfg *config.Config, set *agentdef.Set, checker *permission.Checker) *subagent.Tool {
	client := s.client
	return subagent.New(subagent.Config{
		Agents: set,
		ResolveModel: func(ctx context.Context, name string) (model.Resolved, error) {
			return resolveOne(ctx, client, cfg, name, "model of an agent")
		},
		ModelOverride: cfg.Getenv(SubagentModelEnv),
		NewToolSession: func() (*tool.Session, error) {
			// Same sandbox as the conversation's commands, and the same
			// file history: /rewind undoes a subagent's edits too.
			ts, err := tool.NewSession(toolSessionOptions(cfg, checker, s.o.Supervisor, s.sbx))
			if err != nil {
				return nil, err
			}
			if fh := s.fileHistory(); fh != nil {
				ts.SetChangeTracker(fh)
			}
			return ts, nil
		},
		Progress: s.o.AgentProgress,
	})
}

// resolveOne resolves a model name as --model is.
func resolveOne(ctx context.Context, client *provider.Client, cfg *config.Config, name, what string) (model.Resolved, error) {
	c := *cfg
	c.Model = config.Value[string]{Value: name, Set: true, Source: config.Source{Kind: config.SourceFlag, Name: what}}
	ms, err := ResolveModels(ctx, client, &c)
	if err != nil {
		return model.Resolved{}, err
	}
	return ms.Primary, nil
}

// agentInfos describes the agent types of a conversation (/agents).
func agentInfos(set *agentdef.Set) []AgentInfo {
	var out []AgentInfo
	for _, d := range set.All() {
		out = append(out, AgentInfo{Name: d.Name, Description: d.Description, Source: d.Source.String(), Location: d.Location(), Model: d.Model, Tools: d.ToolsLabel()})
	}
	return out
}
