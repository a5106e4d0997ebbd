package tui

import (
	"context"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/session"
)

// Backend is what the program drives: the running session. The harness
// implements it (*harness.Session); cli builds the session and hands it
// over, so the program never builds one. Every method may do I/O, so the
// program calls them only from tea.Cmds, never from Update; Run and
// Compact deliver their events through on, on the goroutine that called
// them.
type Backend interface {
	// Run sends one prompt and works until the turn ends; cancelling ctx
	// interrupts it and leaves the conversation valid.
	Run(ctx context.Context, prompt string, on func(agent.Event)) (*agent.Result, error)
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
	// Status is the /status report, label and value per line, redacted.
	Status(ctx context.Context) []Field
	// EditRules adds rules of kind "allow", "ask" or "deny" to the local
	// settings file and the running session, or removes them from both,
	// in one step (/permissions, "don't ask again"), and says what
	// changed where.
	EditRules(kind string, add, remove []string) harness.RuleChange
	// AllowForSession adds allow rules to the running session only, for
	// as long as basalt runs ("don't ask again" when the settings file
	// cannot be written).
	AllowForSession(rules []string) harness.RuleChange
	// SetPermissionMode switches the permission mode (Shift+Tab, plan
	// approval) for the decisions from now on.
	SetPermissionMode(mode string) (Info, error)
	// History is the resumed conversation to show, empty for a new one.
	History() []HistoryItem
}

// The program shows what the harness reports; these are its types, named
// here for the program's code.
type (
	// Info is what the status line and the commands show about the
	// session.
	Info = harness.Info
	// Rule is one permission rule and where it was written.
	Rule = harness.Rule
	// ModelChoice is one entry of the /model picker.
	ModelChoice = harness.ModelChoice
	// Field is one line of a report.
	Field = harness.Field
	// HistoryItem is one thing a resumed conversation showed.
	HistoryItem = harness.HistoryItem
)

var _ Backend = (*harness.Session)(nil)
