package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/agentdef"
	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/checkpoint"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/hooks"
	"github.com/basalt-dev/basalt/internal/mcp"
	"github.com/basalt-dev/basalt/internal/media"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/sandbox"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/telemetry"
	"github.com/basalt-dev/basalt/internal/tool"
)

// Options are what a session is built from besides the configuration's
// own values: the frontend's hooks, the process's facilities, and which
// conversation to open.
type Options struct {
	// Config is the loaded configuration, whose project settings the
	// user has already trusted or left out.
	Config  *config.Config
	Log     *slog.Logger
	Version string

	// Headless turns every call that would ask into a denial the model
	// can read (basalt -p).
	Headless bool
	// Ask puts a permission question to the user; nil refuses.
	Ask func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error)
	// RefreshOutput receives each line awsAuthRefresh prints.
	RefreshOutput func(line string)
	// Telemetry observes every turn and counts every session opened; nil
	// records nothing. Its owner shuts it down ([StopTelemetry]).
	Telemetry *telemetry.Recorder

	// GitStatus is the project's short git status, started by the caller
	// (StartGitStatus) as early as it may run, so that the process start
	// overlaps the caller's own work; nil starts it in Open.
	GitStatus func() string

	// Supervisor is the executable that supervises each command's
	// process tree (tool.SessionOptions.Supervisor); "" runs commands
	// unsupervised.
	Supervisor string
	// ScrubProcess removes variables from the process environment, so
	// that commands cannot read back what they must not have; nil leaves
	// the process alone (tests that run in-process).
	ScrubProcess func(names []string) error

	// Continue opens the project's most recent session, Resume the
	// session with that ID (or unique prefix); Fork goes on in a new
	// session seeded with its history, leaving the original untouched.
	Continue bool
	Resume   string
	Fork     bool

	MaxTurns     int     // model requests per Run; 0: no limit
	MaxBudgetUSD float64 // session cost; 0: no limit

	// SessionID is the ID of the first conversation opened (a new one,
	// or the fork of a resumed one): --session-id. An ID in use is a
	// *UsageError.
	SessionID string
	// NoPersistence writes no transcript (--no-session-persistence).
	NoPersistence bool
	// SystemPrompt replaces basalt's identity in the system prompt of a
	// new conversation; AppendSystemPrompt is added after its memory.
	SystemPrompt       string
	AppendSystemPrompt string
	// FallbackModel is --fallback-model: comma-separated models a turn
	// goes on with when the primary stays overloaded or throttled.
	FallbackModel string
	// JSONSchema is --json-schema: each answer must be JSON valid
	// against it (structured output).
	JSONSchema string
	// HookRun receives one line per hook run (RecordLine), from the
	// goroutine that ran it: --verbose. The log gets every run anyway.
	HookRun func(line string)
	// Agents is --agents: JSON of agent types for this run, Claude
	// Code's shape; a bad value is a *UsageError from Open.
	Agents string
	// AgentProgress receives each step of every running subagent, on the
	// subagent's goroutine; nil shows none.
	AgentProgress func(AgentProgress)
	// Reload loads the configuration again from the files as they are
	// now, for the reports that must not show the start-up's (/status);
	// nil reports the configuration the session started with.
	Reload func(ctx context.Context) (*config.Config, error)

	// sandboxProbe and sandboxStart replace sandbox.Probe and
	// sandbox.Start in tests.
	sandboxProbe func(context.Context) sandbox.Status
	sandboxStart func(context.Context, sandbox.Policy, sandbox.Options) (*sandbox.Sandbox, error)
}

