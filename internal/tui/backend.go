package tui

import (
	"context"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/session"
)

// Backend is what the program drives: the agent session and what sits
// around it (configuration, the model client, the transcripts). The cli
// package implements it. Every method may do I/O, so the program calls
// them only from tea.Cmds, never from Update; Run and Compact deliver
// their events through on, on the goroutine that called them.
type Backend interface {
	// Run sends one prompt and works until the turn ends; cancelling ctx
	// interrupts it and leaves the conversation valid.
	Run(ctx context.Context, prompt string, on func(agent.Event)) error
	// Compact summarises the conversation now (/compact).
	Compact(ctx context.Context, on func(agent.Event)) error
	// Info is a snapshot for the status line; it is called between turns.
	Info() Info
	// Reset closes the session and starts a new one, or resumes the
	// stored session resumeID (/clear, /resume).
	Reset(ctx context.Context, resumeID string) (Info, error)
	// SetModel switches the primary model, keeping the conversation.
	SetModel(ctx context.Context, name string) (Info, error)
	// Models are the choices of /model: the aliases, then the inference
	// profiles visible in the region.
	Models(ctx context.Context) ([]ModelChoice, error)
	// Sessions are the stored sessions of this project, newest first.
	Sessions() ([]session.Summary, error)
	// Status is the /status report, label and value per line.
	Status(ctx context.Context) []Field
	// Doctor runs the doctor's checks and returns their report, or
	// ok=false when there is no doctor to run.
	Doctor(ctx context.Context) (report string, ok bool)
	// AddRule adds a rule of kind "allow", "ask" or "deny" to the running
	// session's checker, and RemoveRule removes one, so that /permissions
	// takes effect at once (the program writes the settings file itself).
	// RemoveRule fails, saying why, when the session has no such rule or
	// when it comes from the managed policy.
	AddRule(kind, rule string) error
	RemoveRule(kind, rule string) error
}

// Info is what the status line and the commands show about the session.
type Info struct {
	SessionID   string
	Model       string // what the user asked for, e.g. "sonnet"
	ModelID     string // what goes in the request
	ModelName   string // "Claude Sonnet 4.6", "" when unknown
	Provider    string // "bedrock" or "anthropic"
	Region      string
	Window      int // context window in tokens
	ContextUsed int // input tokens of the last request

	Usage   cost.Usage
	Cost    cost.Cost
	Savings cost.Cost

	MaxBudgetUSD float64 // 0: no budget

	// LocalSettings is the project's local settings file, where "don't
	// ask again" and /permissions write rules.
	LocalSettings string
	// Rules are the permission rules in force, with where each lives.
	Rules []Rule
	// HistoryFile keeps the prompts typed, across sessions ("" none).
	HistoryFile string
	// WorkDir is where @path completion looks.
	WorkDir string
	// Notices came with a new session or model (Reset, SetModel).
	Notices []string
}

// Rule is one permission rule and where it was written.
type Rule struct {
	Kind   string // "allow", "ask" or "deny"
	Rule   string
	Source string
}

// ModelChoice is one entry of the /model picker.
type ModelChoice struct {
	Name   string // what to switch to: an alias or a profile ID
	Detail string // the ID it resolves to, or the profile's name
}

// Field is one line of a report.
type Field struct{ Label, Value string }
