package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
)

// The interactive side of basalt setup: on a terminal, two huh forms ask
// for what the flags left open (the questions, then the confirmation
// that shows the file), and the non-interactive path takes over from the
// answers. The forms only fill a setupPlan: completing, merging and
// writing are the same code with or without a terminal.

// formRunner runs a form to its end: nil when it was submitted,
// huh.ErrUserAborted when the user cancelled it. runSetup passes
// [runFormOnTerminal]; tests pass a driver that sends key messages.
type formRunner func(ctx context.Context, f *huh.Form) error

// errSetupCancelled is what Esc or Ctrl+C in the wizard returns: a
// context.Canceled, so basalt exits 130 like any other interruption.
var errSetupCancelled = fmt.Errorf("setup cancelled, nothing written: %w", context.Canceled)

// runFormOnTerminal runs f as a Bubble Tea program on the app's streams.
// NO_COLOR (and TERM) are taken from the app's environment, not the
// process's, so the color profile follows what basalt was given.
func runFormOnTerminal(app *App) formRunner {
	return func(ctx context.Context, f *huh.Form) error {
		env := make([]string, 0, len(app.Env))
		for _, k := range slices.Sorted(maps.Keys(app.Env)) {
			env = append(env, k+"="+app.Env[k])
		}
		return f.WithInput(app.IO.In).WithOutput(app.IO.Out).
			WithProgramOptions(tea.WithEnvironment(env)).
			RunWithContext(ctx)
	}
}

// setupKeyMap is huh's, with Esc cancelling like Ctrl+C. Filtering a
// select has no key (huh re-enables a merely disabled binding), so Esc
// has one meaning: the form sees it before a filter could.
func setupKeyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "cancel"))
	km.Select.Filter = key.NewBinding()
	return km
}

// modelLister returns the model IDs to offer for a region and profile,
// and a one-line note on where they come from.
type modelLister func(ctx context.Context, region, profile string) (ids []string, note string)

// setupForm asks for the choices of a plan that the flags left open.
// Each field writes straight into the plan; a field whose choice a flag
// made is not built at all.
type setupForm struct {
	app  *App
	plan *setupPlan
	list modelLister

	// The guardrail is asked as two fields and joined into plan.Guardrail.
	guardrailID, guardrailVersion string
	// asked records which plan fields the form owns, to undo answers
	// that the final credential method does not use.
	askedProfile bool
}

