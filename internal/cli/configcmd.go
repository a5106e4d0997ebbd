package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/memory"
	"github.com/basalt-dev/basalt/internal/model"
)

func newConfigCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Inspect the effective configuration",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newConfigShowCmd(app, nil))
	return cmd
}

type configShowOptions struct {
	JSON bool
}

func newConfigShowCmd(app *App, runF func(context.Context, *App, *configShowOptions) error) *cobra.Command {
	opts := &configShowOptions{}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the effective settings with the source of every value, secrets redacted",
		Long: `Print the effective configuration: every setting and environment variable
basalt uses, its value, and where the value came from (default, env NAME,
flag --x, user/project/local/settings/managed PATH, profile NAME).
Secrets are redacted. Problems are listed and make the exit code 2.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runConfigShow(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print one JSON object")
	return cmd
}

func runConfigShow(ctx context.Context, app *App, opts *configShowOptions) error {
	// config show is how users inspect an untrusted folder: it never
	// refuses, and marks what it left out.
	app.allowUntrusted = true
	cfg, loadErr := app.loadConfig(ctx)
	if cfg == nil {
		return loadErr
	}
	view := newConfigView(cfg, loadErr)
	var err error
	if opts.JSON {
		enc := json.NewEncoder(app.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(view)
	} else {
		err = view.writeText(app.IO.Out)
	}
	if err != nil {
		return err
	}
	return loadErr
}

// sourced is a value with its source, as config show prints it. A value
// nobody set and that has no default is null.
type sourced struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// show prints a value through the redaction rule (config.RedactText):
// any setting may hold a secret by shape, such as a base URL with a
// password or an awsCredentialExport command with a token in it.
func show[T comparable](v config.Value[T]) sourced {
	var val any = v.Value
	var zero T
	_, isBool := val.(bool)
	if !v.Set && v.Value == zero && !isBool {
		val = nil
	}
	if s, ok := val.(string); ok {
		val = config.RedactText(s)
	}
	return sourced{Value: val, Source: config.RedactText(v.Source.String())}
}

// mcpServerView is one configured MCP server: where it is defined and
// whether it starts, without connecting it.
type mcpServerView struct {
	Name   string `json:"name"`
	Scope  string `json:"scope"`
	Type   string `json:"type,omitempty"`
	Target string `json:"target,omitempty"` // the command line or URL, secrets hidden
	File   string `json:"file,omitempty"`
	State  string `json:"state"`
}

type ruleView struct {
	Rule   string `json:"rule"`
	Source string `json:"source"`
	// Location is FILE:LINE:COL for a rule from a settings file.
	Location string `json:"location,omitempty"`
	// Problem says why basalt cannot compile the rule as written and what
	// it does instead (the session enforces exactly that).
	Problem string `json:"problem,omitempty"`
}

type fileView struct {
	Level  string `json:"level"`
	Path   string `json:"path"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

type headerView struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// configView is the "config show" document. Field order is the order of
// the text output.
type configView struct {
	WorkDir     string `json:"work_dir"`
	ProjectRoot string `json:"project_root"`

	Provider        sourced `json:"provider"`
	Region          sourced `json:"region"`
	AWSProfile      sourced `json:"aws_profile"`
	RegionPrefix    sourced `json:"region_prefix"`
	Model           sourced `json:"model"`
	SmallFastModel  sourced `json:"small_fast_model"`
	SmallFastRegion sourced `json:"small_fast_model_region"`
	OpusModel       sourced `json:"opus_model"`
	SonnetModel     sourced `json:"sonnet_model"`
	HaikuModel      sourced `json:"haiku_model"`

	ModelOverrides map[string]sourced `json:"model_overrides"`
	// ResolvedModels is what a session sends for each model, with the
	// notices it shows (opusplan, unknown prices); absent without a
	// provider.
	ResolvedModels []resolvedModelView `json:"resolved_models"`

	PromptCachingDisabled       sourced `json:"prompt_caching_disabled"`
	PromptCachingDisabledOpus   sourced `json:"prompt_caching_disabled_opus"`
	PromptCachingDisabledSonnet sourced `json:"prompt_caching_disabled_sonnet"`
	PromptCachingDisabledHaiku  sourced `json:"prompt_caching_disabled_haiku"`
	PromptCaching1H             sourced `json:"prompt_caching_1h"`
	ForcePromptCaching5M        sourced `json:"force_prompt_caching_5m"`

	MaxOutputTokens   sourced `json:"max_output_tokens"`
	MaxThinkingTokens sourced `json:"max_thinking_tokens"`
	// Sends is what the primary model's requests actually send
	// (config.OutputLimitsFor); null without a resolved model.
	Sends      *sendsView `json:"sends"`
	MaxRetries sourced    `json:"max_retries"`

	CustomHeaders       sourced `json:"custom_headers"`
	AWSAuthRefresh      sourced `json:"aws_auth_refresh"`
	AWSCredentialExport sourced `json:"aws_credential_export"`
	BedrockBaseURL      sourced `json:"bedrock_base_url"`
	SkipBedrockAuth     sourced `json:"skip_bedrock_auth"`
	AnthropicBaseURL    sourced `json:"anthropic_base_url"`
	netView

	PermissionMode        sourced           `json:"permission_mode"`
	BypassDisabled        sourced           `json:"bypass_permissions_disabled"`
	Allow                 []ruleView        `json:"permissions_allow"`
	Ask                   []ruleView        `json:"permissions_ask"`
	Deny                  []ruleView        `json:"permissions_deny"`
	AdditionalDirectories []ruleView        `json:"additional_directories"`
	MCPServers            []mcpServerView   `json:"mcp_servers,omitempty"`
	Sandbox               sandboxView       `json:"sandbox"`
	BashEnvironment       sourced           `json:"bash_environment"`
	OutputStyle           *sourced          `json:"output_style,omitempty"` // when set
	CleanupPeriodDays     sourced           `json:"cleanup_period_days"`
	LogLevel              sourced           `json:"log_level"`
	StateDir              string            `json:"state_dir"`
	Env                   envView           `json:"env"`
	EnvOverrides          []envOverrideView `json:"env_overrides"`
	Files                 []fileView        `json:"files"`
	Memory                []memoryView      `json:"memory_files"`
	IgnoredFeatures       []ignoredView     `json:"ignored_claude_code_features"`
	ProjectTrust          *trustView        `json:"project_trust,omitempty"`
	Warnings              []string          `json:"warnings"`
	Problems              []string          `json:"problems"`
	headers               []headerView      // text output only
}

type envView map[string]sourced

// resolvedModelView is one model as a session resolves it.
// sendsView is the output limit and thinking budget a request sends, and
// why: they may differ from the settings (the default, raised to fit the
// thinking budget, the model's maximum).
type sendsView struct {
	MaxTokens      int    `json:"max_tokens"`
	Why            string `json:"why"`
	ThinkingBudget int    `json:"thinking_budget"`
	Thinking       string `json:"thinking"` // what a turn sends: adaptive, budget N, off (…)
	ModelMax       int    `json:"model_max_output,omitempty"`
}

type resolvedModelView struct {
	Role    string   `json:"role"`
	ID      string   `json:"id"`
	Source  string   `json:"source"`
	Notices []string `json:"notices"`
}

// envOverrideView is a process variable a settings file's env replaced,
// values redacted by the variable's rule.
type envOverrideView struct {
	Name    string `json:"name"`
	Process string `json:"process_value"`
	Value   string `json:"value"`
	By      string `json:"overridden_by"`
}

// memoryView is one memory file in force; a duplicate is listed with the
// path whose text stands for it.
type memoryView struct {
	Path        string `json:"path"`
	RealPath    string `json:"real_path,omitempty"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	Kind        string `json:"kind,omitempty"`
	// Paths are a rule's globs: it loads when the model touches a match.
	Paths []string `json:"paths,omitempty"`
	Error string   `json:"error,omitempty"` // a rule's front matter is wrong: not loaded
}

// ignoredView is a Claude Code setting basalt does not implement, and the
// files that set it.
type ignoredView struct {
	Key   string   `json:"key"`
	Files []string `json:"files"`
}

// trustView lists the risky project settings (DESIGN.md §9) and whether
// they apply; absent when there are none.
type trustView struct {
	Root        string           `json:"root"`
	Trusted     bool             `json:"trusted"`
	Fingerprint string           `json:"fingerprint"`
	Settings    []trustedSetting `json:"settings"`
}

type trustedSetting struct {
	Setting  string `json:"setting"`
	Value    string `json:"value"`
	Location string `json:"location"`
	Effect   string `json:"effect"`
	Status   string `json:"status"`
}

// Status words of a risky setting in config show.
const (
	trustApplied    = "applied: folder trusted"
	trustNotApplied = "not applied: folder not trusted"
)

func newTrustView(t config.Trust) *trustView {
	if len(t.Findings) == 0 {
		return nil
	}
	v := &trustView{Root: t.Root, Trusted: t.Trusted, Fingerprint: t.Fingerprint, Settings: []trustedSetting{}}
	status := trustNotApplied
	if t.Trusted {
		status = trustApplied
	}
	for _, f := range t.Findings {
		v.Settings = append(v.Settings, trustedSetting{f.Setting, f.Value, f.Location(), f.Effect, status})
	}
	return v
}

func newConfigView(cfg *config.Config, loadErr error) *configView {
	v := &configView{
		WorkDir:         cfg.WorkDir,
		ProjectRoot:     cfg.ProjectRoot,
		Provider:        show(cfg.Provider),
		Region:          show(cfg.Region),
		AWSProfile:      show(cfg.Profile),
		RegionPrefix:    show(cfg.RegionPrefix),
		Model:           show(cfg.Model),
		SmallFastModel:  show(cfg.SmallFastModel),
		SmallFastRegion: show(cfg.SmallFastRegion),
		OpusModel:       show(cfg.OpusModel),
		SonnetModel:     show(cfg.SonnetModel),
		HaikuModel:      show(cfg.HaikuModel),
		ModelOverrides:  map[string]sourced{},

		PromptCachingDisabled:       show(cfg.DisablePromptCaching),
		PromptCachingDisabledOpus:   show(cfg.DisablePromptCachingOpus),
		PromptCachingDisabledSonnet: show(cfg.DisablePromptCachingSonnet),
		PromptCachingDisabledHaiku:  show(cfg.DisablePromptCachingHaiku),
		PromptCaching1H:             show(cfg.PromptCaching1H),
		ForcePromptCaching5M:        show(cfg.ForcePromptCaching5M),
		MaxOutputTokens:             show(cfg.MaxOutputTokens),
		MaxThinkingTokens:           show(cfg.MaxThinkingTokens),
		MaxRetries:                  show(cfg.MaxRetries),
		AWSAuthRefresh:              show(cfg.AWSAuthRefresh),
		AWSCredentialExport:         show(cfg.AWSCredentialExport),
		BedrockBaseURL:              show(cfg.BedrockBaseURL),
		SkipBedrockAuth:             show(cfg.SkipBedrockAuth),
		AnthropicBaseURL:            show(cfg.AnthropicBaseURL),
		PermissionMode:              show(cfg.Permissions.DefaultMode),
		BypassDisabled:              show(cfg.Permissions.DisableBypass),
		BashEnvironment:             show(cfg.BashEnvironment),
		CleanupPeriodDays:           show(cfg.CleanupPeriodDays),
		LogLevel:                    show(cfg.LogLevel),
		StateDir:                    cfg.StateDir,
		Env:                         envView{},
		ProjectTrust:                newTrustView(cfg.Trust),
		Warnings:                    []string{},
		Problems:                    []string{},
	}
	v.netView = newNetView(cfg)
	v.Sandbox = newSandboxView(cfg.Sandbox)
	for k, mo := range cfg.ModelOverrides {
		v.ModelOverrides[k] = show(mo)
	}
	// Config.Warnings are redacted where they are made (warnf).
	v.Warnings = append(v.Warnings, cfg.Warnings...)
	for _, h := range cfg.CustomHeaders.Value {
		v.headers = append(v.headers, headerView{h.Name, config.RedactHeader(h.Name, h.Value)})
	}
	if cfg.OutputStyle.Set {
		st := show(cfg.OutputStyle)
		v.OutputStyle = &st
	}
	v.CustomHeaders = sourced{Value: v.headers, Source: cfg.CustomHeaders.Source.String()}
	if v.headers == nil {
		v.CustomHeaders.Value = nil
	}
	rules := func(rs []config.Rule) []ruleView {
		out := []ruleView{}
		for _, r := range rs {
			rv := ruleView{Rule: config.RedactText(r.String()), Source: r.Source.String(), Problem: config.RedactText(r.Problem)}
			if r.Line > 0 {
				rv.Location = r.Where()
			}
			out = append(out, rv)
		}
		return out
	}
	v.Allow, v.Ask, v.Deny = rules(cfg.Permissions.Allow), rules(cfg.Permissions.Ask), rules(cfg.Permissions.Deny)
	v.AdditionalDirectories = []ruleView{}
	for _, d := range cfg.Permissions.AdditionalDirectories {
		v.AdditionalDirectories = append(v.AdditionalDirectories, ruleView{Rule: config.RedactText(d.Value), Source: d.Source.String()})
	}
	for _, m := range cfg.MCP.Servers {
		state := "starts with the session"
		switch {
		case m.NeedsApproval:
			state = "waits for your approval (a project server)"
		case m.Approval != "":
			state = "starts: " + m.Approval
		}
		v.MCPServers = append(v.MCPServers, mcpServerView{Name: m.Name, Scope: m.Scope, Type: m.Type, Target: config.RedactText(m.Target()), File: m.File, State: state})
	}
	for _, m := range cfg.MCP.Skipped {
		v.MCPServers = append(v.MCPServers, mcpServerView{Name: m.Name, Scope: m.Scope, State: "skipped: " + m.Reason})
	}
	v.ResolvedModels = []resolvedModelView{}
	if cfg.Provider.Value != config.ProviderNone {
		for _, m := range []struct {
			role string
			r    model.Resolved
		}{{"primary", cfg.Resolved}, {"small/fast", cfg.ResolvedSmallFast}} {
			if m.r.ID == "" {
				continue // its failure is among the problems
			}
			notices := []string{}
			for _, n := range m.r.Notices {
				notices = append(notices, config.RedactText(n))
			}
			v.ResolvedModels = append(v.ResolvedModels, resolvedModelView{m.role, config.RedactText(m.r.ID), config.RedactText(m.r.Source), notices})
		}
	}
	if cfg.Provider.Value != config.ProviderNone && cfg.Resolved.ID != "" {
		l := cfg.OutputLimitsFor(cfg.Resolved.Model)
		v.Sends = &sendsView{MaxTokens: l.MaxTokens, Why: config.RedactText(l.Why), ThinkingBudget: l.Thinking, Thinking: l.ThinkingMode, ModelMax: l.ModelMax}
	}
	v.EnvOverrides = []envOverrideView{}
	for _, o := range cfg.EnvOverrides {
		v.EnvOverrides = append(v.EnvOverrides, envOverrideView{o.Name, config.RedactVar(o.Name, o.Process), config.RedactVar(o.Name, o.Value), config.RedactText(o.By.String())})
	}
	v.Memory = []memoryView{}
	for _, m := range memory.Discover(cfg.UserMemoryPaths(), cfg.ProjectRoot, cfg.WorkDir) {
		mv := memoryView{Path: m.Path, RealPath: m.RealPath, DuplicateOf: m.DuplicateOf, Kind: string(m.Kind), Paths: m.Paths}
		if m.Err != nil {
			mv.Error = m.Err.Error()
		}
		v.Memory = append(v.Memory, mv)
	}
	v.IgnoredFeatures = []ignoredView{}
	for _, k := range cfg.Ignored {
		v.IgnoredFeatures = append(v.IgnoredFeatures, ignoredView{k.Key, k.Files})
	}
	for _, e := range cfg.EffectiveEnv() {
		v.Env[e.Name] = sourced{Value: config.RedactVar(e.Name, e.Value), Source: e.Source.String()}
	}
	for _, f := range cfg.Files {
		fv := fileView{Level: f.Level.String(), Path: f.Path, Status: f.Status}
		if f.Err != nil {
			fv.Error = config.RedactText(f.Err.Error())
		}
		v.Files = append(v.Files, fv)
	}
	if cfg.Provider.Value == config.ProviderNone {
		v.Warnings = append(v.Warnings, config.ErrNoProvider.Error())
	}
	var cfgErr *config.Error
	if errors.As(loadErr, &cfgErr) {
		for _, p := range cfgErr.Problems {
			v.Problems = append(v.Problems, config.RedactText(p.Error()))
		}
	}
	return v
}

func (v *configView) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(name string, s sourced) {
		val := "-"
		if s.Value != nil {
			val = fmt.Sprint(s.Value)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, val, s.Source)
	}
	fmt.Fprintf(tw, "Project\t%s\t\n", v.ProjectRoot)
	fmt.Fprintln(tw, "Provider\t\t")
	row("provider", v.Provider)
	row("region", v.Region)
	row("AWS profile", v.AWSProfile)
	row("profile prefix", v.RegionPrefix)
	row("Bedrock base URL", v.BedrockBaseURL)
	row("skip Bedrock auth", v.SkipBedrockAuth)
	row("Anthropic base URL", v.AnthropicBaseURL)
	row("awsAuthRefresh", v.AWSAuthRefresh)
	row("awsCredentialExport", v.AWSCredentialExport)
	v.netView.writeText(row)
	fmt.Fprintln(tw, "Models\t\t")
	row("model", v.Model)
	row("small/fast model", v.SmallFastModel)
	row("small/fast region", v.SmallFastRegion)
	row("opus alias", v.OpusModel)
	row("sonnet alias", v.SonnetModel)
	row("haiku alias", v.HaikuModel)
	for _, k := range sortedKeys(v.ModelOverrides) {
		row("override "+k, v.ModelOverrides[k])
	}
	for _, m := range v.ResolvedModels {
		fmt.Fprintf(tw, "  sends (%s)\t%s\t%s\n", m.Role, m.ID, m.Source)
		for _, n := range m.Notices {
			fmt.Fprintf(tw, "    note\t\t%s\n", n) // last cell: a long note does not widen the columns
		}
	}
	fmt.Fprintln(tw, "Requests\t\t")
	row("max output tokens", v.MaxOutputTokens)
	row("max thinking tokens", v.MaxThinkingTokens)
	if x := v.Sends; x != nil {
		limit := fmt.Sprint(x.MaxTokens)
		if x.ModelMax > 0 {
			limit += fmt.Sprintf(" (model maximum %d)", x.ModelMax)
		}
		fmt.Fprintf(tw, "  sends max_tokens\t%s\t%s\n", limit, x.Why)
		fmt.Fprintf(tw, "  sends thinking\t%s\t\n", x.Thinking)
	}
	row("max retries", v.MaxRetries)
	row("caching disabled", v.PromptCachingDisabled)
	row("caching 1h TTL", v.PromptCaching1H)
	row("force 5m TTL", v.ForcePromptCaching5M)
	for _, h := range v.headers {
		fmt.Fprintf(tw, "  header %s\t%s\t%s\n", h.Name, h.Value, v.CustomHeaders.Source)
	}
	fmt.Fprintln(tw, "Permissions\t\t")
	row("mode", v.PermissionMode)
	if v.BypassDisabled.Value == true {
		row("bypass disabled", v.BypassDisabled)
	}
	row("bash environment", v.BashEnvironment)
	for _, group := range []struct {
		name  string
		rules []ruleView
	}{{"allow", v.Allow}, {"ask", v.Ask}, {"deny", v.Deny}, {"directory", v.AdditionalDirectories}} {
		for _, r := range group.rules {
			src := r.Source
			if r.Location != "" {
				src = r.Location
			}
			if r.Problem != "" {
				src += " (kept in a weaker form: see Warnings)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", group.name, oneLine(r.Rule), src)
		}
	}
	if len(v.MCPServers) > 0 {
		fmt.Fprintln(tw, "MCP servers (`basalt mcp list` connects and shows status)\t\t")
		for _, m := range v.MCPServers {
			where := m.Scope
			if m.File != "" {
				where += " " + m.File
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s; %s\n", m.Name, oneLine(m.Target), where, m.State)
		}
	}
	fmt.Fprintln(tw, "Sandbox (Bash; /sandbox shows the policy)\t\t")
	v.Sandbox.writeText(row)
	fmt.Fprintln(tw, "Sessions and logs\t\t")
	row("cleanup period (days)", v.CleanupPeriodDays)
	row("log level", v.LogLevel)
	if v.OutputStyle != nil {
		row("output style", *v.OutputStyle)
	}
	fmt.Fprintf(tw, "  state directory\t%s\t\n", v.StateDir)
	fmt.Fprintln(tw, "Environment\t\t")
	for _, k := range sortedKeys(v.Env) {
		e := v.Env[k]
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k, oneLine(fmt.Sprint(e.Value)), e.Source)
	}
	for _, o := range v.EnvOverrides {
		fmt.Fprintf(tw, "  env %s=%s\toverridden by %s\t(process environment had %s)\n", o.Name, oneLine(o.Value), o.By, oneLine(o.Process))
	}
	fmt.Fprintln(tw, "Settings files\t\t")
	for _, f := range v.Files {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Level, f.Path, f.Status)
	}
	fmt.Fprintln(tw, "Memory files\t\t")
	if len(v.Memory) == 0 {
		fmt.Fprintln(tw, "  none\t\t")
	}
	for _, m := range v.Memory {
		if m.DuplicateOf != "" {
			fmt.Fprintf(tw, "  %s\tsame file as %s: read once\t\n", m.Path, m.DuplicateOf)
			continue
		}
		state := "in force"
		switch {
		case m.Error != "":
			state = "not loaded: " + m.Error
		case len(m.Paths) > 0:
			state = "loaded when the model touches " + strings.Join(m.Paths, ", ")
		}
		if m.RealPath != "" && m.RealPath != m.Path {
			state += ", read as " + m.RealPath
		}
		fmt.Fprintf(tw, "  %s\t%s\t\n", m.Path, state)
	}
	if len(v.IgnoredFeatures) > 0 {
		fmt.Fprintln(tw, "Claude Code features basalt ignores\t\t")
		for _, k := range v.IgnoredFeatures {
			fmt.Fprintf(tw, "  %s\t%s\t\n", k.Key, strings.Join(k.Files, ", "))
		}
	}
	if t := v.ProjectTrust; t != nil {
		fmt.Fprintln(tw, "Project settings that need trust\t\t")
		for _, s := range t.Settings {
			fmt.Fprintf(tw, "  %s\t%s\t%s  %s\n", s.Setting, s.Value, s.Location, s.Status)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if t := v.ProjectTrust; t != nil && !t.Trusted {
		fmt.Fprintf(w, "The folder %s is not trusted, so the settings above are not applied; `basalt trust` applies them.\n", t.Root)
	}
	for _, title := range []struct {
		name  string
		items []string
	}{{"Warnings", v.Warnings}, {"Problems", v.Problems}} {
		if len(title.items) == 0 {
			continue
		}
		fmt.Fprintln(w, title.name)
		for _, s := range title.items {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	return nil
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
