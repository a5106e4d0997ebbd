package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/huh/v2"
	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/trust"
)

// trustStore loads the store of trust decisions once. Its place comes
// from the process environment only: a project's "env" cannot move it
// (XDG_STATE_HOME in a settings file is a risky setting anyway). A
// damaged store trusts nothing, with one warning.
func (a *App) trustStore() *trust.Store {
	if a.trust == nil {
		s, err := trust.Load(trust.Path(config.StateDir(func(k string) string { return a.Env[k] })))
		if err != nil {
			fmt.Fprintf(a.IO.ErrOut, "basalt: warning: %v\n", err)
		}
		a.trust = s
	}
	return a.trust
}

// trusts is config.Input.TrustProject: --trust, or a remembered decision
// for exactly these settings.
func (a *App) trusts(root, fingerprint string) bool {
	return a.TrustOnce || a.trustStore().Trusted(root, fingerprint)
}

// UntrustedError refuses to run with, or silently without, the risky
// settings of a folder the user has not trusted: exit code 2.
type UntrustedError struct {
	Trust config.Trust
	// TrustedAt is when the folder was trusted for other settings than
	// these: they changed since. Zero when it never was.
	TrustedAt time.Time
}

func (a *App) untrustedError(t config.Trust) *UntrustedError {
	e := &UntrustedError{Trust: t}
	if old, ok := a.trustStore().Lookup(t.Root); ok {
		e.TrustedAt = old.TrustedAt
	}
	return e
}

func (e *UntrustedError) Error() string {
	var b strings.Builder
	if e.TrustedAt.IsZero() {
		fmt.Fprintf(&b, "%s is not a trusted folder, and its project settings would change where your credentials go or what runs:\n", e.Trust.Root)
	} else {
		fmt.Fprintf(&b, "the project settings of %s changed since you trusted this folder (%s), and would change where your credentials go or what runs:\n",
			e.Trust.Root, e.TrustedAt.Local().Format("2006-01-02 15:04"))
	}
	writeFindings(&b, e.Trust)
	return strings.TrimRight(b.String(), "\n")
}

func (e *UntrustedError) Hint() string {
	return fmt.Sprintf("if you trust them, run `basalt trust %s` (remembered until they change), or add --trust to this command (this run only)", e.Trust.Root)
}

// writeFindings lists risky settings, two lines each: where and what, then
// what it would do.
func writeFindings(w io.Writer, t config.Trust) {
	for _, f := range t.Findings {
		fmt.Fprintf(w, "  %s = %s  (%s)\n      %s\n", f.Setting, f.Value, relLocation(t.Root, f), f.Effect)
	}
}

// relLocation is a finding's FILE:LINE relative to the project root.
func relLocation(root string, f config.Finding) string {
	if rel, err := filepath.Rel(root, f.File); err == nil && !strings.HasPrefix(rel, "..") {
		f.File = rel
	}
	return f.Location()
}

// trustNotice tells the user of a session that runs without the risky
// settings what was left out.
func trustNotice(t config.Trust) string {
	return fmt.Sprintf("folder not trusted: these project settings are not applied: %s (run `basalt trust` to apply them)", strings.Join(settingNames(t), ", "))
}

// settingNames are the names of t's risky settings, each once, in order.
func settingNames(t config.Trust) []string {
	var names []string
	seen := map[string]bool{}
	for _, f := range t.Findings {
		if !seen[f.Setting] {
			seen[f.Setting] = true
			names = append(names, f.Setting)
		}
	}
	return names
}

// trustChoice is the answer to the question asked before an interactive
// session in an untrusted folder.
type trustChoice string

const (
	trustYes  trustChoice = "yes"
	trustNo   trustChoice = "no"
	trustQuit trustChoice = "quit"
)

// errTrustCancelled is Esc or Ctrl+C at the trust question: nothing
// started, exit 130 like any interruption.
var errTrustCancelled = fmt.Errorf("trust question cancelled, session not started: %w", context.Canceled)

// askTrust asks, once, whether to trust the folder, showing exactly what
// the risky settings would do.
func askTrust(ctx context.Context, run formRunner, t config.Trust, changedSince time.Time) (trustChoice, error) {
	var b strings.Builder
	if !changedSince.IsZero() {
		fmt.Fprintf(&b, "You trusted this folder on %s, but its project settings changed since.\n", changedSince.Local().Format("2006-01-02 15:04"))
	}
	b.WriteString("Its project settings would change where your credentials go or what runs:\n\n")
	writeFindings(&b, t)
	b.WriteString("\nOnly trust a folder whose settings you wrote or reviewed.")
	choice := trustNo
	form := newStyledForm(huh.NewGroup(huh.NewSelect[trustChoice]().
		Title(fmt.Sprintf("Trust %s?", t.Root)).
		Description(b.String()).
		Options(
			huh.NewOption("Yes, trust this folder: apply these settings (remembered until they change)", trustYes),
			huh.NewOption("No, start the session without these settings", trustNo),
			huh.NewOption("Quit", trustQuit),
		).
		Value(&choice)))
	err := run(ctx, form)
	switch {
	case err == nil:
		return choice, nil
	case errors.Is(err, huh.ErrUserAborted), ctx.Err() != nil:
		return trustQuit, errTrustCancelled
	}
	return trustQuit, fmt.Errorf("trust question: %w", err)
}

