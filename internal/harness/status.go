package harness

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/agentdef"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/memory"
)

// Info is what frontends show about the session: the status line, the
// commands that report on it, and stream-json's init line. It holds
// identifiers, counts and paths, never a configuration value that could
// be a secret; Status is the report that quotes such values, redacted.
type Info struct {
	SessionID   string
	Model       string // what the user asked for, e.g. "sonnet"
	ModelID     string // what goes in the request
	ModelName   string // "Claude Sonnet 4.6", "" when unknown
	Provider    string // "bedrock" or "anthropic"
	Region      string
	Window      int // context window in tokens
	ContextUsed int // input tokens of the last request
	// Effort is the effort level the session sends ("" none), for the
	// status line.
	Effort string
	// LastRequestID is the provider's ID of the last request.
	LastRequestID string

	Usage   cost.Usage
	Cost    cost.Cost
	Savings cost.Cost

	MaxBudgetUSD float64 // 0: no budget

	// LocalSettings is the project's local settings file, where rule
	// edits go ([Session.EditRules]).
	LocalSettings string
	// Rules are the permission rules in force, with where each lives.
	Rules []Rule
	// HistoryFile keeps the prompts typed, across sessions ("" none).
	HistoryFile string
	// WorkDir is where the session works (and @path completion looks).
	WorkDir string
	Tools   []string // the tools offered to the model
	// MCPServers are the configured MCP servers and their status.
	MCPServers     []MCPServer
	PermissionMode string
	// Sandbox is the status line's sandbox marker: "sandbox", "sandbox
	// off", or "" when the sandbox was never asked for.
	Sandbox string
	Version string
	// Memory are the memory files sent to the model so far (/memory);
	// MemoryTargets are the files a `#` note can go to.
	Memory        []memory.File
	MemoryTargets []memory.Target
	// Notices came with a new conversation or model (Reset, SetModel).
	Notices []string

	// Custom commands, skills and output styles (commands.go): the
	// stream-json init line's lists, and what /help, completion and
	// /output-style offer.
	SlashCommands []string
	Skills        []string
	OutputStyle   string
	Commands      []CommandInfo
	OutputStyles  []StyleInfo

	// What each subagent type and each model spent in this process
	// (/cost).
	AgentUsage []agent.AgentShare
	ModelUsage []cost.ModelShare
	// AgentNames are the agent types the Agent tool offers; Agents
	// describes them (/agents).
	AgentNames []string
	Agents     []AgentInfo
}

// Field is one line of a report: a label and its value.
type Field struct{ Label, Value string }

// Info is a snapshot of the session; frontends call it between turns.
func (s *Session) Info() Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, cfg := s.agent, s.cfg
	m := a.Model()
	u, c := a.Usage()
	name := s.model.Value
	if (name == "" || name == m.ID) && m.Model != nil {
		name = string(m.Model.Family)
	}
	info := Info{
		SessionID: a.ID(), Model: name, ModelID: m.ID,
		Provider: string(cfg.Provider.Value), Region: cfg.Region.Value,
		Window: 200_000, ContextUsed: s.ctxUsed,
		Usage: u, Cost: c, Savings: a.Savings(), MaxBudgetUSD: s.o.MaxBudgetUSD,
		LocalSettings:  s.LocalSettings(),
		HistoryFile:    filepath.Join(cfg.StateDir, "history.jsonl"),
		WorkDir:        cfg.WorkDir,
		Tools:          append(toolNames(s.o.Headless), s.mcpToolNames()...),
		MCPServers:     s.MCPServers(),
		PermissionMode: string(s.checker.Mode()),
		Sandbox:        s.Sandbox().Marker,
		Version:        s.o.Version,
		Rules:          append([]Rule(nil), s.rules...),
		Memory:         a.Memory(),
		LastRequestID:  s.lastRequestID,
		MemoryTargets:  memory.Targets(cmp.Or(cfg.ProjectRoot, cfg.WorkDir), cfg.Getenv("HOME")),
	}
	if m.Model != nil {
		info.ModelName = m.Model.Name
		info.Window = m.Model.ContextWindow
		if m.LongContext && m.Model.LongContext > 0 {
			info.Window = m.Model.LongContext
		}
	}
	if w := cfg.MaxContextTokens.Value; w > 0 {
		info.Window = w
	}
	info.Effort = s.effortSent(m.Model) // s.mu is held: the model is passed in
	s.ext.fillInfo(&info)
	info.Tools = append(info.Tools, agentdef.ToolName)
	info.AgentUsage = a.AgentUsage()
	info.ModelUsage = a.ModelUsage()
	if s.agentSet != nil {
		info.AgentNames = s.agentSet.Names()
		info.Agents = agentInfos(s.agentSet)
	}
	return info
}

