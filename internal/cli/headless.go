package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/headless"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

// maxStdinPrompt bounds a prompt read from stdin; beyond it the user is
// better served by a file the agent reads.
const maxStdinPrompt = 10 << 20

// prompt is the headless prompt: the arguments, then stdin when it is not
// a terminal (`git diff | basalt -p "review this"`).
func (a *App) prompt(opts *rootOptions) (string, error) {
	p := opts.Prompt
	if !a.IO.StdinIsTTY && a.IO.In != nil {
		b, err := io.ReadAll(io.LimitReader(a.IO.In, maxStdinPrompt+1))
		if err != nil {
			return "", fmt.Errorf("read the prompt from stdin: %w", err)
		}
		if len(b) > maxStdinPrompt {
			return "", usageErrorf("save it to a file and ask basalt to read it", "the prompt on stdin is over %d MiB", maxStdinPrompt>>20)
		}
		if s := strings.TrimSpace(string(b)); s != "" {
			if p != "" {
				p += "\n\n"
			}
			p += s
		}
	}
	if strings.TrimSpace(p) == "" {
		return "", usageErrorf("for example: basalt -p \"explain this repository\"", "no prompt: give one as an argument or on stdin")
	}
	return p, nil
}

// agentSetup is what a session needs besides the prompt.
type agentSetup struct {
	Headless bool
	Ask      func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error)
	Progress bool // demo: the human-readable printer

	// Client, when set, is used instead of a new one: the interactive
	// session keeps one client (with its awsAuthRefresh sink) across
	// /clear, /resume and /model.
	Client *provider.Client
	// Tools, when set, replaces tool.All() (the interactive session wraps
	// them to see each result's Display).
	Tools []tool.Tool
	// Checker, when set, is given the session's permission checker, so
	// that /permissions can add rules to the running session.
	Checker func(*permission.Checker)
}

// newAgent builds a session from the configuration: provider, models,
// tools, permissions, transcript, and the session to resume if asked.
func (a *App) newAgent(ctx context.Context, opts *rootOptions, setup agentSetup, on func(agent.Event)) (*agent.Session, *config.Config, error) {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	client := setup.Client
	if client == nil {
		if client, err = a.newProvider(ctx, nil); err != nil {
			return nil, nil, err
		}
	}
	models, err := provider.ResolveModels(ctx, client, cfg)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range append(models.Primary.Notices, models.SmallFast.Notices...) {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}

	allowed := []string{cfg.ProjectRoot}
	for _, d := range cfg.Permissions.AdditionalDirectories {
		allowed = append(allowed, d.Value)
	}
	mode, err := permission.ParseMode(cfg.Permissions.DefaultMode.Value)
	if err != nil {
		return nil, nil, &UsageError{Err: err}
	}
	checker, err := permission.New(permission.Options{
		Mode: mode, Allow: cfg.Permissions.Allow, Ask: cfg.Permissions.Ask, Deny: cfg.Permissions.Deny,
		ProjectRoot: cfg.ProjectRoot, AdditionalDirs: dirValues(cfg.Permissions.AdditionalDirectories),
		Home: cfg.Getenv("HOME"), ConfigHome: cfg.Getenv("XDG_CONFIG_HOME"), StateDir: cfg.StateDir,
		Headless: setup.Headless,
	})
	if err != nil {
		return nil, nil, &UsageError{Err: err, Hint: "fix the permission rules; `basalt config show` says where each comes from"}
	}
	if setup.Checker != nil {
		setup.Checker(checker)
	}
	// The checker is the search tools' read policy: Grep, Glob and LS
	// leave out what a Read deny rule covers.
	ts, err := tool.NewSession(tool.SessionOptions{WorkDir: cfg.WorkDir, AllowedDirs: allowed, Env: cfg.CommandEnv(), ReadPolicy: checker, Supervisor: a.supervisor})
	if err != nil {
		return nil, nil, err
	}
	if cfg.BashEnvironment.Value == config.BashEnvClean && a.scrubProcess {
		// What the commands must not have, they must not read back from
		// basalt's process either (protectProcess did basalt's own
		// secrets at start).
		if err := scrubProcessEnv(cfg.DroppedFromCommands()); err != nil {
			on(agent.Event{Kind: agent.EventNotice, Text: "the agent's commands may be able to read AWS credentials from basalt's process: " + err.Error()})
		}
	}
	tools := setup.Tools
	if tools == nil {
		tools = tool.All()
	}
	tools = scrubSecrets(tools, cfg.SecretValues())

	store := session.NewStore(cfg.StateDir, cfg.ProjectRoot)
	var resume *session.Transcript
	switch {
	case opts.Continue:
		id, err := store.Latest()
		if errors.Is(err, session.ErrNoSessions) {
			return nil, nil, usageErrorf("start one with `basalt -p PROMPT`", "no earlier session in %s to continue", cfg.ProjectRoot)
		}
		if err != nil {
			return nil, nil, err
		}
		opts.Resume = id
		fallthrough
	case opts.Resume != "":
		t, err := store.Load(opts.Resume)
		if err != nil {
			return nil, nil, &UsageError{Err: err, Hint: "`basalt -c` continues the most recent session"}
		}
		for _, w := range t.Warnings {
			on(agent.Event{Kind: agent.EventNotice, Text: w})
		}
		resume = t
	}

	s, err := agent.New(ctx, agent.Options{
		Client: client, Models: models, Tools: tools, ToolSession: ts, Permissions: checker, Ask: setup.Ask,
		Store: store, Resume: resume, Fork: opts.ForkSession,
		WorkDir: cfg.WorkDir, ProjectRoot: cfg.ProjectRoot, UserMemory: userMemory(cfg),
		MaxTurns: opts.MaxTurns, MaxBudgetUSD: opts.MaxBudgetUSD, ContextWindow: contextWindow(cfg),
		Provider: string(cfg.Provider.Value), Region: cfg.Region.Value, Version: currentVersion().Version,
		Log: a.Log,
	})
	if errors.Is(err, session.ErrLocked) && resume != nil {
		ts.Close()
		// Exit code 2, like -r with an unknown ID: nothing ran, and the
		// request must change (another session, or --fork-session).
		return nil, nil, &UsageError{
			Err:  fmt.Errorf("session %s is in use by another basalt process", resume.Meta.ID),
			Hint: fmt.Sprintf("wait until it ends, or continue its conversation in a new session with `basalt -r %s --fork-session` (the original stays untouched)", resume.Meta.ID),
		}
	}
	if err != nil {
		ts.Close()
		return nil, nil, err
	}
	return s, cfg, nil
}