// Session is a running session: the agent's conversation and what sits
// around it, which outlive a /clear or /resume (the model client with its
// credentials, the metrics recorder). Its methods are safe for concurrent
// use, except that one Run or Compact runs at a time.
type Session struct {
	o      Options
	cfg    *config.Config
	client *provider.Client
	auth   *awsauth.Auth // nil off Bedrock
	store  *session.Store
	// gitStatus was started by Open for the first conversation
	// (takeGitStatus); nil after it.
	gitStatus func() string

	mu      sync.Mutex // guards the fields below against a status query during a turn
	agent   *agent.Session
	checker *permission.Checker
	model   config.Value[string] // what the user asked for: the configuration's, or the last switch's
	rules   []Rule
	ctxUsed int
	// lastRequestID is the provider's ID of the last request (/status).
	lastRequestID string
	ext           *extensions // commands.go
	// edits are the rule changes made during the session, replayed onto
	// every conversation opened after them.
	edits []ruleEdit
	// mode is the permission mode the user switched to (Shift+Tab, plan
	// approval); "" keeps the configuration's. Later conversations keep it.
	mode permission.Mode
	// history is the resumed conversation, for the frontend to show.
	history []HistoryItem
	// fh is the conversation's file history (rewind.go); nil without a
	// transcript or when it could not be opened.
	fh *checkpoint.Store

	mcp *mcp.Manager // nil without MCP servers (mcp.go)
	sbx *sandboxRun  // the OS sandbox for Bash (sandbox.go)

	flagAgents []agentdef.Definition // --agents
	agentSet   *agentdef.Set         // the conversation's agent types (agents.go)

	schema     *Schema         // --json-schema; nil without
	structured json.RawMessage // the last Run's validated answer

	webState // WebFetch's page cache and client (webfetch.go)

	hookRunner   *hooks.Runner // the hooks snapshot taken at start (hooks.go)
	hooksNoticed string        // the settings change last announced
	// hooksApplied is each settings file's hooks value applied during
	// the session (/hooks apply), in place of the one it started with.
	hooksApplied map[string]json.RawMessage
}

// Open builds a session from o: the model client, then the conversation
// o asks for (new, continued, resumed or forked). It returns the notices
// the user should see (model resolution, a damaged transcript, a process
// that could not be scrubbed). Errors a changed request would cure are
// *UsageError.
func Open(ctx context.Context, o Options) (*Session, []string, error) {
	cfg := o.Config
	// Every line of the log, from here down, hides the session's secret
	// values (eventlog.go, logscrub.go).
	o.Log = scrubLog(o.Log, logSecrets(cfg))
	// git status runs while the credentials load: a process start the
	// first request need not wait for.
	gitStatus := o.GitStatus
	if gitStatus == nil {
		gitStatus = StartGitStatus(ctx, cfg.WorkDir)
	}
	client, auth, err := NewClient(ctx, cfg, ClientOptions{RefreshOutput: o.RefreshOutput, Log: o.Log, OnRefresh: o.Telemetry.CredentialRefreshFunc()})
	if err != nil {
		return nil, nil, err
	}
	s := &Session{o: o, cfg: cfg, client: client, auth: auth, store: session.NewStore(cfg.StateDir, cfg.ProjectRoot), model: cfg.Model, gitStatus: gitStatus}
	if o.JSONSchema != "" {
		if s.schema, err = CompileSchema(o.JSONSchema); err != nil {
			return nil, nil, &UsageError{Err: err}
		}
	}
	if s.flagAgents, err = parseAgentsFlag(o.Agents); err != nil {
		return nil, nil, err
	}
	sandboxNotice, err := s.startSandbox(ctx)
	if err != nil {
		return nil, nil, err
	}
	hookNotices := []string(nil)
	if sandboxNotice != "" {
		hookNotices = append(hookNotices, sandboxNotice)
	}
	var more []string
	s.hookRunner, more = newHookRunner(cfg, o, s.sbx.hookWrap())
	hookNotices = append(hookNotices, more...)
	resume := o.Resume
	if o.Continue {
		id, err := s.store.Latest()
		if errors.Is(err, session.ErrNoSessions) {
			s.sbx.close()
			return nil, nil, &UsageError{Err: fmt.Errorf("no earlier session in %s to continue", cfg.ProjectRoot), Hint: "start one with `basalt -p PROMPT`"}
		}
		if err != nil {
			s.sbx.close()
			return nil, nil, err
		}
		resume = id
	}
	mcpNotices := s.startMCP(ctx)
	notices, err := s.open(ctx, resume, o.Fork)
	if err != nil {
		s.closeMCP()
		s.sbx.close()
		return nil, nil, err
	}
	return s, append(append(append(settingsNotices(cfg), hookNotices...), mcpNotices...), notices...), nil
}

