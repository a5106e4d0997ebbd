package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/editdist"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/outputstyle"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/skills"
	"github.com/basalt-dev/basalt/internal/slashcmd"
	"github.com/basalt-dev/basalt/internal/tool"
)

// extensions are a conversation's custom commands, skills and output
// style (internal/slashcmd/WIRING.md §1). They are loaded when a
// conversation opens, so a /clear picks up a new file, as Claude Code
// reads them once per session and after /clear.
type extensions struct {
	set    *slashcmd.Set
	styles []outputstyle.Style
	style  outputstyle.Style
	budget int

	// What running a `!` line or reading an @file needs.
	checker  *permission.Checker
	ts       *tool.Session
	headless bool
	ask      func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error)
	workDir  string
	secrets  []string
}

// CommandInfo is one custom command or skill as /help and completion
// show it.
type CommandInfo struct {
	Name         string
	Usage        string // "/review [path]"
	Description  string
	ArgumentHint string
	Label        string // "(project)", "(user)", "(project:frontend)"
	Skill        bool
	// TakesArgs is false when the prompt uses no argument at all, so
	// completion can run it on Enter.
	TakesArgs bool
}

// StyleInfo is one output style /output-style offers.
type StyleInfo struct {
	Name, Description string
	Builtin           bool
}

// loadExtensions reads the commands, skills and styles cfg's session may
// use. In a folder whose project settings the user did not trust, only
// the user's own directories are read: a project `!` line must not run
// (even behind a question) in a folder nobody trusted. Every problem is
// a notice naming its file; none stops the session.
func loadExtensions(cfg *config.Config) (*extensions, []string) {
	root := cfg.ProjectRoot
	if cfg.Trust.Ignored() {
		root = ""
	}
	paths := slashcmd.PathsFromEnv(root, cfg.Getenv)
	sk, w1 := skills.Load(paths.Dirs("skills"))
	cmds, w2 := slashcmd.LoadCommands(paths.Dirs("commands"))
	var dropped []error
	if !cfg.Trust.Explicit {
		dropped = append(dropProjectGrants(sk), dropProjectGrants(cmds)...)
	}
	styles, w3 := outputstyle.Load(paths.Dirs("output-styles"))
	var notices []string
	for _, w := range append(append(w1, w2...), w3...) {
		notices = append(notices, w.Error())
	}
	for _, d := range dropped {
		notices = append(notices, d.Error())
	}
	e := &extensions{set: slashcmd.NewSet(sk, cmds), styles: styles}
	var err error
	if e.style, err = outputstyle.Resolve(styles, cfg.OutputStyle.Value); err != nil {
		notices = append(notices, fmt.Sprintf("outputStyle (%s): %v", cfg.OutputStyle.Source, err))
	}
	if e.budget, err = skills.BudgetFromEnv(cfg.Getenv); err != nil {
		notices = append(notices, err.Error())
	}
	if _, omitted := skills.Listing(e.set, e.budget); omitted > 0 {
		// The user should know why the model never picks one of them.
		notices = append(notices, fmt.Sprintf("%d skills and commands are not listed to the model: the listing is limited to %d characters (%s)", omitted, e.budget, skills.BudgetEnv))
	}
	return e, notices
}

// dropProjectGrants removes the allowed-tools of the repository's own
// commands and skills, in a folder the user has not trusted: a file a
// cloned repository ships must not grant itself permissions (a `!` line
// that runs unasked, or a skill the model loads that allows Bash). Their
// prompts still work, and what they run is checked, and asked, as any
// call. It returns one notice per command that lost a grant.
func dropProjectGrants(cmds []slashcmd.Command) []error {
	var out []error
	for i := range cmds {
		c := &cmds[i]
		if c.Scope != slashcmd.ScopeProject || len(c.AllowedTools) == 0 {
			continue
		}
		out = append(out, fmt.Errorf("%s: allowed-tools (%s) not applied: the repository's commands and skills grant permissions only in a folder you trust (`basalt trust`, or --trust for one run); what it runs is asked as usual", c.Path, strings.Join(c.AllowedTools, ", ")))
		c.AllowedTools = nil
	}
	return out
}

