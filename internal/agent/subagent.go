package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sync"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

// Sidechain makes a session a subagent of Parent (Options.Sidechain): it
// has its own conversation, system prompt, tools and model, but it
// spends from the parent's meter (so the parent's usage, per-model
// shares and budget include it), writes its transcript beside the
// parent's ([session.Store.CreateSidechain]), names itself in permission
// questions, and fires SubagentStop where a session fires Stop.
type Sidechain struct {
	Parent    *Session
	AgentID   string
	AgentType string
}

// CallRunner is a tool that needs the call it runs, not only its input:
// the Agent tool, whose progress is shown on the call's own line.
type CallRunner interface {
	RunCall(ctx context.Context, ts *tool.Session, call *ToolCall) (tool.Result, error)
}

// AgentShare is one agent type's part of a session's spend, for /cost.
type AgentShare struct {
	Agent    string
	Runs     int
	Requests int
	Usage    cost.Usage
	Cost     cost.Cost
}

// agentShares are the subagents' spend, kept by the parent session;
// subagents running in parallel add to it.
type agentShares struct {
	mu     sync.Mutex
	shares []*AgentShare
}

func (a *agentShares) get(name string) *AgentShare {
	for _, s := range a.shares {
		if s.Agent == name {
			return s
		}
	}
	s := &AgentShare{Agent: name, Cost: cost.Cost{Known: true}}
	a.shares = append(a.shares, s)
	return s
}

// AgentUsage is what each agent type spent in this process, in the order
// the types first ran.
func (s *Session) AgentUsage() []AgentShare {
	if s.agents == nil {
		return nil
	}
	s.agents.mu.Lock()
	defer s.agents.mu.Unlock()
	out := make([]AgentShare, len(s.agents.shares))
	for i, sh := range s.agents.shares {
		out[i] = *sh
	}
	return out
}

// ModelUsage is each model's part of this process's spend: the primary,
// the small/fast model's side calls and the subagents' models.
func (s *Session) ModelUsage() []cost.ModelShare { return s.meter.ByModel() }

// SubagentOptions are this session's options for a subagent to start
// from: the same client, models, permissions, hooks, store and
// directories, with the tools the session offers now (MCP tools
// included). The caller sets the subagent's own tools, prompt, model and
// Sidechain; the session's resume, ID, extensions and output style do
// not carry over.
func (s *Session) SubagentOptions() Options {
	o := s.o
	o.Tools = slices.Clone(s.o.Tools)
	for _, n := range s.extra.names {
		if t, ok := s.tools[n]; ok {
			o.Tools = append(o.Tools, t)
		}
	}
	o.Resume, o.Fork, o.SessionID = nil, false, ""
	o.SystemPrompt, o.AppendSystemPrompt = "", ""
	o.Extensions = Extensions{}
	o.MaxTurns = 0
	o.memory = nil
	o.Sidechain = nil
	return o
}

// Tools are the tools the session offers the model now.
func (s *Session) Tools() []tool.Tool { return s.SubagentOptions().Tools }

// NoteSubagent links a finished subagent's sidechain from this session's
// transcript, with what it spent, so a resumed session counts it. Safe
// to call from the goroutines parallel subagents run on.
func (s *Session) NoteSubagent(toolUseID string, child *Session, modelID string, u cost.Usage, c cost.Cost) error {
	if s.w == nil || child.o.Sidechain == nil {
		return nil
	}
	sc := child.o.Sidechain
	e := session.Entry{Type: session.TypeSubagent, Time: s.o.Now(), AgentID: sc.AgentID, AgentType: sc.AgentType, ToolUseID: toolUseID, Model: modelID, Usage: &u}
	if child.w != nil {
		if rel, err := filepath.Rel(filepath.Dir(s.w.Path()), child.w.Path()); err == nil {
			e.Sidechain = rel
		}
	}
	if c.Known {
		usd := c.USD
		e.CostUSD = &usd
	}
	return s.w.Append(e)
}

// TranscriptPath is the session's transcript file; "" without one.
func (s *Session) TranscriptPath() string {
	if s.w == nil {
		return ""
	}
	return s.w.Path()
}

// startSidechain is New's part for a subagent: the parent's meter, the
// parent's session ID.
func (s *Session) startSidechain() {
	p := s.o.Sidechain.Parent
	s.meter, s.id = p.meter, p.id
}

// openSidechain creates the subagent's transcript beside the parent's.
func (s *Session) openSidechain() error {
	sc := s.o.Sidechain
	system, err := json.Marshal(s.system)
	if err != nil {
		return fmt.Errorf("sidechain transcript: system prompt: %w", err)
	}
	tools, err := json.Marshal(s.toolDefs)
	if err != nil {
		return fmt.Errorf("sidechain transcript: tools: %w", err)
	}
	w, err := s.o.Store.CreateSidechain(sc.Parent.id, sc.AgentID, session.Meta{
		ProjectRoot: s.o.ProjectRoot, WorkDir: s.o.WorkDir, AgentType: sc.AgentType,
		Provider: s.o.Provider, Region: s.o.Region, Model: s.model.ID, Version: s.o.Version,
		Created: s.o.Now(), System: system, Tools: tools,
	})
	if err != nil {
		return err
	}
	s.w = w
	return nil
}

// accountAgent adds a subagent's request to its type's share in the
// parent.
func (s *Session) accountAgent(u cost.Usage, c cost.Cost) {
	sc := s.o.Sidechain
	if sc == nil {
		return
	}
	a := sc.Parent.agents
	a.mu.Lock()
	defer a.mu.Unlock()
	sh := a.get(sc.AgentType)
	sh.Requests++
	sh.Usage = sh.Usage.Add(u)
	sh.Cost = sh.Cost.Add(c)
}

// countAgentRun counts one run of a subagent in its type's share.
func (s *Session) countAgentRun() {
	sc := s.o.Sidechain
	if sc == nil {
		return
	}
	a := sc.Parent.agents
	a.mu.Lock()
	defer a.mu.Unlock()
	a.get(sc.AgentType).Runs++
}

// agentLabel names the subagent in permission questions ("" for the
// main session).
func (s *Session) agentLabel() string {
	if s.o.Sidechain == nil {
		return ""
	}
	return s.o.Sidechain.AgentType
}

// legacyName runs a call to Task, Claude Code's earlier name of the
// Agent tool that models still use, as the Agent call it is.
func (s *Session) legacyName(c *ToolCall) {
	if c.Name != "Task" {
		return
	}
	if _, ok := s.tools["Task"]; ok {
		return
	}
	if _, ok := s.tools["Agent"]; ok {
		c.Name = "Agent"
	}
}
