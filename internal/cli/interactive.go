package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/telemetry"
	"github.com/basalt-dev/basalt/internal/tool"
	"github.com/basalt-dev/basalt/internal/tui"
)

// runInteractive is basalt with no prompt: the terminal UI.
func runInteractive(ctx context.Context, app *App, opts *rootOptions) error {
	if !app.IO.StdinIsTTY || !app.IO.StdoutIsTTY {
		return usageErrorf("for a run without a terminal use `basalt -p PROMPT` (the prompt may come on stdin)",
			"the interactive session needs a terminal, and stdin or stdout is not one")
	}
	sender := &tui.Sender{}
	// Metrics (off unless configured) see every turn's events; the last
	// ones are sent after the session closes, once the terminal is back.
	tel := app.startTelemetry(ctx)
	defer app.stopTelemetry(ctx, tel)
	b, notices, err := newTUIBackend(ctx, app, opts, sender, tel)
	if err != nil {
		return err
	}
	defer b.close()
	if t := app.Config.Trust; t.Ignored() {
		notices = append([]string{trustNotice(t)}, notices...)
	}
	info := b.Info()
	hist, _ := tui.LoadHistory(info.HistoryFile) // an unreadable history is an empty one
	return tui.Run(ctx, tui.Options{
		Backend: b, Info: info, History: hist, Notices: notices, Prompt: opts.Prompt,
		NoColor: app.Env["NO_COLOR"] != "", Version: currentVersion().Version,
	}, sender, app.IO.In, app.IO.Out)
}

// tuiBackend is the TUI's view of the session: it implements tui.Backend
// over agent.Session and rebuilds the session for /clear and /resume.
type tuiBackend struct {
	app     *App
	opts    rootOptions
	client  *provider.Client
	auth    *awsauth.Auth // nil off Bedrock
	ask     func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error)
	display *displays
	tel     *telemetry.Recorder // nil: no metrics

	mu        sync.Mutex // guards the fields below against /status during a turn
	s         *agent.Session
	cfg       *config.Config
	checker   *permission.Checker
	modelName string
	ctxUsed   int
}

func newTUIBackend(ctx context.Context, app *App, opts *rootOptions, sender *tui.Sender, tel *telemetry.Recorder) (*tuiBackend, []string, error) {
	client, auth, err := app.newProviderAuth(ctx, tui.RefreshOutput(sender.Send))
	if err != nil {
		return nil, nil, err
	}
	b := &tuiBackend{app: app, opts: *opts, client: client, auth: auth, ask: tui.NewAsker(sender.Send), display: &displays{m: map[string]any{}}, tel: tel}
	notices, err := b.open(ctx, opts.Resume, opts.Continue)
	// --fork-session is about the session named on the command line, not
	// about later /resume commands.
	b.opts.ForkSession = false
	return b, notices, err
}

// open builds the agent session (resuming resumeID, or the latest with
// cont) and returns the notices it produced. Each session it opens (the
// first, then one per /clear or /resume) is counted by the metrics.
func (b *tuiBackend) open(ctx context.Context, resumeID string, cont bool) ([]string, error) {
	o := b.opts
	o.Resume, o.Continue = resumeID, cont
	var notices []string
	var checker *permission.Checker
	s, cfg, err := b.app.newAgent(ctx, &o, agentSetup{
		Ask: b.ask, Client: b.client, Tools: b.display.wrap(tool.All()),
		Checker: func(c *permission.Checker) { checker = c },
	}, func(ev agent.Event) {
		if ev.Kind == agent.EventNotice {
			notices = append(notices, ev.Text)
		}
	})
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.s != nil {
		b.s.Close()
	}
	b.s, b.cfg, b.checker, b.ctxUsed = s, cfg, checker, 0
	if b.modelName == "" {
		b.modelName = cfg.Model.Value
	}
	b.tel.Begin(ctx, s.ID(), s.Model().ID)
	return notices, nil
}

func (b *tuiBackend) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.s != nil {
		b.s.Close()
	}
}

func (b *tuiBackend) session() *agent.Session {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.s
}

// Run runs a prompt, putting back each result's Display, which the agent
// does not forward, from what the wrapped tools saw. The metrics observe
// the events on their way to the program.
func (b *tuiBackend) Run(ctx context.Context, prompt string, on func(agent.Event)) error {
	obs := b.tel.Observe(ctx, b.forward(on))
	obs.RequestStarted()
	_, err := b.session().Run(ctx, prompt, obs.Event)
	obs.Finish(err)
	return err
}

func (b *tuiBackend) Compact(ctx context.Context, on func(agent.Event)) error {
	obs := b.tel.Observe(ctx, b.forward(on))
	obs.RequestStarted()
	err := b.session().Compact(ctx, obs.Event)
	obs.Finish(err)
	return err
}