// newSetupForm builds the questions. It returns nil when the flags have
// answered everything.
func newSetupForm(ctx context.Context, app *App, cfg *config.Config, plan *setupPlan, list modelLister) (*setupForm, *huh.Form) {
	sf := &setupForm{app: app, plan: plan, list: list}
	var groups []*huh.Group
	add := func(hide func() bool, fields ...huh.Field) {
		if len(fields) == 0 {
			return
		}
		g := huh.NewGroup(fields...)
		if hide != nil {
			g = g.WithHideFunc(hide)
		}
		groups = append(groups, g)
	}
	method := func(ms ...string) func() bool {
		return func() bool { return !slices.Contains(ms, plan.Credentials) }
	}

	if plan.Scope == "" {
		add(nil, huh.NewSelect[string]().Title("Which settings file?").
			Options(
				huh.NewOption("user: $XDG_CONFIG_HOME/basalt/settings.json, for you on this machine", "user"),
				huh.NewOption("project: .basalt/settings.json, shared with the team through the repository (no secrets)", "project"),
			).Value(&plan.Scope))
	}
	if plan.Credentials == "" {
		add(nil, huh.NewSelect[string]().Title("How does basalt get AWS credentials?").
			Description("keys and bearer read their secret from the environment, never from here, and only into the user file").
			Options(
				huh.NewOption("sso: an AWS profile, e.g. IAM Identity Center (recommended for teams)", credSSO),
				huh.NewOption("keys: access keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", credKeys),
				huh.NewOption("login: aws login, with your AWS console sign-in", credLogin),
				huh.NewOption("bearer: a Bedrock API key from AWS_BEARER_TOKEN_BEDROCK", credBearer),
				huh.NewOption("export: a command that prints credentials (awsCredentialExport)", credExport),
			).Value(&plan.Credentials).
			Validate(func(m string) error { return credentialProblem(m, plan.Scope, app.Env) }))
	}
	if plan.Profile == "" {
		sf.askedProfile = true
		plan.Profile = app.Env["AWS_PROFILE"]
		add(method(credSSO, credLogin), huh.NewInput().Title("AWS profile (the name in ~/.aws/config)").
			DescriptionFunc(func() string {
				if plan.Credentials == credLogin {
					return "optional: empty signs in to the default profile"
				}
				return "basalt refreshes it with aws sso login --profile NAME"
			}, &plan.Credentials).
			Value(&plan.Profile).
			Validate(func(s string) error { return validateProfile(plan.Credentials, s) }))
	}
	var export []huh.Field
	if plan.ExportCommand == "" {
		export = append(export, huh.NewInput().Title("Command that prints the credentials JSON").
			Placeholder("my-sso-helper --format json").Value(&plan.ExportCommand).
			Validate(validateExportCommand))
	}
	if plan.RefreshCommand == "" {
		export = append(export, huh.NewInput().Title("Command that refreshes them when they expire (optional)").
			Value(&plan.RefreshCommand))
	}
	add(method(credExport), export...)
	if plan.Region == "" {
		switch {
		case cfg != nil && cfg.Region.Set:
			plan.Region = cfg.Region.Value
		case app.Env["AWS_REGION"] != "":
			plan.Region = app.Env["AWS_REGION"]
		default:
			plan.Region = "us-east-1"
		}
		add(nil, huh.NewInput().Title("AWS region").
			Description("where basalt calls Bedrock; the models offered next are the inference profiles of this region").
			Value(&plan.Region).
			Validate(validateRegion))
	}
	var models []huh.Field
	// The listing depends on these; huh re-evaluates the options (in a
	// command, with a spinner) when they change.
	probe := []*string{&plan.Region, &plan.Profile, &plan.Credentials}
	fetch := memoize(func(region, profile string) ([]string, string) { return list(ctx, region, profile) })
	options := func(family model.Family) func() []huh.Option[string] {
		return func() []huh.Option[string] {
			ids, _ := fetch(plan.Region, plan.Profile)
			def := defaultModel(ids, family)
			opts := make([]huh.Option[string], len(ids))
			for i, id := range ids {
				opts[i] = huh.NewOption(id, id).Selected(i == def)
			}
			return opts
		}
	}
	note := func() string {
		_, n := fetch(plan.Region, plan.Profile)
		return n + "; pinned: basalt never upgrades it on its own (another ID or an ARN: --model)"
	}
	// A listed profile resolves; the check is the flags' all the same.
	resolves := func(id string) error { _, err := validateModel(id, plan.Region); return err }
	if plan.Model == "" {
		models = append(models, huh.NewSelect[string]().Title("Primary model").
			DescriptionFunc(note, probe).
			OptionsFunc(options(model.Sonnet), probe).Height(8).Value(&plan.Model).Validate(resolves))
	}
	if plan.SmallFastModel == "" {
		models = append(models, huh.NewSelect[string]().Title("Small/fast model for background tasks").
			OptionsFunc(options(model.Haiku), probe).Height(7).Value(&plan.SmallFastModel).Validate(resolves))
	}
	add(nil, models...)
	if plan.CacheTTL == "" {
		add(nil, huh.NewSelect[string]().Title("Prompt-cache TTL").
			Options(
				huh.NewOption("5m: the default; cache writes cost 1.25x input", "5m"),
				huh.NewOption("1h: for long pauses between requests; cache writes cost 2x input", "1h"),
			).Value(&plan.CacheTTL))
	}
	if plan.Guardrail == "" {
		add(nil, huh.NewInput().Title("Bedrock guardrail ID (optional)").
			Description("sent as the "+config.HeaderGuardrailID+" header; empty for none").
			Placeholder("abc123def456").Value(&sf.guardrailID).
			Validate(func(s string) error {
				if s == "" {
					return nil
				}
				return config.ValidateGuardrailID(s)
			}))
		add(func() bool { return sf.guardrailID == "" },
			huh.NewInput().Title("Guardrail version").
				Description("a published version number, or DRAFT").
				Placeholder("1").Value(&sf.guardrailVersion).
				Validate(config.ValidateGuardrailVersion))
	}
	if len(groups) == 0 {
		return sf, nil
	}
	return sf, newStyledForm(groups...)
}

