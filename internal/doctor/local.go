package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
)

// This file holds the checks that read the configuration only.

func (r *runner) checkProvider(context.Context) Check {
	c := Check{ID: "provider"}
	cfg := r.in.Config
	switch cfg.Provider.Value {
	case config.ProviderBedrock:
		c.Status = StatusOK
		c.Summary = fmt.Sprintf("Amazon Bedrock (%s)", cfg.Provider.Source)
		c.Detail = "endpoint: " + r.endpoint()
	case config.ProviderAnthropic:
		c.Status = StatusOK
		c.Summary = fmt.Sprintf("the Anthropic API (%s)", cfg.Provider.Source)
		c.Detail = "endpoint: " + r.endpoint()
	default:
		c.Status = StatusFail
		c.Summary = "no model provider configured"
		c.Detail = config.ErrNoProvider.Error()
		c.Fix = `export CLAUDE_CODE_USE_BEDROCK=1 and AWS_REGION (or put them in the "env" of a settings file) to use Amazon Bedrock; set ANTHROPIC_API_KEY to use the Anthropic API`
	}
	return c
}

// endpoint is where model requests go, with the source of an override.
func (r *runner) endpoint() string {
	cfg := r.in.Config
	switch cfg.Provider.Value {
	case config.ProviderBedrock:
		if cfg.BedrockBaseURL.Set {
			return fmt.Sprintf("%s (%s)", cfg.BedrockBaseURL.Value, cfg.BedrockBaseURL.Source)
		}
		return fmt.Sprintf("https://bedrock-runtime.%s.amazonaws.com (control plane https://bedrock.%s.amazonaws.com)", cfg.Region.Value, cfg.Region.Value)
	case config.ProviderAnthropic:
		if cfg.AnthropicBaseURL.Set {
			return fmt.Sprintf("%s (%s)", cfg.AnthropicBaseURL.Value, cfg.AnthropicBaseURL.Source)
		}
		return "https://api.anthropic.com"
	}
	return ""
}

func (r *runner) checkSettings(context.Context) Check {
	c := Check{ID: "settings", Status: StatusOK}
	var lines, problems, typos, skipped []string
	var ignored, unknown []string
	loaded := 0
	for _, f := range r.in.Config.Files {
		switch f.Status {
		case config.StatusAbsent:
			continue
		case config.StatusLoaded:
			loaded++
			lines = append(lines, fmt.Sprintf("%s %s: loaded", f.Level, f.Path))
			for _, k := range f.Settings.Unknown {
				// The configuration layer tells a Claude Code feature
				// basalt ignores from a misspelling, so doctor and config
				// show say the same.
				switch near := config.SuggestKey(k); {
				case config.IsClaudeCodeKey(k):
					ignored = append(ignored, k)
				case near != "":
					typos = append(typos, fmt.Sprintf("%s: %q is not a setting basalt knows; did you mean %q?", f.Path, k, near))
				case k != "$schema":
					unknown = append(unknown, k)
				}
			}
		case config.StatusInvalid:
			msg := fmt.Sprintf("%s: --settings: no such file", f.Path)
			if f.Err != nil {
				msg = f.Err.Error()
			}
			problems = append(problems, msg)
			lines = append(lines, fmt.Sprintf("%s %s: invalid", f.Level, f.Path))
		case config.StatusSkipped:
			// Not JSON: skipped, as Claude Code skips it; the session
			// runs on the other files, so this warns and does not fail.
			skipped = append(skipped, f.Err.Error())
			lines = append(lines, fmt.Sprintf("%s %s: skipped (not JSON)", f.Level, f.Path))
		case config.StatusUnreadable:
			problems = append(problems, fmt.Sprintf("%s: cannot read it: %v", f.Path, f.Err))
			lines = append(lines, fmt.Sprintf("%s %s: unreadable", f.Level, f.Path))
		}
	}
	c.Summary = fmt.Sprintf("%d settings %s loaded", loaded, plural(loaded, "file", "files"))
	if loaded == 0 && len(problems) == 0 {
		c.Summary = "no settings files (environment and defaults only)"
	}
	for _, list := range []struct {
		keys  *[]string
		label string
	}{
		// Normal in a file shared with Claude Code: worth a mention, not
		// a warning.
		{&ignored, "Claude Code features basalt ignores"},
		{&unknown, "unknown keys, ignored"},
	} {
		slices.Sort(*list.keys)
		*list.keys = slices.Compact(*list.keys)
		if len(*list.keys) > 0 {
			c.Summary += fmt.Sprintf("; %s: %s", list.label, strings.Join(*list.keys, ", "))
		}
	}
	switch {
	case len(problems) > 0:
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("%d settings %s cannot be used", len(problems), plural(len(problems), "file", "files"))
		c.Detail = strings.Join(append(problems, lines...), "\n")
		c.Fix = "correct the file at the line and column named (JSON, no comments or trailing commas); `basalt config show` lists every file basalt reads"
	case len(skipped) > 0:
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("%d settings %s skipped: not JSON", len(skipped), plural(len(skipped), "file", "files"))
		c.Detail = strings.Join(append(append(skipped, typos...), lines...), "\n")
		c.Fix = "correct the file at the line and column named (JSON has no comments or trailing commas): until then its settings do not apply"
	case len(typos) > 0:
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("%d settings %s with a misspelt key", len(typos), plural(len(typos), "file", "files"))
		c.Detail = strings.Join(append(typos, lines...), "\n")
		c.Fix = "rename the key: as written it is ignored"
	default:
		c.Detail = strings.Join(lines, "\n")
	}
	return c
}