func (b *tuiBackend) forward(on func(agent.Event)) func(agent.Event) {
	return func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventToolEnd:
			if ev.Result != nil && ev.Result.Display == nil {
				ev.Result.Display = b.display.take(ev.Tool.Name, ev.Tool.Input)
			}
		case agent.EventUsage:
			b.mu.Lock()
			b.ctxUsed = ev.Usage.Turn.TotalInput()
			b.mu.Unlock()
		}
		on(ev)
	}
}

func (b *tuiBackend) Info() tui.Info {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, cfg := b.s, b.cfg
	m := s.Model()
	u, c := s.Usage()
	name := b.modelName
	if (name == "" || name == m.ID) && m.Model != nil {
		name = string(m.Model.Family)
	}
	info := tui.Info{
		SessionID: s.ID(), Model: name, ModelID: m.ID,
		Provider: string(cfg.Provider.Value), Region: cfg.Region.Value,
		Window: 200_000, ContextUsed: b.ctxUsed,
		Usage: u, Cost: c, Savings: s.Savings(), MaxBudgetUSD: b.opts.MaxBudgetUSD,
		LocalSettings: localSettingsPath(cfg),
		HistoryFile:   filepath.Join(cfg.StateDir, "history.jsonl"),
		WorkDir:       cfg.WorkDir,
	}
	if m.Model != nil {
		info.ModelName = m.Model.Name
		info.Window = m.Model.ContextWindow
		if m.LongContext && m.Model.LongContext > 0 {
			info.Window = m.Model.LongContext
		}
	}
	if w := contextWindow(cfg); w > 0 {
		info.Window = w
	}
	for kind, rules := range map[string][]config.Rule{"allow": cfg.Permissions.Allow, "ask": cfg.Permissions.Ask, "deny": cfg.Permissions.Deny} {
		for _, r := range rules {
			info.Rules = append(info.Rules, tui.Rule{Kind: kind, Rule: r.String(), Source: ruleSource(r, cfg.WorkDir)})
		}
	}
	return info
}