func dirValues(vs []config.Value[string]) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Value
	}
	return out
}

// userMemory are the user-level instruction files, basalt's then Claude
// Code's.
func userMemory(cfg *config.Config) []string {
	home := cfg.Getenv("HOME")
	xdg := cfg.Getenv("XDG_CONFIG_HOME")
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	var out []string
	if xdg != "" {
		out = append(out, filepath.Join(xdg, "basalt", "BASALT.md"))
	}
	if home != "" {
		out = append(out, filepath.Join(home, ".claude", "CLAUDE.md"))
	}
	return out
}

func contextWindow(cfg *config.Config) int { return cfg.MaxContextTokens.Value }

// runHeadless is basalt -p.
func runHeadless(ctx context.Context, app *App, opts *rootOptions) error {
	prompt, err := app.prompt(opts)
	if err != nil {
		return err
	}
	start := time.Now()
	p := headless.New(headless.Options{Format: opts.OutputFormat, Out: app.IO.Out, Err: app.IO.ErrOut, Verbose: app.Flags.Verbose})
	// Metrics (off unless configured) see the printer's events on their way.
	tel := app.startTelemetry(ctx)
	defer app.stopTelemetry(ctx, tel)
	obs := tel.Observe(ctx, p.Event)
	s, cfg, err := app.newAgent(ctx, opts, agentSetup{Headless: true}, obs.Event)
	if err != nil {
		return err
	}
	defer s.Close()
	tel.Begin(ctx, s.ID(), s.Model().ID)
	names := make([]string, 0)
	for _, t := range tool.All() {
		names = append(names, t.Name())
	}
	p.Start(headless.Init{SessionID: s.ID(), Model: s.Model().ID, WorkDir: cfg.WorkDir, Tools: names,
		PermissionMode: cfg.Permissions.DefaultMode.Value, Version: currentVersion().Version})

	obs.RequestStarted()
	res, runErr := s.Run(ctx, prompt, obs.Event)
	obs.Finish(runErr)
	usage, total := s.Usage()
	sum := headless.Summary{
		Subtype: "success", SessionID: s.ID(), Duration: time.Since(start), APIDuration: s.APITime(),
		Cost: total, Model: s.Model().ID, Usage: usage, Err: runErr,
	}
	if res != nil {
		sum.Result, sum.Turns = res.Text, res.Requests
	}
	var limit *agent.LimitError
	switch {
	case errors.As(runErr, &limit) && limit.Kind == agent.LimitTurns:
		sum.Subtype = "error_max_turns"
	case errors.As(runErr, &limit):
		sum.Subtype = "error_max_budget"
	case runErr != nil:
		sum.Subtype = "error_during_execution"
	}
	p.Finish(sum)
	app.cleanupSessions(cfg)
	if runErr == nil && res != nil && res.Guardrail {
		return &guardrailError{}
	}
	return runErr
}

// cleanupSessions applies cleanupPeriodDays after a run, when the answer
// is already out, so that start-up never waits on it. Problems are logged:
// a transcript that could not be removed is not the user's emergency.
func (a *App) cleanupSessions(cfg *config.Config) {
	days := cfg.CleanupPeriodDays.Value
	if days <= 0 {
		return
	}
	store := session.NewStore(cfg.StateDir, cfg.ProjectRoot)
	n, err := store.Cleanup(time.Duration(days) * 24 * time.Hour)
	if err != nil || n > 0 {
		a.Log.Info("old sessions removed", "removed", n, "err", err)
	}
}

// guardrailError ends a headless run whose answer a guardrail replaced:
// the output is printed, and the exit code says it was not an answer.
type guardrailError struct{}

func (*guardrailError) Error() string {
	return "a Bedrock guardrail blocked the request; the text above is the guardrail's message, not the model's"
}