// agentExtensions is what the agent places in the conversation.
func (e *extensions) agentExtensions(ctx context.Context, client *provider.Client, cfg *config.Config) agent.Extensions {
	listing, _ := skills.Listing(e.set, e.budget)
	ax := agent.Extensions{SkillListing: listing}
	if !e.style.IsDefault() {
		adj := e.style.Adjustment()
		ax.Style = &adj
	}
	ax.ResolveModel = func(name string) (model.Resolved, error) {
		c := *cfg
		c.Model = config.Value[string]{Value: name, Set: true, Source: config.Source{Kind: config.SourceFlag, Name: "model of a command"}}
		ms, err := ResolveModels(ctx, client, &c)
		if err != nil {
			return model.Resolved{}, err
		}
		return ms.Primary, nil
	}
	return ax
}

// offersSkillTool: the Skill tool is offered only when there is something
// for the model to load (Claude Code always has built-in skills; basalt
// has none, and a tool with nothing behind it would only cost tokens).
func (e *extensions) offersSkillTool() bool {
	return e != nil && len(e.set.ModelInvocable()) > 0
}

// skillTool is the Skill tool of this conversation; each call gets the
// runner of the skill it loads, so the skill's own allowed-tools count
// for its `!` lines.
type skillTool struct {
	skills.Tool
	e *extensions
}

func (t skillTool) Run(ctx context.Context, ts *tool.Session, input json.RawMessage) (tool.Result, error) {
	var in skills.Input
	_ = json.Unmarshal(input, &in)
	opts := slashcmd.Options{}
	if c, ok := t.e.set.Lookup(strings.TrimPrefix(strings.TrimSpace(in.Skill), "/")); ok {
		opts.Run = t.e.runner(c)
	}
	return skills.NewTool(t.e.set, opts).Run(ctx, ts, input)
}

// runner runs one `!` line of c's prompt as the Bash tool would, behind
// the same permission check, with c's allowed-tools added for that
// decision only. Headless, a line that would ask is refused (the checker
// says so); interactive, the user is asked as for the model's calls.
func (e *extensions) runner(c *slashcmd.Command) slashcmd.Runner {
	return func(ctx context.Context, command string) (string, error) {
		in, _ := json.Marshal(map[string]string{"command": command})
		d := e.decide(c, permission.Request{Tool: "Bash", Input: in, WorkDir: e.workDir})
		switch d.Behavior {
		case permission.Deny:
			return "", fmt.Errorf("%w: %s", slashcmd.ErrDenied, d.Reason)
		case permission.Ask:
			if e.ask == nil || e.headless {
				return "", fmt.Errorf("%w: %s (nobody to ask)", slashcmd.ErrDenied, d.Reason)
			}
			a, err := e.ask(ctx, &agent.ToolCall{ID: "command-" + c.Name, Name: "Bash", Input: in}, d)
			if err != nil {
				return "", err
			}
			if !a.Allow {
				return "", fmt.Errorf("%w: you refused it", slashcmd.ErrDenied)
			}
		}
		res, err := tool.Bash{}.Run(ctx, e.ts, in)
		if err != nil {
			return "", err
		}
		out := scrubText(res.Content, e.secrets)
		if res.IsError {
			return "", errors.New(strings.TrimSpace(out))
		}
		return out, nil
	}
}

