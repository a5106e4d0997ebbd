package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/hooks"
	"github.com/basalt-dev/basalt/internal/memory"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

// Options configure a [Session].
type Options struct {
	Client      *provider.Client
	Models      provider.Models
	Tools       []tool.Tool
	ToolSession *tool.Session
	Permissions *permission.Checker
	// Ask puts a permission question to the user. nil refuses every call
	// that needs asking (headless mode, where the checker already turns
	// asks into denials the model can read).
	Ask func(ctx context.Context, call *ToolCall, d permission.Decision) (Answer, error)

	// Store keeps the transcript; nil keeps none. Resume continues a
	// stored session instead of starting one; with Fork, the conversation
	// goes on in a new session seeded with Resume's history
	// (session.Store.Fork), which leaves the original untouched and counts
	// only its own usage.
	Store  *session.Store
	Resume *session.Transcript
	Fork   bool

	// SessionID is the ID of a new session (--session-id); "" lets the
	// store pick one. Without a Store it is the ID the session reports.
	SessionID string

	// SystemPrompt replaces basalt's identity block (--system-prompt);
	// the environment and memory still follow it. AppendSystemPrompt is
	// a last block after them (--append-system-prompt).
	SystemPrompt       string
	AppendSystemPrompt string

	WorkDir     string
	ProjectRoot string
	UserMemory  []string // user-level memory files
	// memory is the session's memory, set when the system prompt is
	// built: it loads what applies to the files the model touches.
	memory *memory.Memory
	// GitStatus returns the project's short git status when the caller
	// started it early ([StartGitStatus]); nil runs it when the session
	// starts.
	GitStatus func() string

	// MaxTokens is the max_tokens of the model's requests, ThinkingBudget
	// their thinking budget (config.OutputLimitsFor); 0 leaves each to
	// the client's configuration.
	MaxTokens      int
	ThinkingBudget int

	MaxTurns     int     // model requests per Run; 0: no limit
	MaxBudgetUSD float64 // session cost; 0: no limit
	// ContextWindow overrides the model's window (CLAUDE_CODE_MAX_CONTEXT_TOKENS).
	ContextWindow int

	// Extensions are the session's skills and output style (extensions.go).
	Extensions Extensions
	// Hooks runs the session's configured hooks (the harness's snapshot);
	// nil runs none.
	Hooks *hooks.Runner

	// Sidechain runs the session as another's subagent (subagent.go);
	// nil for a main session.
	Sidechain *Sidechain

	Provider, Region, Version string
	// User and Labels go into the transcript's meta entry for `basalt
	// usage --by user|team` ([session.Meta]).
	User   string
	Labels map[string]string
	Now    func() time.Time
	Log    *slog.Logger
}

// Session is one conversation with the model. Run is not safe for
// concurrent use: one prompt at a time.
type Session struct {
	o        Options
	id       string
	model    model.Resolved
	system   []anthropic.TextBlockParam
	toolDefs []anthropic.ToolUnionParam
	tools    map[string]tool.Tool
	messages []anthropic.MessageParam
	meter    *cost.Meter
	w        *session.Writer

	cache     bool
	cc        anthropic.CacheControlEphemeralParam
	prevBreak int // index of the message that ended the previous request's cached prefix; -1 none
	lastInput int // total input tokens of the last request
	lastCount int // messages after the last request's answer was added
	apiTime   time.Duration
	requests  int

	writeErr error
	// turn numbers the user's prompts: every transcript entry carries
	// the number of the prompt it follows (session.Entry.Turn). It only
	// grows, through rewinds too, so a number names one prompt for good.
	turn int

	hooks *hookState // what hooks left for later steps (hooks.go)

	// A resumed session's earlier usage, which the meter did not see.
	priorUsage   cost.Usage
	priorCost    cost.Cost
	resumeNotice string
	// primaryBeforeFallback is the model a Run switched away from for
	// overload (--fallback-model); nil while on the primary.
	primaryBeforeFallback *model.Resolved
	fallbacksUsed         int        // of Models.Fallbacks, this Run
	grants                turnGrants // extensions.go

	extra extraTools // tools that join after the start (extratools.go)
	side  *sideCalls // small-model requests made by tools (smallmodel.go)

	agents *agentShares // what this session's subagents spent (subagent.go)
}