func newStyledForm(groups ...*huh.Group) *huh.Form {
	return huh.NewForm(groups...).WithKeyMap(setupKeyMap()).WithShowHelp(true)
}

// finish applies the answers the fields could not write directly.
func (sf *setupForm) finish() {
	p := sf.plan
	if sf.guardrailID != "" {
		p.Guardrail = config.Guardrail{ID: sf.guardrailID, Version: sf.guardrailVersion}.String()
	}
	if sf.askedProfile && p.Credentials != credSSO && p.Credentials != credLogin {
		p.Profile = "" // the prefilled AWS_PROFILE of a method that uses none
	}
}

// askSetup runs the questions of the wizard.
func askSetup(ctx context.Context, app *App, cfg *config.Config, plan *setupPlan, run formRunner, list modelLister) error {
	// A credential method given as a flag that cannot work is reported
	// now, not after every other question.
	if plan.Credentials != "" {
		if err := credentialProblem(plan.Credentials, plan.Scope, app.Env); err != nil {
			return &UsageError{Err: fmt.Errorf("setup: %w", err)}
		}
	}
	sf, form := newSetupForm(ctx, app, cfg, plan, list)
	if form == nil {
		return nil
	}
	if err := runForm(ctx, run, form); err != nil {
		return err
	}
	sf.finish()
	return nil
}

// confirmSetup shows the file as it will be written and asks whether to
// write it.
func confirmSetup(ctx context.Context, run formRunner, path, scope string, settings *config.SettingsFile, backup string, overrides []string) (bool, error) {
	var b bytes.Buffer
	writeSettingsPreview(&b, settings)
	desc := strings.TrimRight(b.String(), "\n")
	for _, o := range overrides {
		desc += "\n\nWarning: " + o
	}
	if backup != "" {
		desc += "\n\nThe current file will be kept as " + backup + "."
	} else {
		desc += "\n\nThere is no file there yet."
	}
	write := true
	form := newStyledForm(huh.NewGroup(huh.NewConfirm().
		Title(fmt.Sprintf("Write %s (%s)?", path, scope)).
		Description(desc).
		Affirmative("Write").Negative("Don't write").
		Value(&write)))
	if err := runForm(ctx, run, form); err != nil {
		return false, err
	}
	return write, nil
}

// reportCancel says on stdout that a cancelled wizard wrote nothing (Main
// then reports the interruption on stderr and exits 130).
func reportCancel(app *App, err error) error {
	if errors.Is(err, errSetupCancelled) {
		fmt.Fprintln(app.IO.Out, "Setup cancelled; nothing written.")
	}
	return err
}

// runForm maps the ways a form can end to setup's errors.
func runForm(ctx context.Context, run formRunner, form *huh.Form) error {
	err := run(ctx, form)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, huh.ErrUserAborted), ctx.Err() != nil:
		return errSetupCancelled
	}
	return fmt.Errorf("setup: %w", err)
}