// takeSessionID hands --session-id to the first conversation; later
// ones (/clear) get IDs of their own.
func (s *Session) takeSessionID() string {
	id := s.o.SessionID
	s.o.SessionID = ""
	return id
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// StartGitStatus starts the short `git status` of dir that a session's
// system prompt shows, and returns a function that waits for its answer
// ("" outside a repository). A frontend starts it once the folder's trust
// is settled (git reads the repository's configuration, which can name
// commands) and hands it to Open in Options.GitStatus.
func StartGitStatus(ctx context.Context, dir string) func() string {
	return agent.StartGitStatus(ctx, dir)
}

// takeGitStatus hands the git status started by Open to the first
// conversation; later ones (/clear, /resume) run their own, fresh.
func (s *Session) takeGitStatus() func() string {
	g := s.gitStatus
	s.gitStatus = nil
	return g
}

// settingsNotices tell the user, once as the session starts, what the
// configuration skipped or adjusted: a session that runs without a rule
// or a file the user wrote must say so, not only config show. A long list
// is cut short and pointed at config show, which has every line and its
// source.
func settingsNotices(cfg *config.Config) []string {
	const shown = 3
	ws := cfg.Warnings
	if len(ws) <= shown+1 {
		return append([]string(nil), ws...)
	}
	out := append([]string(nil), ws[:shown]...)
	return append(out, fmt.Sprintf("and %d more settings warnings: `basalt config show` lists them with their files", len(ws)-shown))
}

// open builds a conversation, resuming resumeID unless it is "", and
// puts it in place of the current one, which it closes. Each
// conversation it opens is counted by the metrics.
func (s *Session) open(ctx context.Context, resumeID string, fork bool) ([]string, error) {
	cfg := s.configWithModel()
	models, err := ResolveModels(ctx, s.client, cfg)
	if err != nil {
		return nil, err
	}
	limits, err := outputLimits(cfg, models.Primary)
	if err != nil {
		return nil, err
	}
	notices := append(append([]string(nil), models.Primary.Notices...), models.SmallFast.Notices...)
	fallback := s.o.FallbackModel
	if fallback == "" && cfg.Models.Fallback.Set {
		// fallbackModel from the files: --fallback-model replaces it.
		fallback = strings.Join(cfg.Models.Fallback.Value, ",")
	}
	if models.Fallbacks, err = resolveFallbacks(cfg, fallback); err != nil {
		return nil, err
	}
	for _, fb := range models.Fallbacks {
		if err := cfg.AllowsModel(fb.ID, fb); err != nil {
			return nil, &UsageError{Err: fmt.Errorf("fallback model: %w", err)}
		}
		// Another profile of the same model is a fallback (other
		// capacity); the same profile is not.
		if fb.ID == models.Primary.ID {
			return nil, &UsageError{Err: fmt.Errorf("--fallback-model %s is the model itself (%s)", s.o.FallbackModel, fb.ID), Hint: "name another model, e.g. --model opus --fallback-model sonnet"}
		}
		notices = append(notices, fb.Notices...)
	}
	checker, err := newChecker(cfg, s.o.Headless)
	if err != nil {
		return nil, err
	}
	if err := checker.SetSandbox(s.sbx.permission()); err != nil {
		notices = append(notices, err.Error())
	}
	ts, tools, err := newTools(cfg, checker, s.o.Supervisor, s.sbx)
	if err != nil {
		return nil, err
	}
	webFetch, bindWebFetch := s.webFetchTool(cfg)
	tools = append(tools, scrubSecrets([]tool.Tool{webFetch}, cfg.SecretValues())...)
	tools = offeredTools(tools, s.o.Headless)
	ext, extNotices := loadExtensions(cfg)
	notices = append(notices, extNotices...)
	tools = ext.attach(tools, checker, ts, s.o, cfg)
	agentSet, agentNotices := loadAgents(cfg, s.flagAgents)
	notices = append(notices, agentNotices...)
	agentTool := s.newAgentTool(ctx, cfg, agentSet, checker)
	tools = append(tools, agentTool)
	if cfg.BashEnvironment.Value == config.BashEnvClean && s.o.ScrubProcess != nil {
		// What the commands must not have, they must not read back from
		// basalt's process either.
		if err := s.o.ScrubProcess(cfg.DroppedFromCommands()); err != nil {
			notices = append(notices, "the agent's commands may be able to read AWS credentials from basalt's process: "+err.Error())
		}
	}
	var resume *session.Transcript
	if resumeID != "" {
		if resume, err = s.store.Load(resumeID); err != nil {
			ts.Close()
			return nil, &UsageError{Err: err, Hint: "`basalt -c` continues the most recent session"}
		}
		notices = append(notices, resume.Warnings...)
	}
	store := s.store
	if s.o.NoPersistence {
		store = nil
	}
	sessionID := s.takeSessionID()
	if store == nil && sessionID == "" {
		// A run without a transcript still reports a session ID, as
		// Claude Code's does: the resumed one's, or a new one.
		sessionID = newUUID()
		if resume != nil && !fork {
			sessionID = resume.Meta.ID
		}
	}
	a, err := agent.New(ctx, agent.Options{
		Client: s.client, Models: models, Tools: tools, ToolSession: ts, Permissions: checker, Ask: s.askWithNotification(),
		Store: store, Resume: resume, Fork: fork, SessionID: sessionID,
		SystemPrompt: s.o.SystemPrompt, AppendSystemPrompt: s.o.AppendSystemPrompt,
		WorkDir: cfg.WorkDir, ProjectRoot: cfg.ProjectRoot, UserMemory: cfg.UserMemoryPaths(), GitStatus: s.takeGitStatus(),
		MaxTokens: limits.MaxTokens, ThinkingBudget: limits.Thinking,
		MaxTurns: s.o.MaxTurns, MaxBudgetUSD: s.o.MaxBudgetUSD, ContextWindow: cfg.MaxContextTokens.Value,
		Provider: string(cfg.Provider.Value), Region: cfg.Region.Value, Version: s.o.Version,
		User: loginName(cfg.Getenv), Labels: telemetry.ResourceLabels(cfg.Getenv),
		Log: s.o.Log, Extensions: ext.agentExtensions(ctx, s.client, cfg), Hooks: s.hookRunner,
	})
	if errors.Is(err, session.ErrLocked) && resume != nil {
		ts.Close()
		// Like -r with an unknown ID: nothing ran, and the request must
		// change (another session, or --fork-session).
		return nil, &UsageError{
			Err:  fmt.Errorf("session %s is in use by another basalt process", resume.Meta.ID),
			Hint: fmt.Sprintf("wait until it ends, or continue its conversation in a new session with `basalt -r %s --fork-session` (the original stays untouched)", resume.Meta.ID),
		}
	}
	if errors.Is(err, session.ErrExists) {
		ts.Close()
		return nil, &UsageError{Err: fmt.Errorf("--session-id %s: a session with this ID already exists", sessionID), Hint: fmt.Sprintf("resume it with `basalt -r %s`, or give a new UUID (e.g. from `uuidgen`)", sessionID)}
	}
	if err != nil {
		ts.Close()
		return nil, err
	}
	bindWebFetch(a)
	s.attachMCP(a, checker)
	agentTool.Attach(a)
	forkedFrom := ""
	if fork && resume != nil {
		forkedFrom = resume.Meta.ID
	}
	fh, fhNotice := s.openFileHistory(cfg.StateDir, a.ID(), ts, forkedFrom)
	if fhNotice != "" {
		notices = append(notices, fhNotice)
	}
	s.mu.Lock()
	old := s.agent
	s.agent, s.checker, s.ctxUsed, s.ext, s.fh, s.agentSet = a, checker, 0, ext, fh, agentSet
	s.rules = replayEdits(checker, configRules(cfg), s.edits, cfg.WorkDir)
	if s.mode != "" {
		// The mode was checked when the user chose it; a switch the new
		// checker refuses leaves the configuration's.
		_ = checker.SetMode(s.mode)
	}
	s.history = nil
	if resume != nil {
		s.history = historyOf(resume)
	}
	s.mu.Unlock()
	if old != nil {
		s.sessionEnd(old, map[bool]string{true: "clear", false: "other"}[resumeID == ""])
		old.Close()
	}
	notices = append(notices, a.SessionStart(ctx, sessionStartSource(resumeID, old == nil))...)
	s.o.Telemetry.Begin(ctx, a.ID(), a.Model().ID)
	return notices, nil
}

// configWithModel is the configuration with the model the user switched
// to, so that a /clear keeps the model of the conversation before it.
func (s *Session) configWithModel() *config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.model == s.cfg.Model {
		return s.cfg
	}
	c := *s.cfg
	c.Model = s.model
	return &c
}