// decide is the checker's decision with c's allowed-tools as extra allow
// rules. They are added and removed around this one decision: commands
// run between turns, when the model makes no calls.
func (e *extensions) decide(c *slashcmd.Command, req permission.Request) permission.Decision {
	var added []config.Rule
	for _, text := range c.AllowedTools {
		r, err := config.ParseRule(text)
		if err != nil {
			continue
		}
		r.Source = config.Source{Kind: config.SourceFlag, Name: "allowed-tools of " + c.Path}
		if e.checker.AddRule(permission.Allow, r) == nil {
			added = append(added, r)
		}
	}
	defer func() {
		for _, r := range added {
			_ = e.checker.RemoveRule(permission.Allow, r)
		}
	}()
	return e.checker.Decide(req)
}

// reader reads an @file mention as the Read tool would show it, behind
// the Read permission check; an error leaves the mention as text.
func (e *extensions) reader(c *slashcmd.Command) slashcmd.Reader {
	return func(ctx context.Context, path string) (string, error) {
		in, _ := json.Marshal(map[string]string{"file_path": e.abs(path)})
		if d := e.decide(c, permission.Request{Tool: "Read", Input: in, WorkDir: e.workDir}); d.Behavior != permission.Allow {
			return "", fmt.Errorf("%w: %s", slashcmd.ErrDenied, d.Reason)
		}
		res, err := tool.Read{}.Run(ctx, e.ts, in)
		if err != nil {
			return "", err
		}
		if res.IsError {
			return "", errors.New(res.Content)
		}
		return scrubText(res.Content, e.secrets), nil
	}
}

func (e *extensions) abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(e.workDir, path)
}

// Invocation is a user's /command expanded: the content of the user
// message that runs it, and what it grants for that turn.
type Invocation struct {
	Expansion slashcmd.Expansion
	Blocks    []anthropic.ContentBlockParamUnion
}

// ExpandCommand expands a "/name args" line typed by the user. ok is
// false when the line names no custom command or skill (a built-in, a
// plain prompt or an unknown name: see [Session.UnknownCommand]). A
// `!` line that is refused or fails is a *slashcmd.ShellError, and then
// nothing is to be sent.
func (s *Session) ExpandCommand(ctx context.Context, line string) (inv Invocation, ok bool, err error) {
	e := s.extensions()
	name, _, parsed := slashcmd.ParseInvocation(line)
	if !parsed {
		return Invocation{}, false, nil
	}
	c, found := e.set.Lookup(name)
	if !found {
		return Invocation{}, false, nil
	}
	opts := slashcmd.Options{Run: e.runner(c), Read: e.reader(c), SessionID: s.ID()}
	exp, ok, err := e.set.ExpandInput(ctx, line, opts)
	if err != nil || !ok {
		return Invocation{}, ok, err
	}
	return Invocation{Expansion: exp, Blocks: e.blocks(exp)}, true, nil
}

// blocks is the user message of an invoked command as Claude Code 2.1.197
// sends it (WIRING.md §5): each attachment as a Read call and its result,
// then the header naming the command, then the prompt.
func (e *extensions) blocks(exp slashcmd.Expansion) []anthropic.ContentBlockParamUnion {
	var out []anthropic.ContentBlockParamUnion
	for _, a := range exp.Attachments {
		in, _ := json.Marshal(map[string]string{"file_path": e.abs(a.Path)})
		out = append(out,
			anthropic.NewTextBlock("<system-reminder>\nCalled the Read tool with the following input: "+string(in)+"\n</system-reminder>"),
			anthropic.NewTextBlock("<system-reminder>\nResult of calling the Read tool:\n"+a.Content+"\n</system-reminder>"))
	}
	return append(out, anthropic.NewTextBlock(exp.Header()), anthropic.NewTextBlock(exp.Prompt))
}

// RunCommand runs an expanded command as one turn, with its
// allowed-tools and model for that turn only.
func (s *Session) RunCommand(ctx context.Context, inv Invocation, on func(agent.Event)) (*agent.Result, error) {
	c := inv.Expansion.Command
	for _, n := range s.current().Grant(c.Path, inv.Expansion.AllowedTools, inv.Expansion.Model) {
		if on != nil {
			on(agent.Event{Kind: agent.EventNotice, Text: n})
		}
	}
	return s.RunContent(ctx, inv.Blocks, on)
}