func ruleSource(r config.Rule, wd string) string {
	if r.Source.Name != "" && filepath.IsAbs(r.Source.Name) {
		if rel, err := filepath.Rel(wd, r.Source.Name); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return r.Source.String()
}

// localSettingsPath is the local settings file in effect: basalt's, or
// Claude Code's when only that one exists (writing basalt's would hide
// it), else basalt's to be created.
func localSettingsPath(cfg *config.Config) string {
	for _, f := range cfg.Files {
		if f.Level == config.LevelLocal && f.Status == config.StatusLoaded {
			return f.Path
		}
	}
	return filepath.Join(cfg.ProjectRoot, ".basalt", "settings.local.json")
}

func (b *tuiBackend) Reset(ctx context.Context, resumeID string) (tui.Info, error) {
	// The session this process has open is locked by it: resuming it
	// again would be refused as in use, so it simply stays.
	if cur := b.session(); cur != nil && resumeID != "" {
		b.mu.Lock()
		cfg := b.cfg
		b.mu.Unlock()
		if id, err := session.NewStore(cfg.StateDir, cfg.ProjectRoot).Resolve(resumeID); err == nil && id == cur.ID() {
			info := b.Info()
			info.Notices = []string{"already in session " + cur.ID()}
			return info, nil
		}
	}
	notices, err := b.open(ctx, resumeID, false)
	if err != nil {
		return tui.Info{}, err
	}
	info := b.Info()
	info.Notices = notices
	return info, nil
}

func (b *tuiBackend) SetModel(ctx context.Context, name string) (tui.Info, error) {
	b.mu.Lock()
	c := *b.cfg
	b.mu.Unlock()
	c.Model = config.Value[string]{Value: name, Set: true, Source: config.Source{Kind: config.SourceFlag, Name: "/model"}}
	models, err := provider.ResolveModels(ctx, b.client, &c)
	if err != nil {
		return tui.Info{}, err
	}
	b.session().SetModel(models.Primary)
	b.mu.Lock()
	b.modelName = name
	b.mu.Unlock()
	info := b.Info()
	info.Notices = models.Primary.Notices
	return info, nil
}

// Models are the aliases, resolved as /model would, then the Anthropic
// inference profiles the region shows.
func (b *tuiBackend) Models(ctx context.Context) ([]tui.ModelChoice, error) {
	b.mu.Lock()
	cfg := b.cfg
	b.mu.Unlock()
	var out []tui.ModelChoice
	for _, fam := range model.Families {
		c := *cfg
		c.Model = config.Value[string]{Value: string(fam), Set: true}
		if ms, err := provider.ResolveModels(ctx, nil, &c); err == nil {
			out = append(out, tui.ModelChoice{Name: string(fam), Detail: ms.Primary.ID})
		}
	}
	if cfg.Provider.Value != config.ProviderBedrock {
		return out, nil
	}
	profiles, err := b.client.ListProfiles(ctx, cfg.Region.Value)
	if err != nil {
		return out, fmt.Errorf("list the inference profiles of %s: %w", cfg.Region.Value, err)
	}
	for _, p := range profiles {
		if strings.Contains(p.ID, "anthropic.") || strings.Contains(p.FoundationModelID(), "anthropic.") {
			out = append(out, tui.ModelChoice{Name: p.ID, Detail: p.Name})
		}
	}
	return out, nil
}

func (b *tuiBackend) Sessions() ([]session.Summary, error) {
	b.mu.Lock()
	cfg := b.cfg
	b.mu.Unlock()
	return session.NewStore(cfg.StateDir, cfg.ProjectRoot).List()
}

// AddRule adds a rule to the running session's checker.
func (b *tuiBackend) AddRule(kind, rule string) error {
	r, err := config.ParseRule(rule)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.checker.AddRule(permission.Behavior(kind), r)
}

// RemoveRule removes a rule from the running session's checker, wherever
// it came from; the checker refuses one of the managed policy.
func (b *tuiBackend) RemoveRule(kind, rule string) error {
	r, err := config.ParseRule(rule)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.checker.RemoveRule(permission.Behavior(kind), r)
}

// Status is /status: where the session's settings come from.
func (b *tuiBackend) Status(ctx context.Context) []tui.Field {
	b.mu.Lock()
	cfg, s := b.cfg, b.s
	b.mu.Unlock()
	m := s.Model()
	f := []tui.Field{
		{Label: "session", Value: s.ID()},
		{Label: "provider", Value: string(cfg.Provider.Value)},
	}
	if cfg.Provider.Value == config.ProviderBedrock {
		f = append(f, tui.Field{Label: "region", Value: cfg.Region.Value + " (" + cfg.Region.Source.String() + ")"})
		cred := "unknown"
		if a := b.auth; a != nil {
			if src, err := a.Source(ctx); err != nil {
				cred = "error: " + err.Error()
			} else {
				cred = src
			}
		}
		f = append(f, tui.Field{Label: "credentials", Value: cred})
		if cfg.BedrockBaseURL.Value != "" {
			f = append(f, tui.Field{Label: "endpoint", Value: cfg.BedrockBaseURL.Value})
		}
	}
	f = append(f, tui.Field{Label: "model", Value: m.ID + " (" + m.Source + ")"})
	caching := "on, 5-minute TTL"
	switch {
	case cfg.DisablePromptCaching.Value:
		caching = "off (DISABLE_PROMPT_CACHING)"
	case cfg.PromptCaching1H.Value:
		caching = "on, 1-hour TTL (ENABLE_PROMPT_CACHING_1H)"
	}
	f = append(f, tui.Field{Label: "prompt caching", Value: caching})
	var headers []string
	for _, h := range cfg.CustomHeaders.Value {
		headers = append(headers, h.Name+": "+config.RedactHeader(h.Name, h.Value))
	}
	if len(headers) == 0 {
		headers = []string{"none"}
	}
	f = append(f, tui.Field{Label: "custom headers", Value: strings.Join(headers, ", ")})
	f = append(f, tui.Field{Label: "permission mode", Value: cfg.Permissions.DefaultMode.Value})
	f = append(f, tui.Field{Label: "bash environment", Value: cfg.BashEnvironment.Value + " (" + cfg.BashEnvironment.Source.String() + ")"})
	for _, file := range cfg.Files {
		if file.Status == config.StatusLoaded {
			f = append(f, tui.Field{Label: "settings", Value: file.Path})
		}
	}
	// Every value goes through the one rule: an endpoint may carry a
	// password, a credential error may quote a URL.
	for i := range f {
		f[i].Value = config.RedactText(f[i].Value)
	}
	return f
}

// Doctor runs `basalt doctor` into a buffer.
func (b *tuiBackend) Doctor(ctx context.Context) (string, bool) {
	var buf bytes.Buffer
	app := *b.app
	app.IO = &IOStreams{Out: &buf, ErrOut: &buf}
	if err := runDoctor(ctx, &app, &doctorOptions{}); err != nil && err != errReported {
		fmt.Fprintf(&buf, "%v\n", err)
	}
	return strings.TrimRight(buf.String(), "\n"), true
}

// displays keeps the Display of the latest result of each call, keyed by
// tool and input, until the event that ends the call takes it. The agent
// runs such calls one at a time, so the key is unambiguous.
type displays struct {
	mu sync.Mutex
	m  map[string]any
}

func (d *displays) wrap(tools []tool.Tool) []tool.Tool {
	out := make([]tool.Tool, len(tools))
	for i, t := range tools {
		out[i] = displayTool{Tool: t, d: d}
	}
	return out
}

func (d *displays) take(name string, input json.RawMessage) any {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := name + "\x00" + string(input)
	v := d.m[k]
	delete(d.m, k)
	return v
}

type displayTool struct {
	tool.Tool
	d *displays
}

func (t displayTool) Run(ctx context.Context, s *tool.Session, input json.RawMessage) (tool.Result, error) {
	r, err := t.Tool.Run(ctx, s, input)
	if r.Display != nil {
		t.d.mu.Lock()
		t.d.m[t.Name()+"\x00"+string(input)] = r.Display
		t.d.mu.Unlock()
	}
	return r, err
}

var _ tui.Backend = (*tuiBackend)(nil)