// settleTrust decides, before a session, what to do about a folder
// whose risky settings are not trusted (cfg, loaded with loadErr): refuse
// without a terminal (as headless runs do), else ask. It returns the
// configuration to run with and its load error; a nil configuration with
// a nil error when the user quit.
func (a *App) settleTrust(ctx context.Context, cfg *config.Config, loadErr error, canAsk bool, run formRunner) (*config.Config, error) {
	if !cfg.Trust.Ignored() {
		return cfg, loadErr
	}
	e := a.untrustedError(cfg.Trust)
	if !canAsk {
		return nil, e
	}
	choice, err := askTrust(ctx, run, cfg.Trust, e.TrustedAt)
	if err != nil {
		return nil, err
	}
	switch choice {
	case trustQuit:
		return nil, nil
	case trustNo:
		a.allowUntrusted = true
		return cfg, loadErr
	}
	if err := a.recordTrust(cfg.Trust); err != nil {
		return nil, err
	}
	// Reloaded: if the settings changed while the user read them, the
	// decision was about other settings and loadConfig refuses.
	a.Config = nil
	return a.loadConfig(ctx)
}

// recordTrust remembers that the user trusts t.Root for t's settings.
// The store is read again first, so that a decision another basalt made
// since this one started is kept.
func (a *App) recordTrust(t config.Trust) error {
	a.trust = nil
	s := a.trustStore()
	s.Trust(t.Root, trust.Entry{Fingerprint: t.Fingerprint, Settings: settingNames(t), TrustedAt: time.Now().UTC()})
	return s.Save()
}

type trustOptions struct {
	Dir    string
	List   bool
	Revoke bool
}

func newTrustCmd(app *App, runF func(context.Context, *App, *trustOptions) error) *cobra.Command {
	opts := &trustOptions{}
	cmd := &cobra.Command{
		Use:   "trust [DIR]",
		Short: "Trust a folder's project settings that change where credentials go or what runs",
		Long: `Trust the project settings of DIR (default: the current folder's project).

A repository's .basalt/settings.json or .claude/settings.json may set things
that change where your credentials go or what runs: endpoints, proxies, AWS_*
variables, credential commands, allow rules, a permission mode that asks less.
Those apply only in a folder you trusted. This command shows them and
remembers your decision, keyed by the folder and by those settings: when one
of them changes, basalt asks again. Harmless settings (models, deny and ask
rules, token limits) always apply.

Use --trust on any command instead to trust the folder for one run.`,
		Example: `  basalt trust                 trust the current project's settings
  basalt trust ~/src/service   trust another folder's
  basalt trust --list          folders you trusted
  basalt trust --revoke        forget the current project`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if opts.List && (opts.Revoke || opts.Dir != "") {
				return usageErrorf("", "--list takes no folder and no --revoke")
			}
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runTrust(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.List, "list", false, "list the trusted folders")
	cmd.Flags().BoolVar(&opts.Revoke, "revoke", false, "forget the decision about DIR")
	return cmd
}

func runTrust(ctx context.Context, app *App, opts *trustOptions) error {
	s := app.trustStore()
	out := app.IO.Out
	if opts.List {
		folders := s.List()
		if len(folders) == 0 {
			fmt.Fprintln(out, "No trusted folders.")
			return nil
		}
		for _, f := range folders {
			fmt.Fprintf(out, "%s\ttrusted %s\t%s\n", f.Dir, f.TrustedAt.Local().Format("2006-01-02 15:04"), strings.Join(f.Settings, ", "))
		}
		return nil
	}
	dir := opts.Dir
	if dir == "" {
		dir = app.WorkDir
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join(app.WorkDir, dir)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageErrorf("name a folder, or run `basalt trust` inside it", "trust: %s is not a folder", dir)
	}
	root := config.ProjectRoot(dir)
	if opts.Revoke {
		// The folder's answer about its .mcp.json servers goes with it
		// (mcpapprove.go).
		if s.Revoke(config.ProjectMCPFile(root)) {
			if err := s.Save(); err != nil {
				return err
			}
			fmt.Fprintf(out, "The MCP servers of %s need your approval again.\n", config.ProjectMCPFile(root))
		}
		if !s.Revoke(root) {
			fmt.Fprintf(out, "%s was not trusted.\n", root)
			return nil
		}
		if err := s.Save(); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s is no longer trusted: its risky project settings will not apply.\n", root)
		return nil
	}
	// The folder's own configuration, as a session there would load it,
	// without trusting anything yet.
	cfg, _ := config.Load(ctx, config.Input{Env: app.Env, WorkDir: dir, ManagedPaths: app.ManagedPaths, Flags: app.Flags})
	t := cfg.Trust
	if len(t.Findings) == 0 {
		// Nothing in its settings needs trust, but its commands' and
		// skills' allowed-tools do (harness.dropProjectGrants).
		if !s.Trusted(t.Root, t.Fingerprint) {
			if err := app.recordTrust(t); err != nil {
				return err
			}
		}
		fmt.Fprintf(out, "%s has no risky project settings; it is trusted for the allowed-tools of its commands and skills (`basalt trust --revoke` forgets it).\n", t.Root)
		return nil
	}
	if s.Trusted(t.Root, t.Fingerprint) {
		fmt.Fprintf(out, "%s is already trusted for these project settings:\n", t.Root)
		writeFindings(out, t)
		return nil
	}
	if err := app.recordTrust(t); err != nil {
		return err
	}
	fmt.Fprintf(out, "Trusted %s for these project settings:\n", t.Root)
	writeFindings(out, t)
	fmt.Fprintln(out, "They apply from now on, until one of them changes; `basalt trust --revoke` forgets the decision.")
	return nil
}
