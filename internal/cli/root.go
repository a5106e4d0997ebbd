package cli

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/headless"
	"github.com/basalt-dev/basalt/internal/tool"
)

// Input is what Main runs with. Everything basalt takes from its process
// comes in here, so that tests and the shipped binary differ only in
// what they pass.
type Input struct {
	Args    []string // without the program name
	IO      *IOStreams
	Environ []string // "K=V" pairs, as os.Environ returns them
	// WorkDir is the working directory; "" means the process's.
	WorkDir string
	// ManagedPaths are the managed-policy files; nil means
	// config.DefaultManagedPaths. Tests point them into their sandbox.
	ManagedPaths []string
}

// Main runs basalt with in and returns the exit code. It is the only
// place that prints an error.
func Main(ctx context.Context, in Input) (code int) {
	// basalt re-executed as the supervisor of a command's process tree
	// (tool.SelfSupervisor) never gets here: package supervise runs it from
	// its init function, before the rest of the program is initialised.
	if code, ok := sandboxBridge(in.Args); ok {
		return code
	}
	wd := in.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			fmt.Fprintf(in.IO.ErrOut, "basalt: working directory: %v\n", err)
			return ExitFailure
		}
	}
	app := &App{IO: in.IO, Env: envMap(in.Environ), WorkDir: wd, ManagedPaths: in.ManagedPaths, scrubProcess: true, supervisor: tool.SelfSupervisor()}
	if err := protectProcess(app.Env); err != nil {
		fmt.Fprintf(in.IO.ErrOut, "basalt: warning: the agent's commands may be able to read basalt's own secrets from its process: %v\n", err)
	}
	return run(ctx, app, in.Args)
}

func run(ctx context.Context, app *App, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(app.IO.ErrOut, "basalt: internal error: %v\n%s\nplease report this with the output above\n", r, debug.Stack())
			code = ExitFailure
		}
	}()
	root := newRootCmd(app, nil)
	root.SetArgs(expandVariadic(args))
	root.SetIn(app.IO.In)
	root.SetOut(app.IO.Out)
	root.SetErr(app.IO.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	// A signal ends a session as "interrupted", but it is the normal way
	// to stop a server, whose command says so with this annotation.
	if err == nil && ctx.Err() != nil && cmd.Annotations[annotationStopsOnSignal] == "" {
		err = ctx.Err()
	}
	if err != nil {
		printError(app.IO.ErrOut, err)
	}
	return exitCode(err)
}

// annotationStopsOnSignal marks commands for which SIGINT or SIGTERM is
// the normal way to end (servers): they exit 0 after a clean shutdown.
const annotationStopsOnSignal = "basalt/stops-on-signal"

// rootOptions are the flags of the agent itself (basalt and basalt -p).
type rootOptions struct {
	Print        bool
	OutputFormat string
	MaxTurns     int
	MaxBudgetUSD float64
	Continue     bool
	Resume       string
	ForkSession  bool
	Prompt       string

	Version bool // --version, -v: Claude Code's spelling of `basalt version`

	SessionID            string
	NoSessionPersistence bool
	// RewindFiles is --rewind-files N: restore the files of the resumed
	// session to before prompt N and exit (rewindfiles.go).
	RewindFiles string

	// The system prompt flags; the *File ones are read in validate into
	// SystemPrompt and AppendSystemPrompt.
	SystemPrompt           string
	SystemPromptFile       string
	AppendSystemPrompt     string
	AppendSystemPromptFile string
	// Claude Code's headless extras (issue 13): stdin as a stream of
	// messages, structured output, a model for overload.
	InputFormat   string
	JSONSchema    string
	FallbackModel string
	// Agents is --agents: agent types for this run, as JSON.
	Agents string
	// PartialMessages: stream-json carries the model's raw stream events.
	PartialMessages bool
}

// OutputFormats are the values of --output-format.
var OutputFormats = []string{"text", "json", "stream-json"}