func (s *Session) current() *agent.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.agent
}

// ID is the current conversation's session ID.
func (s *Session) ID() string { return s.current().ID() }

// Config is the configuration the session was built from.
func (s *Session) Config() *config.Config { return s.cfg }

// Run sends one prompt and works until the turn ends; cancelling ctx
// interrupts it and leaves the conversation valid. Events reach on, on
// the calling goroutine, after the metrics have seen them.
//
// Files the prompt names with @ are attached (attach.go): images and PDFs
// as the model sees them, other files as their text.
func (s *Session) Run(ctx context.Context, prompt string, on func(agent.Event)) (*agent.Result, error) {
	return s.runContent(ctx, []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(prompt)}, on, prompt)
}

// RunImages is Run with images the user attached (pasted or dropped in
// the TUI): they go as image blocks before the prompt's text, as the
// Messages API advises, and are kept in the transcript with it.
func (s *Session) RunImages(ctx context.Context, prompt string, images []media.Image, on func(agent.Event)) (*agent.Result, error) {
	blocks := make([]anthropic.ContentBlockParamUnion, 0, len(images)+1)
	for _, im := range images {
		blocks = append(blocks, tool.ImageBlock(im))
	}
	return s.runContent(ctx, append(blocks, anthropic.NewTextBlock(prompt)), on, prompt)
}