// checkConfig reports the problems and warnings of the values themselves
// (the files' syntax is checkSettings', the custom headers checkHeaders').
func (r *runner) checkConfig(context.Context) Check {
	c := Check{ID: "config", Status: StatusOK, Summary: "every setting and variable is valid"}
	cfg := r.in.Config
	var problems []string
	var cfgErr *config.Error
	if errors.As(r.in.ConfigErr, &cfgErr) {
		for _, p := range cfgErr.Problems {
			var pe *config.ParseError
			if errors.As(p, &pe) || strings.HasPrefix(p.Error(), "ANTHROPIC_CUSTOM_HEADERS") {
				continue
			}
			problems = append(problems, p.Error())
		}
	} else if r.in.ConfigErr != nil {
		problems = append(problems, r.in.ConfigErr.Error())
	}
	var warnings []string
	for _, w := range cfg.Warnings {
		if r.fileWarning(w) {
			continue // checkSettings and checkPermissions report the files
		}
		warnings = append(warnings, w)
	}
	overrides := map[string]string{}
	for k, v := range cfg.ModelOverrides {
		overrides[k] = v.Value
	}
	for _, k := range model.UnknownOverrideKeys(overrides) {
		warnings = append(warnings, fmt.Sprintf("modelOverrides key %q (%s) names no model basalt knows, so it never applies; key it by an Anthropic API ID such as claude-sonnet-4-6 or a foundation-model ID", k, cfg.ModelOverrides[k].Source))
	}
	switch {
	case len(problems) > 0:
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("%d invalid %s", len(problems), plural(len(problems), "setting", "settings"))
		c.Detail = strings.Join(append(problems, warnings...), "\n")
		c.Fix = "correct each value named above where its source says; `basalt config show` explains where every value comes from"
	case len(warnings) > 0:
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("%d %s", len(warnings), plural(len(warnings), "warning", "warnings"))
		c.Detail = strings.Join(warnings, "\n")
		c.Fix = "each warning above says what to change"
	}
	return c
}

// fileWarning reports whether a configuration warning is about a
// settings file (unknown key, unreadable file): those start with the
// file's path.
func (r *runner) fileWarning(w string) bool {
	for _, f := range r.in.Config.Files {
		if f.Path != "" && strings.HasPrefix(w, f.Path+":") {
			return true
		}
	}
	return false
}

func (r *runner) checkRegion(context.Context) Check {
	c := Check{ID: "region"}
	cfg := r.in.Config
	if !r.bedrock() {
		c.Status, c.Summary = StatusSkip, "not used: the provider is not Amazon Bedrock"
		return c
	}
	c.Status = StatusOK
	c.Summary = fmt.Sprintf("%s (%s)", cfg.Region.Value, cfg.Region.Source)
	if !cfg.Region.Set {
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("%s, the default: AWS_REGION, AWS_DEFAULT_REGION and the AWS profile's region are all unset", cfg.Region.Value)
		c.Detail = fmt.Sprintf("the AWS profile %q (%s) names no region either", cfg.Profile.Value, cfg.Profile.Source)
		c.Fix = "export AWS_REGION=us-east-1 (your region), put it in the \"env\" of a settings file, or set region in the AWS profile; then the region is a choice, not an accident"
	}
	if v := cfg.SmallFastRegion; v.Set {
		c.Summary += fmt.Sprintf("; small/fast model in %s (%s)", v.Value, v.Source)
	}
	if v := cfg.RegionPrefix; v.Set {
		c.Detail = strings.TrimSpace(c.Detail + fmt.Sprintf("\ninference-profile prefix %s (%s)", v.Value, v.Source))
	}
	return c
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
