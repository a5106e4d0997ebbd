package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
)

// Credential methods of `basalt setup --credentials`: the five of the
// seed documents.
const (
	credSSO    = "sso"    // an AWS profile (SSO or any other), refreshed with aws sso login
	credKeys   = "keys"   // static access keys
	credLogin  = "login"  // aws login (console credentials)
	credBearer = "bearer" // a Bedrock API key
	credExport = "export" // a command that prints credentials (awsCredentialExport)
)

var (
	credentialMethods = []string{credSSO, credKeys, credLogin, credBearer, credExport}
	setupScopes       = []string{"user", "project"}
	cacheTTLs         = []string{"5m", "1h"}
)

type setupOptions struct {
	Credentials    string
	Profile        string
	Region         string
	Model          string
	SmallFastModel string
	CacheTTL       string
	Guardrail      string
	Scope          string
	ExportCommand  string
	RefreshCommand string
	Yes            bool
}

func newSetupCmd(app *App, runF func(context.Context, *App, *setupOptions) error) *cobra.Command {
	opts := &setupOptions{}
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Write a working settings file, interactively",
		Long: `Write a settings file that makes basalt work on Amazon Bedrock: the
credential method, the region, the models (from the inference profiles
the region offers), the prompt-cache TTL and an optional guardrail.

On a terminal it asks, in a form, for every choice not given as a flag,
offering the models from the inference profiles the region lists, then
shows the file as it will be written and asks before writing it (Esc or
Ctrl+C cancels: nothing is written, exit 130). Otherwise (stdin or
stdout not a terminal) every choice comes from the flags and --yes is
needed to write. The file is merged with what is there: other keys are
kept, and a replaced file is first copied to settings.json.bak. Then the
checks of basalt doctor run against the new settings.

Secrets (access keys, a Bedrock API key) are written only to the user
file, never to the project file, which is meant to be committed; they
are taken from the environment, never from a flag.`,
		Example: `  basalt setup
  basalt setup --credentials sso --profile my-team --region us-east-1 --yes
  basalt setup --scope project --credentials sso --profile team \
      --model global.anthropic.claude-sonnet-4-6 --guardrail gr-123:1 --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runSetup(cmd.Context(), app, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Credentials, "credentials", "", "credential method: "+strings.Join(credentialMethods, ", "))
	f.StringVar(&opts.Profile, "profile", "", "AWS `PROFILE` (sso, login)")
	f.StringVar(&opts.Region, "region", "", "AWS `REGION` of the Bedrock endpoint")
	f.StringVar(&opts.Model, "model", "", "primary model: inference-profile `ID` or ARN (default: the current one)")
	f.StringVar(&opts.SmallFastModel, "small-fast-model", "", "model for background tasks: inference-profile `ID` or ARN")
	f.StringVar(&opts.CacheTTL, "cache-ttl", "", "prompt-cache TTL: 5m or 1h")
	f.StringVar(&opts.Guardrail, "guardrail", "", "Bedrock guardrail `ID:VERSION`, sent as request headers")
	f.StringVar(&opts.Scope, "scope", "", "file to write: user (default) or project")
	f.StringVar(&opts.ExportCommand, "export-command", "", "`COMMAND` that prints AWS credentials as JSON (awsCredentialExport)")
	f.StringVar(&opts.RefreshCommand, "refresh-command", "", "`COMMAND` that refreshes expired credentials (awsAuthRefresh)")
	f.BoolVarP(&opts.Yes, "yes", "y", false, "write without asking for confirmation")
	// --model is also a persistent flag of the root; setup's own wins here
	// because it names what to write, not what to run.
	_ = cmd.RegisterFlagCompletionFunc("credentials", fixedCompletion(credentialMethods))
	_ = cmd.RegisterFlagCompletionFunc("scope", fixedCompletion(setupScopes))
	_ = cmd.RegisterFlagCompletionFunc("cache-ttl", fixedCompletion(cacheTTLs))
	return cmd
}

// validate checks the flags on their own, before the configuration is
// loaded (runSetup checks them again with the region they will use).
func (o *setupOptions) validate() error {
	_, err := o.checkFlags("us-east-1")
	return err
}

// setupPlan is every choice, complete: what the wizard or the flags
// decided, before it becomes a settings file.
type setupPlan struct {
	setupOptions
	Path string
	// Secrets taken from the environment for keys and bearer.
	AccessKeyID, SecretAccessKey, SessionToken, BearerToken string
}

func runSetup(ctx context.Context, app *App, opts *setupOptions) error {
	return runSetupWith(ctx, app, opts, runFormOnTerminal(app), listSetupModels(app))
}

// runSetupWith is runSetup with the forms run by run and the models
// listed by list, so tests can answer the wizard without a terminal.
func runSetupWith(ctx context.Context, app *App, opts *setupOptions, run formRunner, list modelLister) error {
	// A broken setup is what setup is for; an untrusted folder's risky
	// settings are left out of what it starts from and checks.
	app.allowUntrusted = true
	cfg, _ := app.loadConfig(ctx)
	// Every flag is checked as the form checks its field, before a
	// question is asked or a byte written.
	region := "us-east-1"
	if cfg != nil && cfg.Region.Set {
		region = cfg.Region.Value
	}
	notices, err := opts.checkFlags(region)
	if err != nil {
		return err
	}
	for _, n := range notices {
		fmt.Fprintf(app.IO.ErrOut, "basalt: note: %s\n", n)
	}
	plan := &setupPlan{setupOptions: *opts}
	interactive := app.IO.StdinIsTTY && app.IO.StdoutIsTTY
	if interactive {
		if err := askSetup(ctx, app, cfg, plan, run, list); err != nil {
			return reportCancel(app, err)
		}
	}
	if err := plan.complete(cfg, app.Env); err != nil {
		return err
	}
	if err := plan.resolvePath(cfg, app); err != nil {
		return err
	}
	settings, err := plan.merge()
	if err != nil {
		return err
	}
	backup := settings.BackupPath()
	overrides := setupOverrides(cfg, plan, plan.Path, writtenEnv(settings))

	out := app.IO.Out
	// On a terminal the confirmation shows the file; without one, the
	// preview below is all the user sees before --yes writes it.
	if interactive && !plan.Yes {
		ok, err := confirmSetup(ctx, run, plan.Path, plan.Scope, settings, backup, overrides)
		if err != nil {
			return reportCancel(app, err)
		}
		if !ok {
			fmt.Fprintln(out, "Nothing written.")
			return nil
		}
	}
	fmt.Fprintf(out, "Settings for %s (%s):\n", plan.Path, plan.Scope)
	writeSettingsPreview(out, settings)
	if backup != "" {
		fmt.Fprintf(out, "The current file will be kept as %s.\n", backup)
	}
	for _, o := range overrides {
		fmt.Fprintf(app.IO.ErrOut, "basalt: warning: %s\n", o)
	}
	if !plan.Yes && !interactive {
		return usageErrorf("run it again with --yes to write, or on a terminal to confirm", "setup: not writing %s without confirmation", plan.Path)
	}
	// Whether every risky project setting was already trusted (or there
	// were none): then those in the new file are the user's own answers.
	ownedBefore := cfg != nil && !cfg.Trust.Ignored()
	if err := settings.Save(); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	fmt.Fprintf(out, "Wrote %s.\n", plan.Path)
	app.Config = nil
	if plan.Scope == "project" {
		if err := app.trustWritten(ctx, ownedBefore); err != nil {
			return err
		}
	}
	if plan.Credentials == credSSO || plan.Credentials == credLogin {
		fmt.Fprintf(out, "Sign in first if you have not: %s\n", plan.signInCommand())
	}

	// The doctor's checks, against what a session here will use: the
	// file just written under the process environment and every other
	// settings file, as config.Load combines them.
	fmt.Fprintln(out, "\nChecking the new settings (basalt doctor), as a session here gets them with your environment and the other settings files:")
	return runDoctor(ctx, app, &doctorOptions{})
}

// trustWritten trusts the folder for the project settings setup has just
// written when the user owned every risky setting before (DESIGN.md §9):
// they are the user's own answers. Otherwise the user is told that they
// do not apply yet.
func (a *App) trustWritten(ctx context.Context, ownedBefore bool) error {
	cfg, _ := a.loadConfig(ctx)
	if cfg == nil || !cfg.Trust.Ignored() {
		return nil
	}
	if !ownedBefore {
		fmt.Fprintf(a.IO.Out, "The folder %s is not trusted, and its project settings hold settings you did not write here: they do not apply until you review them and run `basalt trust`.\n", cfg.Trust.Root)
		return nil
	}
	if err := a.recordTrust(cfg.Trust); err != nil {
		return err
	}
	fmt.Fprintf(a.IO.Out, "Trusted %s for the project settings you just wrote (`basalt trust --revoke` forgets).\n", cfg.Trust.Root)
	a.Config = nil
	return nil
}

// complete fills the choices nobody made with the current configuration
// or the defaults, and checks them together.
func (p *setupPlan) complete(cfg *config.Config, env map[string]string) error {
	if p.Scope == "" {
		p.Scope = "user"
	}
	if p.Credentials == "" {
		switch {
		case p.ExportCommand != "":
			p.Credentials = credExport
		case p.Profile != "":
			p.Credentials = credSSO
		default:
			return usageErrorf("for example: --credentials sso --profile my-team (or run basalt setup on a terminal)",
				"setup: choose a credential method with --credentials (%s)", strings.Join(credentialMethods, ", "))
		}
	}
	if p.Region == "" && cfg != nil && cfg.Region.Set {
		p.Region = cfg.Region.Value
	}
	if p.Region == "" {
		p.Region = "us-east-1"
	}
	if p.CacheTTL == "" {
		p.CacheTTL = "5m"
	}
	project := p.Scope == "project"
	switch p.Credentials {
	case credSSO:
		if p.Profile == "" {
			return usageErrorf("for example: --profile my-team (the name in ~/.aws/config)", "setup: --credentials sso needs --profile")
		}
	case credExport:
		if p.ExportCommand == "" {
			return usageErrorf("for example: --export-command 'my-sso-helper --format json'", "setup: --credentials export needs --export-command")
		}
	case credKeys, credBearer:
		// A project file is committed: a secret in it is a leaked secret.
		if project {
			return usageErrorf("use --credentials sso --profile NAME (aws configure sso), or --scope user",
				"setup: refusing to write %s into the project settings, which are shared through the repository", map[string]string{credKeys: "access keys", credBearer: "a Bedrock API key"}[p.Credentials])
		}
		if p.Credentials == credKeys {
			p.AccessKeyID, p.SecretAccessKey, p.SessionToken = env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"]
			if p.AccessKeyID == "" || p.SecretAccessKey == "" {
				return usageErrorf("export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run setup again (keys are never taken from flags, which shell history keeps)",
					"setup: --credentials keys reads the keys from the environment, where they are not set")
			}
		} else {
			p.BearerToken = env["AWS_BEARER_TOKEN_BEDROCK"]
			if p.BearerToken == "" {
				return usageErrorf("export AWS_BEARER_TOKEN_BEDROCK, then run setup again (keys are never taken from flags, which shell history keeps)",
					"setup: --credentials bearer reads the key from AWS_BEARER_TOKEN_BEDROCK, which is not set")
			}
		}
	}
	if p.Credentials == credSSO && p.RefreshCommand == "" {
		p.RefreshCommand = p.signInCommand()
	}
	return nil
}

func (p *setupPlan) signInCommand() string {
	switch {
	case p.Credentials == credSSO:
		return "aws sso login --profile " + p.Profile
	case p.Profile != "":
		return "aws login --profile " + p.Profile
	}
	return "aws login"
}

// resolvePath is the file the scope names, as config.Load reads it.
func (p *setupPlan) resolvePath(cfg *config.Config, app *App) error {
	if p.Scope == "project" {
		root := app.WorkDir
		if cfg != nil && cfg.ProjectRoot != "" {
			root = cfg.ProjectRoot
		}
		p.Path = filepath.Join(root, ".basalt", "settings.json")
		return nil
	}
	p.Path = config.UserSettingsFile(func(k string) string { return app.Env[k] })
	if p.Path == "" {
		return usageErrorf("set HOME or XDG_CONFIG_HOME", "setup: no home directory for the user settings")
	}
	return nil
}

// merge reads the current file through config's settings editor and
// applies the plan to it. Keys setup does not manage are kept as they are.
func (p *setupPlan) merge() (*config.SettingsFile, error) {
	f, err := config.OpenSettings(p.Path)
	if err != nil {
		return nil, usageErrorf("fix or move the file, then run setup again", "setup: %v", err)
	}
	env := map[string]any{}
	if _, err := f.Get("env", &env); err != nil {
		return nil, usageErrorf("fix or move the file, then run setup again", "setup: %s: \"env\" is not an object", p.Path)
	}
	if env == nil { // "env": null
		env = map[string]any{}
	}
	set := func(k, v string) {
		if v == "" {
			delete(env, k)
		} else {
			env[k] = v
		}
	}
	set("CLAUDE_CODE_USE_BEDROCK", "1")
	set("AWS_REGION", p.Region)
	// One credential method: the variables of the others would win over
	// it (a bearer token beats a profile) or confuse the next reader.
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"} {
		delete(env, k)
	}
	f.Delete("awsCredentialExport")
	f.Delete("awsAuthRefresh")
	switch p.Credentials {
	case credSSO, credLogin:
		set("AWS_PROFILE", p.Profile)
	case credKeys:
		set("AWS_ACCESS_KEY_ID", p.AccessKeyID)
		set("AWS_SECRET_ACCESS_KEY", p.SecretAccessKey)
		set("AWS_SESSION_TOKEN", p.SessionToken)
	case credBearer:
		set("AWS_BEARER_TOKEN_BEDROCK", p.BearerToken)
	case credExport:
		if err := f.Set("awsCredentialExport", p.ExportCommand); err != nil {
			return nil, err
		}
	}
	if p.RefreshCommand != "" {
		if err := f.Set("awsAuthRefresh", p.RefreshCommand); err != nil {
			return nil, err
		}
	}
	if p.Model != "" {
		set("ANTHROPIC_MODEL", p.Model)
	}
	if p.SmallFastModel != "" {
		set("ANTHROPIC_SMALL_FAST_MODEL", p.SmallFastModel)
	}
	if p.CacheTTL == "1h" {
		set("ENABLE_PROMPT_CACHING_1H", "1")
	} else {
		delete(env, "ENABLE_PROMPT_CACHING_1H")
		delete(env, "ENABLE_PROMPT_CACHING_1H_BEDROCK")
	}
	if p.Guardrail != "" {
		// validate checked it; the wizard's fields check each part.
		g, _ := config.ParseGuardrail(p.Guardrail)
		h, _ := env["ANTHROPIC_CUSTOM_HEADERS"].(string)
		set("ANTHROPIC_CUSTOM_HEADERS", config.WithGuardrail(h, g))
	}
	if err := f.Set("env", env); err != nil {
		return nil, err
	}
	return f, nil
}

// writeSettingsPreview prints the file as it will be written, secrets
// redacted.
func writeSettingsPreview(w interface{ Write([]byte) (int, error) }, f *config.SettingsFile) {
	shown := f.Values()
	if env, ok := shown["env"].(map[string]any); ok {
		red := map[string]any{}
		for k, v := range env {
			if s, ok := v.(string); ok {
				v = config.RedactVar(k, s)
			}
			red[k] = v
		}
		shown["env"] = red
	}
	b, _ := json.MarshalIndent(shown, "  ", "  ")
	fmt.Fprintf(w, "  %s\n", b)
}

// setupTimeout bounds the profile listing of the wizard: a region or
// credentials that do not answer must not hang a first-time user.
const setupTimeout = 15 * time.Second