// RunContent is Run with a prompt of content blocks (--input-format
// stream-json).
func (s *Session) RunContent(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(agent.Event)) (*agent.Result, error) {
	return s.runContent(ctx, prompt, on, "")
}

// runContent runs a prompt; the files that typed (the prompt as the
// user typed it, "" for none) names with @ are attached once the hooks
// have seen the prompt as typed.
func (s *Session) runContent(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(agent.Event), typed string) (*agent.Result, error) {
	s.setStructured(nil)
	prompt, ok, err := s.userPromptSubmit(ctx, prompt, on)
	if err != nil || !ok {
		return &agent.Result{}, err
	}
	s.o.Telemetry.UserPrompt(promptText(prompt))
	if typed != "" {
		prompt = append(s.mentionBlocks(ctx, typed), prompt...)
	}
	prompt = s.withModeReminder(prompt)
	if s.schema != nil {
		return s.runStructured(ctx, prompt, on)
	}
	return s.runOnce(ctx, prompt, on)
}

func (s *Session) runOnce(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(agent.Event)) (*agent.Result, error) {
	prompt, err := s.prepareMCP(ctx, prompt, on)
	if err != nil {
		return &agent.Result{}, err
	}
	obs := s.o.Telemetry.Observe(ctx, s.track(ctx, on))
	if obs.Tracing() {
		ctx = tool.WithTraceParent(ctx, obs.TraceParent)
	}
	obs.RequestStarted()
	a := s.current()
	if fh := s.fileHistory(); fh != nil {
		fh.BeginTurn(a.Turn() + 1) // the prompt RunContent is about to send
	}
	res, err := a.RunContent(ctx, prompt, obs.Event)
	obs.Finish(err)
	s.flushMCPNotices(on)
	s.flushSandboxNotices(on)
	return res, err
}

// Compact summarises the conversation now, to free context.
func (s *Session) Compact(ctx context.Context, on func(agent.Event)) error {
	obs := s.o.Telemetry.Observe(ctx, s.track(ctx, on))
	obs.RequestStarted()
	err := s.current().Compact(ctx, obs.Event)
	obs.Finish(err)
	return err
}