func newRootCmd(app *App, runF func(context.Context, *App, *rootOptions) error) *cobra.Command {
	opts := &rootOptions{}
	var maxBudget string
	cmd := &cobra.Command{
		Use:   "basalt [PROMPT]",
		Short: "A terminal coding agent for Claude on Amazon Bedrock",
		Long: `basalt: a terminal coding agent for Claude on Amazon Bedrock.

It reads and edits code and runs commands in your repository, talking to
Claude through Amazon Bedrock (or the Anthropic API). It understands the
settings and environment variables teams already use for Claude Code on
Bedrock.

Run it with no arguments for an interactive session, or with -p for a
headless run whose result is printed to stdout.`,
		Example: `  basalt                                  interactive session
  basalt -p "explain this repository"     headless, result on stdout
  git diff | basalt -p "review this diff" prompt from stdin
  basalt config show                      where every setting comes from`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Version {
				return printShortVersion(app)
			}
			opts.Prompt = strings.Join(args, " ")
			// A lone word close to a command name is a typo, not a prompt.
			if len(args) == 1 && !opts.Print && len(args[0]) >= 3 && !strings.Contains(args[0], " ") {
				if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
					return usageErrorf("run `basalt --help` for the commands", "unknown command %q; did you mean %q?", args[0], s[0])
				}
			}
			if err := opts.validate(cmd, maxBudget); err != nil {
				return err
			}
			if err := opts.validateClaudeFlags(cmd, app.WorkDir); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runRoot(cmd.Context(), app, opts)
		},
	}
	cmd.SuggestionsMinimumDistance = 2
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return flagError(err)
	})
	// Claude Code spells some flags in camelCase (--allowedTools); both
	// spellings reach the same flag.
	cmd.SetGlobalNormalizationFunc(normalizeClaudeFlag)
	cmd.CompletionOptions.HiddenDefaultCmd = false

	// Flags every command shares: they shape the configuration.
	pf := cmd.PersistentFlags()
	pf.StringVar(&app.Flags.SettingsFile, "settings", "", "load an additional settings `FILE` (above local settings, below the environment)")
	pf.StringVar(&app.Flags.Model, "model", "", "model: an alias (opus, sonnet, haiku), inference-profile ID or ARN")
	pf.StringVar(&app.Flags.PermissionMode, "permission-mode", "", "permission mode: "+strings.Join(config.PermissionModes, ", "))
	pf.BoolVar(&app.Flags.DangerouslySkipPermissions, "dangerously-skip-permissions", false, "= --permission-mode bypassPermissions: no permission checks (only in a sandbox)")
	pf.StringArrayVar(&app.Flags.AllowedTools, "allowed-tools", nil, "permission `RULES` to allow, comma- or space-separated, e.g. \"Bash(go test:*),Read\" (repeatable; alias --allowedTools)")
	pf.StringArrayVar(&app.Flags.DisallowedTools, "disallowed-tools", nil, "permission `RULES` to deny (repeatable; alias --disallowedTools)")
	pf.StringArrayVar(&app.Flags.AddDirs, "add-dir", nil, "an extra `DIR` the tools may work in, like permissions.additionalDirectories (repeatable)")
	pf.StringArrayVar(&app.Flags.MCPConfigs, "mcp-config", nil, "MCP servers from a JSON `FILE` or string (repeatable)")
	pf.BoolVar(&app.Flags.StrictMCPConfig, "strict-mcp-config", false, "use only the MCP servers of --mcp-config")
	pf.BoolVar(&app.Flags.Verbose, "verbose", false, "log at debug level to the log file in the state directory; with -p, also progress on stderr (Claude Code requires it for stream-json; basalt does not)")
	pf.BoolVar(&app.TrustOnce, "trust", false, "apply the project's risky settings for this run only (see \"basalt trust\")")

	f := cmd.Flags()
	f.BoolVarP(&opts.Print, "print", "p", false, "headless: run the prompt to completion and print the result")
	f.StringVar(&opts.OutputFormat, "output-format", "text", "with -p: "+strings.Join(OutputFormats, ", "))
	f.BoolVar(&opts.PartialMessages, "include-partial-messages", false, "with -p --output-format stream-json: also print the model's stream events (stream_event lines)")
	f.IntVar(&opts.MaxTurns, "max-turns", 0, "with -p: stop after `N` agent turns (exit code 4)")
	f.StringVar(&maxBudget, "max-budget-usd", "", "stop when the session has cost `USD` (exit code 4)")
	f.BoolVarP(&opts.Continue, "continue", "c", false, "continue the most recent session of this project")
	f.StringVarP(&opts.Resume, "resume", "r", "", "resume the session with this `ID`")
	f.BoolVar(&opts.ForkSession, "fork-session", false, "with -r or -c: go on in a new session with the same history, leaving the original untouched")
	f.StringVar(&opts.SessionID, "session-id", "", "give the new session this `UUID` (with -r or -c only together with --fork-session)")
	f.BoolVar(&opts.NoSessionPersistence, "no-session-persistence", false, "with -p: write no transcript; the session cannot be resumed")
	f.StringVar(&opts.RewindFiles, "rewind-files", "", "with --resume: restore the files the model changed since before prompt `N` of that session (as /rewind shows it), then exit")
	f.StringVar(&opts.SystemPrompt, "system-prompt", "", "use `TEXT` in place of basalt's own instructions (the environment and memory files still follow)")
	f.StringVar(&opts.SystemPromptFile, "system-prompt-file", "", "--system-prompt, read from `FILE`")
	f.StringVar(&opts.AppendSystemPrompt, "append-system-prompt", "", "add `TEXT` at the end of the system prompt")
	f.StringVar(&opts.AppendSystemPromptFile, "append-system-prompt-file", "", "--append-system-prompt, read from `FILE`")
	f.BoolVarP(&opts.Version, "version", "v", false, "print the version (\"basalt version\" says more)")
	f.StringVar(&opts.InputFormat, "input-format", "", "with -p: `FORMAT` of stdin, text (the default) or stream-json: one user message a line, a turn each")
	f.StringVar(&opts.JSONSchema, "json-schema", "", "with -p: the answer must be JSON valid against this JSON `SCHEMA`; returned as structured_output")
	f.StringVar(&opts.Agents, "agents", "", "define subagent types for this run: `JSON` {\"name\": {\"description\": …, \"prompt\": …, \"tools\": [...], \"model\": …}}, as Claude Code's --agents")
	f.StringVar(&opts.FallbackModel, "fallback-model", "", "with -p: the `MODELS` (comma-separated, tried in order) a turn goes on with when the primary stays overloaded or throttled after the retries")

	_ = cmd.RegisterFlagCompletionFunc("output-format", fixedCompletion(OutputFormats))
	_ = cmd.RegisterFlagCompletionFunc("input-format", fixedCompletion(headless.InputFormats))
	_ = cmd.RegisterFlagCompletionFunc("permission-mode", fixedCompletion(config.PermissionModes))
	_ = cmd.RegisterFlagCompletionFunc("model", fixedCompletion([]string{"opus", "sonnet", "haiku"}))

	cmd.AddCommand(
		newVersionCmd(app),
		newConfigCmd(app),
		newEmulatorCmd(app, nil),
		newDoctorCmd(app, nil),
		newModelsCmd(app, nil),
		newIAMPolicyCmd(app, nil),
		newDemoCmd(app, nil),
		newUsageCmd(app, nil),
		newSetupCmd(app, nil),
		newTrustCmd(app, nil),
		newMCPCmd(app),
	)
	return cmd
}