// New starts a session, or resumes o.Resume. It writes the transcript's
// header at once, so even a session killed during its first turn can be
// found.
func New(ctx context.Context, o Options) (*Session, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Session{o: o, id: o.SessionID, model: o.Models.Primary, tools: map[string]tool.Tool{}, meter: cost.NewMeter(), prevBreak: -1, hooks: &hookState{}, side: &sideCalls{}, agents: &agentShares{}}
	if o.Client != nil {
		s.meter.SetTier(cost.Tier(o.Client.ServiceTier()))
	}
	if o.Sidechain != nil {
		s.startSidechain()
	}
	for _, t := range o.Tools {
		s.tools[t.Name()] = t
	}
	var err error
	if s.toolDefs, err = toolParams(o.Tools); err != nil {
		return nil, err
	}
	cc, ok, notice := o.Client.CacheControl(s.model.Model)
	s.cache, s.cc = ok, cc
	if notice != "" {
		s.resumeNotice = notice // shown with the first answer
	}

	if o.Resume != nil {
		if err := s.restore(o.Resume, notice); err != nil {
			return nil, err
		}
		// The resumed system prompt stays as recorded; memory is loaded
		// only for what the model has yet to touch.
		readMemory(&s.o)
	} else {
		for _, text := range systemPrompt(ctx, &s.o) {
			s.system = append(s.system, anthropic.TextBlockParam{Text: text})
		}
	}
	s.memoryNotices()
	if s.cache && len(s.system) > 0 {
		// tools → system is the stable prefix: one breakpoint after it.
		s.system[len(s.system)-1].CacheControl = s.cc
	}
	switch {
	case o.Store != nil && o.Sidechain != nil:
		if err := s.openSidechain(); err != nil {
			return nil, err
		}
	case o.Store != nil:
		if err := s.openTranscript(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ID is the session's ID ("" without a transcript).
func (s *Session) ID() string { return s.id }

// Model is the primary model in use.
func (s *Session) Model() model.Resolved { return s.model }

// Usage is the session's tokens and cost so far, earlier runs of a
// resumed session included.
func (s *Session) Usage() (cost.Usage, cost.Cost) {
	if s.o.Sidechain != nil {
		// A subagent spends from its parent: the budget is the session's.
		return s.o.Sidechain.Parent.Usage()
	}
	u, c := s.meter.Session()
	if s.o.Resume == nil {
		return u, c
	}
	return s.priorUsage.Add(u), s.priorCost.Add(c)
}

// Savings is what prompt caching saved in this process's requests.
func (s *Session) Savings() cost.Cost { return s.meter.Savings() }

// APITime is the time spent waiting for the model.
func (s *Session) APITime() time.Duration { return s.apiTime }

// Close ends the session: background commands stop, the transcript is
// synced and closed.
func (s *Session) Close() error {
	var errs []error
	if s.o.ToolSession != nil {
		errs = append(errs, s.o.ToolSession.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Sync(), s.w.Close())
	}
	return errors.Join(errs...)
}

// Result is the outcome of one [Session.Run].
type Result struct {
	Text       string // the final answer's text
	Requests   int    // model requests made by this run
	StopReason string
	Guardrail  bool // the answer was replaced by a Bedrock guardrail
	Turn       cost.TurnReport
	// Model answered the last request: the primary, or a fallback the
	// run switched to (--fallback-model).
	Model string
}

// SetMaxBudget changes the session's budget (the TUI's /budget); 0
// removes it. Not safe to call while Run is running.
func (s *Session) SetMaxBudget(usd float64) { s.o.MaxBudgetUSD = usd }

func (s *Session) budgetLabel() string {
	return strconv.FormatFloat(s.o.MaxBudgetUSD, 'f', -1, 64)
}

func (s *Session) overBudget() bool {
	if s.o.MaxBudgetUSD <= 0 {
		return false
	}
	_, c := s.Usage()
	return c.Known && c.USD >= s.o.MaxBudgetUSD
}

func marshal(m anthropic.MessageParam) json.RawMessage {
	b, err := json.Marshal(m)
	if err != nil {
		// MessageParam values built by the SDK always marshal; a failure
		// here is a programming error worth surfacing loudly.
		panic(fmt.Sprintf("marshal message: %v", err))
	}
	return b
}
