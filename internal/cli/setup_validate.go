package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
)

// This file is the one set of rules for setup's answers: the form's
// fields validate with these functions, and the flags of `basalt setup
// --yes` go through the same ones before anything is written, so a value
// the form refuses is refused as a flag too, with the flag's name.

func validateRegion(s string) error {
	if !config.ValidRegion(s) {
		return errors.New("a region looks like us-east-1 or eu-central-1")
	}
	return nil
}

// validateProfile checks an AWS profile name for a credential method.
func validateProfile(method, s string) error {
	switch {
	case strings.ContainsAny(s, " \t"):
		return errors.New("a profile name has no spaces")
	case s == "" && method == credSSO:
		return errors.New("sso needs a profile: run aws configure sso to create one")
	}
	return nil
}

func validateExportCommand(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("the export method needs a command")
	}
	return nil
}

// validateModel resolves a model as a session in the region would: a
// misspelt alias or a malformed ID is refused; what resolution only notes
// (a foundation-model ID turned into a profile, a geography that does not
// serve the region) is returned as notices.
func validateModel(id, region string) (notices []string, err error) {
	res, err := model.Resolve(model.Request{Provider: model.ProviderBedrock, Region: region, Value: id})
	if err != nil {
		return nil, err
	}
	return res.Notices, nil
}

// validateGuardrail checks "ID:VERSION" with the form's two field rules.
func validateGuardrail(spec string) error {
	i := strings.LastIndex(spec, ":")
	if i <= 0 {
		return errors.New("want ID:VERSION, e.g. abc123def456:1")
	}
	var msgs []string
	for _, err := range []error{config.ValidateGuardrailID(spec[:i]), config.ValidateGuardrailVersion(spec[i+1:])} {
		if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

// checkFlags validates every answer given as a flag, all at once, naming
// each flag. region is where the models will be used (the flag's, else
// the current one). It returns the notices of model resolution.
func (o *setupOptions) checkFlags(region string) (notices []string, _ error) {
	var problems []error
	bad := func(flag, value string, err error) {
		problems = append(problems, fmt.Errorf("--%s %q: %w", flag, value, err))
	}
	for _, f := range []struct {
		flag, value string
		allowed     []string
	}{{"credentials", o.Credentials, credentialMethods}, {"scope", o.Scope, setupScopes}, {"cache-ttl", o.CacheTTL, cacheTTLs}} {
		if f.value != "" && !slices.Contains(f.allowed, f.value) {
			bad(f.flag, f.value, fmt.Errorf("want one of %s", strings.Join(f.allowed, ", ")))
		}
	}
	if o.Region != "" {
		if err := validateRegion(o.Region); err != nil {
			bad("region", o.Region, err)
		} else {
			region = o.Region
		}
	}
	if o.Profile != "" {
		if err := validateProfile(o.Credentials, o.Profile); err != nil {
			bad("profile", o.Profile, err)
		}
	}
	if o.ExportCommand != "" {
		if err := validateExportCommand(o.ExportCommand); err != nil {
			bad("export-command", o.ExportCommand, err)
		}
	}
	for _, m := range []struct{ flag, value string }{{"model", o.Model}, {"small-fast-model", o.SmallFastModel}} {
		if m.value == "" {
			continue
		}
		ns, err := validateModel(m.value, region)
		if err != nil {
			bad(m.flag, m.value, err)
			continue
		}
		for _, n := range ns {
			notices = append(notices, fmt.Sprintf("--%s: %s", m.flag, n))
		}
	}
	if o.Guardrail != "" {
		if err := validateGuardrail(o.Guardrail); err != nil {
			bad("guardrail", o.Guardrail, err)
		}
	}
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = "  " + p.Error()
		}
		return nil, &UsageError{Err: fmt.Errorf("setup: nothing written, %d bad %s:\n%s", len(problems), pluralWord(len(problems), "flag", "flags"), strings.Join(lines, "\n")),
			Hint: "correct the flags named above; `basalt setup --help` describes each (on a terminal, basalt setup asks instead)"}
	}
	return notices, nil
}