func (o *rootOptions) validate(cmd *cobra.Command, maxBudget string) error {
	if !slices.Contains(OutputFormats, o.OutputFormat) {
		return usageErrorf("", "--output-format %q: want one of %s", o.OutputFormat, strings.Join(OutputFormats, ", "))
	}
	if !o.Print {
		for _, name := range []string{"output-format", "max-turns", "input-format", "json-schema", "fallback-model"} {
			if cmd.Flags().Changed(name) {
				return usageErrorf("add -p for a headless run", "--%s only applies to headless runs (-p)", name)
			}
		}
	}
	if err := o.validateHeadlessExtras(); err != nil {
		return err
	}
	if o.PartialMessages && o.OutputFormat != "stream-json" {
		return usageErrorf("add --output-format stream-json", "--include-partial-messages only applies to --output-format stream-json")
	}
	if o.MaxTurns < 0 || cmd.Flags().Changed("max-turns") && o.MaxTurns == 0 {
		return usageErrorf("", "--max-turns %d: want a whole number ≥ 1", o.MaxTurns)
	}
	if maxBudget != "" {
		v, err := strconv.ParseFloat(maxBudget, 64)
		if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return usageErrorf("", "--max-budget-usd %q: want an amount in US dollars greater than 0, e.g. 2.50", maxBudget)
		}
		o.MaxBudgetUSD = v
	}
	if o.Continue && o.Resume != "" {
		return usageErrorf("", "--continue and --resume are alternatives: --continue takes the most recent session, --resume a given one")
	}
	if o.RewindFiles != "" && o.Resume == "" {
		return usageErrorf("for example: basalt --resume ID --rewind-files 3", "--rewind-files needs --resume: it restores the files of a stored session")
	}
	if o.ForkSession && !o.Continue && o.Resume == "" {
		return usageErrorf("for example: basalt -c --fork-session", "--fork-session only applies with --resume or --continue")
	}
	return nil
}

// runRoot starts an interactive or headless session. Configuration is
// loaded and checked first, so that a broken setup is reported before
// anything else. In a folder whose risky project settings are not
// trusted, a headless run (or one without a terminal to ask on) refuses;
// an interactive one asks.
func runRoot(ctx context.Context, app *App, opts *rootOptions) error {
	app.allowUntrusted = true
	cfg, err := app.loadConfig(ctx)
	app.allowUntrusted = false
	if cfg == nil {
		return err
	}
	if opts.RewindFiles != "" {
		// Only files basalt keeps are written: no model, no project
		// command runs, so neither credentials nor trust are needed.
		return runRewindFiles(app, cfg, opts)
	}
	if cfg.Trust.Ignored() {
		canAsk := !opts.Print && app.IO.StdinIsTTY && app.IO.StdoutIsTTY
		if cfg, err = app.settleTrust(ctx, cfg, err, canAsk, runFormOnTerminal(app)); cfg == nil {
			return err // refused, cancelled, or nil: the user quit
		}
	}
	if err != nil {
		return err
	}
	// git status runs while MCP servers, credentials and the session are
	// set up: its process start is otherwise on the way to the first
	// request. Not before the folder's trust is settled.
	app.gitStatus = harness.StartGitStatus(ctx, cfg.WorkDir)
	if err := app.settleMCP(ctx, cfg, !opts.Print && app.IO.StdinIsTTY && app.IO.StdoutIsTTY, runFormOnTerminal(app)); err != nil {
		return err
	}
	if err := cfg.RequireProvider(); err != nil {
		return &UsageError{Err: err, Hint: "for example: export CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1"}
	}
	if opts.Print {
		return runHeadless(ctx, app, opts)
	}
	return runInteractive(ctx, app, opts)
}

func fixedCompletion(values []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