// track notes the context used by the last request, for Info, and
// logs the events (eventlog.go).
func (s *Session) track(ctx context.Context, on func(agent.Event)) func(agent.Event) {
	log := newEventLog(s.o.Log)
	return func(ev agent.Event) {
		log.event(ctx, ev)
		if ev.Kind == agent.EventUsage {
			s.mu.Lock()
			s.ctxUsed = ev.Usage.Turn.TotalInput()
			if ev.RequestID != "" {
				s.lastRequestID = ev.RequestID
			}
			s.mu.Unlock()
		}
		on(ev)
		if ev.Kind == agent.EventToolEnd {
			// What the proxy refused during the command, while the user
			// still sees it.
			s.flushSandboxNotices(on)
		}
	}
}

// Reset closes the conversation and starts a new one (resumeID "",
// /clear), or resumes the stored session resumeID (/resume). The model
// client and the model the user chose stay. The returned Info carries the
// notices of the new conversation.
func (s *Session) Reset(ctx context.Context, resumeID string) (Info, error) {
	// The session this process has open is locked by it: resuming it
	// again would be refused as in use, so it simply stays.
	if resumeID != "" {
		if id, err := s.store.Resolve(resumeID); err == nil && id == s.ID() {
			info := s.Info()
			info.Notices = []string{"already in session " + id}
			return info, nil
		}
	}
	notices, err := s.open(ctx, resumeID, false)
	if err != nil {
		return Info{}, err
	}
	info := s.Info()
	info.Notices = notices
	return info, nil
}

// SetModel switches the primary model, keeping the conversation. name is
// an alias, an inference-profile ID or an ARN, resolved as --model is.
func (s *Session) SetModel(ctx context.Context, name string) (Info, error) {
	want := config.Value[string]{Value: name, Set: true, Source: config.Source{Kind: config.SourceFlag, Name: "/model"}}
	c := *s.cfg
	c.Model = want
	models, err := ResolveModels(ctx, s.client, &c)
	if err != nil {
		return Info{}, err
	}
	// availableModels binds /model as it binds --model.
	if err := c.AllowsModel(name, models.Primary); err != nil {
		return Info{}, &UsageError{Err: err}
	}
	limits, err := outputLimits(&c, models.Primary)
	if err != nil {
		return Info{}, err
	}
	s.current().SetModel(models.Primary)
	s.current().SetOutputLimits(limits.MaxTokens, limits.Thinking)
	s.mu.Lock()
	s.model = want
	s.mu.Unlock()
	info := s.Info()
	info.Notices = models.Primary.Notices
	return info, nil
}

// Sessions are the stored sessions of this project, newest first.
func (s *Session) Sessions() ([]session.Summary, error) { return s.store.List() }

// Close ends the conversation: background commands stop, the transcript
// is synced and closed. The session is not used after Close; the metrics
// recorder is its owner's to shut down.
func (s *Session) Close() error {
	s.mu.Lock()
	a := s.agent
	s.agent = nil
	s.mu.Unlock()
	s.closeMCP()
	if a == nil {
		s.sbx.close()
		return nil
	}
	s.sessionEnd(a, "other")
	err := a.Close()
	// After the agent: its background commands end before their sandbox.
	s.sbx.close()
	return err
}

// Cleanup applies cleanupPeriodDays: it removes the project's transcripts
// older than that, and says how many went. Frontends call it once the
// answer is out, so that start-up never waits on it.
func (s *Session) Cleanup() (removed int, err error) {
	days := s.cfg.CleanupPeriodDays.Value
	if days <= 0 {
		return 0, nil
	}
	period := time.Duration(days) * 24 * time.Hour
	removed, err = s.store.Cleanup(period)
	// The file histories of the sessions that went go with them.
	_, ferr := checkpoint.Cleanup(filepath.Join(s.cfg.StateDir, "file-history"), s.transcriptExists, period, time.Now())
	return removed, errors.Join(err, ferr)
}
