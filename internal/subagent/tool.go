package subagent

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/agentdef"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/tool"
)

//go:embed agent.md
var description string

// MaxParallel bounds the subagents that run at once; more Agent calls in
// one response wait for a free slot.
const MaxParallel = 4

// inputSchema is Claude Code's Agent input (2.1.197, testdata): the
// fields basalt runs. run_in_background and isolation are not offered.
const inputSchema = `{
  "type": "object",
  "properties": {
    "description": {"type": "string", "description": "A short (3-5 word) description of the task"},
    "prompt": {"type": "string", "description": "The task for the agent to perform"},
    "subagent_type": {"type": "string", "description": "The type of specialized agent to use for this task"},
    "model": {"type": "string", "enum": ["sonnet", "opus", "haiku"], "description": "Optional model for this agent, over the agent type's own. If omitted, the agent type's model, or the session's."}
  },
  "required": ["description", "prompt"],
  "additionalProperties": false
}`

// Input is the Agent tool's input.
type Input struct {
	Description  string `json:"description"`
	Prompt       string `json:"prompt"`
	SubagentType string `json:"subagent_type,omitempty"`
	Model        string `json:"model,omitempty"`
}

// Progress is one step of a running subagent, for the call's line in a
// frontend.
type Progress struct {
	CallID string // the Agent call's tool_use ID
	Agent  string // the agent type
	Line   string // what it does now: "Grep TODO", "answering"
	Done   bool   // the subagent finished
}

// Config is what the Agent tool of one conversation needs besides the
// parent session.
type Config struct {
	Agents *agentdef.Set
	// ResolveModel resolves an alias or ID as --model does.
	ResolveModel func(ctx context.Context, name string) (model.Resolved, error)
	// ModelOverride is CLAUDE_CODE_SUBAGENT_MODEL: every subagent's
	// model, over the agent type's and the call's.
	ModelOverride string
	// NewToolSession gives each subagent a tool session of its own (its
	// own read records, working directory and background commands).
	NewToolSession func() (*tool.Session, error)
	// Progress receives each step of every subagent, on the subagent's
	// goroutine; nil shows none.
	Progress func(Progress)
}

// Tool is the Agent tool of one conversation. It implements tool.Tool
// and agent.CallRunner.
type Tool struct {
	cfg   Config
	slots chan struct{}
	// ask serialises the subagents' permission questions: a frontend
	// puts one question at a time.
	ask sync.Mutex

	mu     sync.Mutex
	parent *agent.Session
}

// New returns the Agent tool; [Tool.Attach] gives it the session it
// belongs to, once that exists.
func New(cfg Config) *Tool {
	return &Tool{cfg: cfg, slots: make(chan struct{}, MaxParallel)}
}

// Attach sets the session whose subagents this tool starts.
func (t *Tool) Attach(parent *agent.Session) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.parent = parent
}

func (t *Tool) session() *agent.Session {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.parent
}

var (
	_ tool.Tool        = (*Tool)(nil)
	_ agent.CallRunner = (*Tool)(nil)
)

// Name is Claude Code's current name of the tool.
func (*Tool) Name() string { return agentdef.ToolName }

// Description lists the agent types with their descriptions, so the
// model picks one by them. It is fixed for the conversation (agents load
// when it opens), so it stays in the cached prefix.
func (t *Tool) Description() string {
	return strings.Replace(description, "{{AGENTS}}", t.cfg.Agents.Listing(), 1)
}

func (*Tool) InputSchema() json.RawMessage { return json.RawMessage(inputSchema) }

// ReadOnly is true so that the Agent calls of one response run together:
// the subagent's own calls are checked, asked and serialised one by one
// in its loop, as the session's are.
func (*Tool) ReadOnly() bool { return true }

// Run runs a call without its ID (no progress line).
func (t *Tool) Run(ctx context.Context, ts *tool.Session, input json.RawMessage) (tool.Result, error) {
	return t.RunCall(ctx, ts, &agent.ToolCall{Name: agentdef.ToolName, Input: input})
}

// decode reads the input; the Result is the error for the model when ok
// is false.
func (t *Tool) decode(input json.RawMessage) (Input, agentdef.Definition, tool.Result, bool) {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, agentdef.Definition{}, errorResult("invalid input: %v (expected {\"description\": \"…\", \"prompt\": \"…\", \"subagent_type\": \"…\"})", err), false
	}
	if strings.TrimSpace(in.Prompt) == "" {
		return in, agentdef.Definition{}, errorResult("invalid input: prompt is empty; give the agent its task"), false
	}
	name := strings.TrimSpace(in.SubagentType)
	if name == "" {
		name = "general-purpose"
	}
	def, ok := t.cfg.Agents.Lookup(name)
	if !ok {
		return in, def, errorResult("Agent type %q not found. Available agents: %s", name, strings.Join(t.cfg.Agents.Names(), ", ")), false
	}
	return in, def, tool.Result{}, true
}

func errorResult(format string, args ...any) tool.Result {
	return tool.Result{Content: fmt.Sprintf(format, args...), IsError: true}
}
