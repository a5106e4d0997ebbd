package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/basalt-dev/basalt/internal/model"
)

// prompter asks questions on the terminal, one line per answer.
type prompter struct {
	app *App
	in  *bufio.Reader
}

func (p *prompter) ask(question, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(p.app.IO.Out, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(p.app.IO.Out, "%s: ", question)
	}
	line, err := p.in.ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("setup: read the answer: %w", err)
	}
	if line = strings.TrimSpace(line); line == "" {
		return def, nil
	}
	return line, nil
}

// choose offers numbered options and returns the value of the one picked
// (by number or by value).
func (p *prompter) choose(question string, values, labels []string, def string) (string, error) {
	fmt.Fprintln(p.app.IO.Out, question)
	for i, v := range values {
		label := v
		if labels != nil {
			label = labels[i]
		}
		fmt.Fprintf(p.app.IO.Out, "  %d) %s\n", i+1, label)
	}
	for {
		a, err := p.ask("Choice", def)
		if err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(values) {
			return values[n-1], nil
		}
		for _, v := range values {
			if a == v {
				return v, nil
			}
		}
		if a != "" && !strings.ContainsAny(a, " \t") && labels == nil {
			return a, nil // a value not in the list (an ARN, a new profile ID)
		}
		fmt.Fprintf(p.app.IO.Out, "Answer with a number from 1 to %d.\n", len(values))
	}
}

func newPrompter(app *App) *prompter { return &prompter{app: app, in: bufio.NewReader(app.IO.In)} }

func (p *prompter) confirm(question string) (bool, error) {
	a, err := p.ask(question+" (y/n)", "y")
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(strings.ToLower(a), "y"), nil
}

// runSetupWizard asks for every choice the flags left open.
func runSetupWizard(ctx context.Context, app *App, p *prompter, plan *setupPlan) error {
	out := app.IO.Out
	fmt.Fprintln(out, "basalt setup: a settings file for Claude on Amazon Bedrock. Enter keeps the [default].")
	var err error
	if plan.Scope == "" {
		if plan.Scope, err = p.choose("Which settings file?", setupScopes, []string{
			"user: $XDG_CONFIG_HOME/basalt/settings.json, for you on this machine",
			"project: .basalt/settings.json, shared with the team through the repository (no secrets)",
		}, "1"); err != nil {
			return err
		}
	}
	if plan.Credentials == "" {
		if plan.Credentials, err = p.choose("How does basalt get AWS credentials?", credentialMethods, []string{
			"sso: an AWS profile, e.g. IAM Identity Center (recommended for teams)",
			"keys: access keys from the environment (user file only)",
			"login: aws login, with your AWS console sign-in",
			"bearer: a Bedrock API key from AWS_BEARER_TOKEN_BEDROCK (user file only)",
			"export: a command that prints credentials (awsCredentialExport)",
		}, "1"); err != nil {
			return err
		}
	}
	switch plan.Credentials {
	case credSSO, credLogin:
		if plan.Profile == "" {
			def := ""
			if plan.Credentials == credSSO {
				def = app.Env["AWS_PROFILE"]
			}
			if plan.Profile, err = p.ask("AWS profile (the name in ~/.aws/config)", def); err != nil {
				return err
			}
		}
	case credExport:
		if plan.ExportCommand == "" {
			if plan.ExportCommand, err = p.ask("Command that prints the credentials JSON", ""); err != nil {
				return err
			}
		}
		if plan.RefreshCommand == "" {
			if plan.RefreshCommand, err = p.ask("Command that refreshes them when they expire (optional)", ""); err != nil {
				return err
			}
		}
	case credKeys, credBearer:
		fmt.Fprintln(out, "The secret is read from the environment, never typed here. An SSO profile avoids long-lived secrets.")
	}
	if plan.Region == "" {
		def := app.Env["AWS_REGION"]
		if def == "" {
			def = "us-east-1"
		}
		if plan.Region, err = p.ask("AWS region", def); err != nil {
			return err
		}
	}
	if plan.Model == "" || plan.SmallFastModel == "" {
		ids := setupModelChoices(ctx, app, plan)
		if plan.Model == "" {
			if plan.Model, err = p.choose("Primary model (pinned: basalt never upgrades it on its own)", ids, nil, defaultChoice(ids, "sonnet")); err != nil {
				return err
			}
		}
		if plan.SmallFastModel == "" {
			if plan.SmallFastModel, err = p.choose("Small/fast model for background tasks", ids, nil, defaultChoice(ids, "haiku")); err != nil {
				return err
			}
		}
	}
	if plan.CacheTTL == "" {
		if plan.CacheTTL, err = p.choose("Prompt-cache TTL", cacheTTLs, []string{
			"5m: the default; writes cost 1.25x input",
			"1h: for long pauses between requests; writes cost 2x input",
		}, "1"); err != nil {
			return err
		}
	}
	if plan.Guardrail == "" {
		if plan.Guardrail, err = p.ask("Bedrock guardrail as ID:VERSION (optional)", ""); err != nil {
			return err
		}
		if plan.Guardrail != "" {
			if _, _, err := parseGuardrail(plan.Guardrail); err != nil {
				return &UsageError{Err: err}
			}
		}
	}
	return nil
}

// setupModelChoices lists the Anthropic inference profiles visible in the
// chosen region with the chosen credentials, or, when that fails, the
// catalog's profiles for the region's geography.
func setupModelChoices(ctx context.Context, app *App, plan *setupPlan) []string {
	env := map[string]string{}
	for k, v := range app.Env {
		env[k] = v
	}
	env["CLAUDE_CODE_USE_BEDROCK"] = "1"
	env["AWS_REGION"] = plan.Region
	if plan.Profile != "" {
		env["AWS_PROFILE"] = plan.Profile
	}
	probe := &App{IO: app.IO, Env: env, WorkDir: app.WorkDir, ManagedPaths: app.ManagedPaths}
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	fmt.Fprintf(app.IO.Out, "Listing the inference profiles of %s…\n", plan.Region)
	var ids []string
	client, err := probe.newProvider(ctx, func(string) {})
	if err == nil {
		profiles, lerr := client.ListProfiles(ctx, plan.Region)
		err = lerr
		for _, pr := range profiles {
			if strings.Contains(pr.ID, "anthropic.") {
				ids = append(ids, pr.ID)
			}
		}
	}
	if len(ids) > 0 {
		return ids
	}
	if err != nil {
		fmt.Fprintf(app.IO.Out, "Could not list them (%v); offering basalt's catalog instead.\n", err)
	}
	geo := "us"
	switch {
	case strings.HasPrefix(plan.Region, "eu-"):
		geo = "eu"
	case strings.HasPrefix(plan.Region, "ap-northeast-1"):
		geo = "jp"
	case strings.HasPrefix(plan.Region, "ap-"):
		geo = "apac"
	}
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

// defaultChoice is the number of the first ID of the family, as a string.
func defaultChoice(ids []string, family string) string {
	for i, id := range ids {
		if strings.Contains(id, "claude-"+family) {
			return strconv.Itoa(i + 1)
		}
	}
	return "1"
}