// credentialProblem says why a credential method cannot work with the
// scope and environment, as a line short enough to show under the field.
// plan.complete reports the same cases with their hints.
func credentialProblem(method, scope string, env map[string]string) error {
	switch method {
	case credKeys, credBearer:
		if scope == "project" {
			return errors.New("the project file is shared through the repository: no secrets in it (choose sso, login or export, or the user file)")
		}
		if method == credKeys && (env["AWS_ACCESS_KEY_ID"] == "" || env["AWS_SECRET_ACCESS_KEY"] == "") {
			return errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: export them and run setup again")
		}
		if method == credBearer && env["AWS_BEARER_TOKEN_BEDROCK"] == "" {
			return errors.New("AWS_BEARER_TOKEN_BEDROCK is not set: export it and run setup again")
		}
	}
	return nil
}

// memoize calls f once per (region, profile), so the two model selects
// share one listing. Calls may come from several goroutines (huh runs
// each OptionsFunc and DescriptionFunc in its own command).
func memoize(f func(region, profile string) ([]string, string)) func(region, profile string) ([]string, string) {
	type result struct {
		once sync.Once
		ids  []string
		note string
	}
	var mu sync.Mutex
	results := map[[2]string]*result{}
	return func(region, profile string) ([]string, string) {
		mu.Lock()
		r, ok := results[[2]string{region, profile}]
		if !ok {
			r = &result{}
			results[[2]string{region, profile}] = r
		}
		mu.Unlock()
		r.once.Do(func() { r.ids, r.note = f(region, profile) })
		return r.ids, r.note
	}
}

// listSetupModels lists the Anthropic inference profiles visible in the
// region with the app's credentials and the profile, or, when that fails,
// the catalog's profiles for the region's geography. It never blocks
// longer than setupTimeout.
func listSetupModels(app *App) modelLister {
	return func(ctx context.Context, region, profile string) ([]string, string) {
		env := maps.Clone(app.Env)
		env["CLAUDE_CODE_USE_BEDROCK"] = "1"
		env["AWS_REGION"] = region
		if profile != "" {
			env["AWS_PROFILE"] = profile
		}
		probe := &App{IO: app.IO, Env: env, WorkDir: app.WorkDir, ManagedPaths: app.ManagedPaths}
		ctx, cancel := context.WithTimeout(ctx, setupTimeout)
		defer cancel()
		var ids []string
		client, err := probe.newProvider(ctx, func(string) {})
		if err == nil {
			profiles, lerr := client.ListProfiles(ctx, region)
			err = lerr
			for _, pr := range profiles {
				if strings.Contains(pr.ID, "anthropic.") {
					ids = append(ids, pr.ID)
				}
			}
		}
		if len(ids) > 0 {
			return ids, fmt.Sprintf("the %d Anthropic inference profiles of %s", len(ids), region)
		}
		note := "no Anthropic inference profiles in " + region + ": basalt's catalog instead"
		if err != nil {
			note = fmt.Sprintf("could not list the profiles of %s (%v): basalt's catalog instead", region, err)
		}
		return catalogModels(region), note
	}
}

// catalogModels is the catalog's current profile IDs for the region's
// geography, global first.
func catalogModels(region string) []string {
	geo := "us"
	switch {
	case strings.HasPrefix(region, "eu-"):
		geo = "eu"
	case strings.HasPrefix(region, "ap-northeast-1"):
		geo = "jp"
	case strings.HasPrefix(region, "ap-"):
		geo = "apac"
	}
	var ids []string
	for _, f := range model.Families {
		if m, ok := model.Current(f); ok {
			for _, g := range []string{"global", geo} {
				if m.HasGeo(g) {
					ids = append(ids, m.ProfileIDFor(g))
				}
			}
		}
	}
	return ids
}

// defaultModel is the index of the family's current model in ids (the
// catalog's pick, not the first of the family the region lists), else of
// the first ID of the family, else 0.
func defaultModel(ids []string, family model.Family) int {
	if m, ok := model.Current(family); ok {
		for i, id := range ids {
			if strings.HasSuffix(id, "."+m.FoundationID) {
				return i
			}
		}
	}
	for i, id := range ids {
		if strings.Contains(id, "claude-"+string(family)) {
			return i
		}
	}
	return 0
}