// IsCommand reports whether name (without the slash) is a custom command
// or skill of this session.
func (s *Session) IsCommand(name string) bool {
	_, ok := s.extensions().set.Lookup(name)
	return ok
}

// UnknownCommand is the error for a /name nothing answers to, with the
// near names among the custom commands and skills and extra (the
// frontend's built-ins).
func (s *Session) UnknownCommand(name string, extra ...string) error {
	err := s.extensions().set.Unknown(name)
	var u *slashcmd.ErrUnknown
	if errors.As(err, &u) {
		for _, x := range extra {
			if near(name, x) {
				u.Similar = append(u.Similar, x)
			}
		}
	}
	return err
}

func (s *Session) extensions() *extensions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ext
}

// fillInfo adds the extensions to a session snapshot.
func (e *extensions) fillInfo(info *Info) {
	if e == nil {
		return
	}
	info.SlashCommands = e.set.InitSlashCommands()
	info.Skills = e.set.InitSkills()
	info.OutputStyle = e.style.Name
	for _, c := range e.set.UserInvocable() {
		info.Commands = append(info.Commands, CommandInfo{
			Name: c.Name, Usage: c.Usage(), Description: c.Description, ArgumentHint: c.ArgumentHint,
			Label: c.Label(), Skill: c.Kind == slashcmd.KindSkill,
			TakesArgs: c.ArgumentHint != "" || len(c.Arguments) > 0 || strings.Contains(c.Body, "$"),
		})
	}
	for _, st := range e.styles {
		info.OutputStyles = append(info.OutputStyles, StyleInfo{Name: st.Name, Description: st.Description, Builtin: st.Builtin})
	}
	if e.offersSkillTool() {
		info.Tools = append(info.Tools, skills.ToolName)
	}
}

// SetOutputStyle writes name as the project's outputStyle in the local
// settings file (through config.SettingsFile). The style applies from the
// next conversation (/clear) on, as in Claude Code: the system prompt of
// this one stays, and with it the prompt cache. An unknown name is an
// error listing the styles.
func (s *Session) SetOutputStyle(name string) (string, error) {
	e := s.extensions()
	st, err := outputstyle.Resolve(e.styles, name)
	if err != nil {
		return "", err
	}
	path := s.LocalSettings()
	f, err := config.OpenSettings(path)
	if err != nil {
		return "", err
	}
	if err := f.Set("outputStyle", st.Name); err != nil {
		return "", err
	}
	if err := f.Save(); err != nil {
		return "", err
	}
	s.mu.Lock()
	c := *s.cfg
	c.OutputStyle = config.Value[string]{Value: st.Name, Set: true, Source: config.Source{Kind: config.SourceLocal, Name: path}}
	s.cfg = &c
	s.mu.Unlock()
	return st.Name, nil
}

// scrubText hides basalt's own secret values in text a command printed.
func scrubText(s string, secrets []string) string {
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "****")
		}
	}
	return s
}

// near is the "did you mean" test for a built-in command name, the one
// slashcmd applies to the custom names.
func near(name, candidate string) bool {
	return editdist.Levenshtein(name, candidate) <= max(1, len(name)/3)
}

// attach gives e what its runner and reader need, and adds the Skill
// tool to tools when there is a skill for the model to load.
func (e *extensions) attach(tools []tool.Tool, checker *permission.Checker, ts *tool.Session, o Options, cfg *config.Config) []tool.Tool {
	e.checker, e.ts, e.headless, e.ask = checker, ts, o.Headless, o.Ask
	e.workDir, e.secrets = cfg.WorkDir, cfg.SecretValues()
	if !e.offersSkillTool() {
		return tools
	}
	return append(tools, skillTool{Tool: skills.NewTool(e.set, slashcmd.Options{}), e: e})
}