// Status is the /status report: where the session's settings come from,
// label and value per line. Every value passes config's redaction rule:
// an endpoint may carry a password, a credential error may quote a URL, a
// header may be a gateway's key.
func (s *Session) Status(ctx context.Context) []Field {
	cfg, a := s.cfg, s.current()
	m := a.Model()
	mode := s.PermissionMode()
	f := []Field{
		{Label: "session", Value: a.ID()},
		{Label: "provider", Value: string(cfg.Provider.Value)},
	}
	if cfg.Provider.Value == config.ProviderBedrock {
		f = append(f, Field{Label: "region", Value: cfg.Region.Value + " (" + cfg.Region.Source.String() + ")"})
		cred := "unknown"
		if s.auth != nil {
			if src, err := s.auth.Source(ctx); err != nil {
				cred = "error: " + err.Error()
			} else {
				cred = src
			}
		}
		f = append(f, Field{Label: "credentials", Value: cred})
		if cfg.BedrockBaseURL.Value != "" && !cfg.UsesMantle() {
			f = append(f, Field{Label: "endpoint", Value: config.RedactVar("ANTHROPIC_BEDROCK_BASE_URL", cfg.BedrockBaseURL.Value)})
		}
		f = append(f, networkFields(cfg)...)
	}
	f = append(f, Field{Label: "model", Value: m.ID + " (" + m.Source + ")"})
	f = append(f, Field{Label: "thinking", Value: s.ThinkingSummary()})
	s.mu.Lock()
	rid := s.lastRequestID
	s.mu.Unlock()
	if rid != "" {
		f = append(f, Field{Label: "last request ID", Value: rid})
	}
	caching := "on, 5-minute TTL"
	switch {
	case cfg.DisablePromptCaching.Value:
		caching = "off (DISABLE_PROMPT_CACHING)"
	case cfg.PromptCaching1H.Value:
		caching = "on, 1-hour TTL (ENABLE_PROMPT_CACHING_1H)"
	}
	f = append(f, Field{Label: "prompt caching", Value: caching})
	var headers []string
	for _, h := range cfg.CustomHeaders.Value {
		headers = append(headers, h.Name+": "+config.RedactHeader(h.Name, h.Value))
	}
	if len(headers) == 0 {
		headers = []string{"none"}
	}
	f = append(f, Field{Label: "custom headers", Value: strings.Join(headers, ", ")})
	f = append(f, Field{Label: "permission mode", Value: string(mode)})
	f = append(f, Field{Label: "bash environment", Value: cfg.BashEnvironment.Value + " (" + cfg.BashEnvironment.Source.String() + ")"})
	f = append(f, s.settingsFields(ctx)...)
	for i := range f {
		f[i].Value = config.RedactText(f[i].Value)
	}
	return f
}

// settingsFields are the settings files as they are now, read again
// (Options.Reload), since the user may have written one during the
// session (a rule saved with "don't ask again" creates the local file).
// A file the session did not start with is marked: its rule edits apply
// now, its other values from the next start.
func (s *Session) settingsFields(ctx context.Context) []Field {
	files := s.cfg.Files
	var warnings []string
	if s.o.Reload != nil {
		if fresh, _ := s.o.Reload(ctx); fresh != nil {
			files, warnings = fresh.Files, fresh.Warnings
		}
	}
	atStart := map[string]string{}
	for _, file := range s.cfg.Files {
		atStart[file.Path] = file.Status
	}
	var f []Field
	for _, file := range files {
		switch file.Status {
		case config.StatusLoaded:
			v := file.Level.String() + " " + file.Path
			if atStart[file.Path] != config.StatusLoaded {
				v += " (written during this session: its rules apply now, other values from the next start)"
			}
			f = append(f, Field{Label: "settings", Value: v})
		case config.StatusInvalid, config.StatusSkipped, config.StatusUnreadable:
			f = append(f, Field{Label: "settings", Value: file.Level.String() + " " + file.Path + " (" + file.Status + ")"})
		}
	}
	if len(warnings) > 0 {
		f = append(f, Field{Label: "settings warnings", Value: fmt.Sprintf("%d: `basalt config show` lists them with their files", len(warnings))})
	}
	return f
}
