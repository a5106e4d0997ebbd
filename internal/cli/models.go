package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

type modelsOptions struct {
	JSON bool
}

func newModelsCmd(app *App, runF func(context.Context, *App, *modelsOptions) error) *cobra.Command {
	opts := &modelsOptions{}
	cmd := &cobra.Command{
		Use:   "models",
		Short: "Show the resolved models and the inference profiles visible in the region",
		Long: `Show the model of each role (primary, small/fast, and what the opus, sonnet
and haiku aliases mean), where each choice came from, the ID basalt sends,
its region, context window, maximum output and price per million tokens;
then the Claude inference profiles visible in the region, and which of them
basalt can use with known prices and limits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runModels(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print one JSON object")
	return cmd
}

// priceView is a price per million tokens, and which endpoint it is for.
type priceView struct {
	Endpoint     string  `json:"endpoint"` // "global", "regional", or "any" where both cost the same
	Input        float64 `json:"input"`
	Output       float64 `json:"output"`
	CacheWrite5m float64 `json:"cache_write_5m"`
	CacheWrite1h float64 `json:"cache_write_1h"`
	CacheRead    float64 `json:"cache_read"`
}

type roleView struct {
	Role          string     `json:"role"`
	Source        string     `json:"source"`
	ID            string     `json:"id"`
	Region        string     `json:"region,omitempty"`
	Model         string     `json:"model"` // catalog name; "" when basalt does not know it
	ContextWindow int        `json:"context_window,omitempty"`
	MaxOutput     int        `json:"max_output,omitempty"`
	MaxTokens     int        `json:"max_tokens,omitempty"` // the output limit requests send (config.OutputLimitsFor)
	Price         *priceView `json:"price"`                // null when unknown
	Notices       []string   `json:"notices"`
	Error         string     `json:"error,omitempty"`
}

type profileView struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Type            string   `json:"type"`
	ARN             string   `json:"arn"`
	FoundationModel string   `json:"foundation_model"`
	Model           string   `json:"model"` // catalog name; "" when basalt does not know it
	Usable          bool     `json:"usable"`
	Note            string   `json:"note,omitempty"`
	UsedBy          []string `json:"used_by"`
}

type modelsView struct {
	Provider      string        `json:"provider"`
	Region        string        `json:"region,omitempty"`
	Roles         []roleView    `json:"roles"`
	Profiles      []profileView `json:"profiles"`
	ProfilesError string        `json:"profiles_error,omitempty"`
}

func runModels(ctx context.Context, app *App, opts *modelsOptions) error {
	cfg, err := app.loadConfig(ctx)
	if err != nil && !onlyModelProblems(cfg, err) {
		return err
	}
	client, err := app.newProvider(ctx, nil)
	if err != nil {
		return err
	}
	roles := doctor.ResolveRoles(ctx, client, cfg)
	view := &modelsView{Provider: string(cfg.Provider.Value), Roles: []roleView{}, Profiles: []profileView{}}
	var firstErr error
	for _, r := range roles {
		rv := newRoleView(r)
		if r.Err == nil {
			rv.MaxTokens = cfg.OutputLimitsFor(r.Resolved.Model).MaxTokens
		}
		view.Roles = append(view.Roles, rv)
		if r.Err != nil && firstErr == nil {
			firstErr = r.Err
		}
	}
	var listErr error
	if cfg.Provider.Value == config.ProviderBedrock {
		view.Region = cfg.Region.Value
		profiles, err := client.ListProfiles(ctx, "")
		if err != nil {
			listErr = &hintedError{err: err, hint: "`basalt doctor` checks the credentials, the endpoint and the permissions this needs"}
			view.ProfilesError = config.RedactText(err.Error())
		}
		view.Profiles = profileViews(profiles, roles, cfg)
	}
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
	if firstErr != nil {
		return firstErr
	}
	return listErr
}

func newRoleView(r doctor.Role) roleView {
	v := roleView{Role: r.Name, Source: r.Source, Region: r.Region, Notices: []string{}}
	if r.Err != nil {
		v.Error = r.Err.Error()
		return v
	}
	res := r.Resolved
	v.ID = res.ID
	v.Notices = append(v.Notices, res.Notices...)
	m := res.Model
	if m == nil {
		return v
	}
	v.Model = m.Name
	v.ContextWindow = m.ContextWindow
	if res.LongContext && m.LongContext > 0 {
		v.ContextWindow = m.LongContext
	}
	v.MaxOutput = m.MaxOutput
	if m.PricesKnown {
		p := m.PriceFor(res.ID)
		endpoint := "regional"
		switch {
		case m.GlobalPrice == m.RegionalPrice:
			endpoint = "any"
		case p == m.GlobalPrice:
			endpoint = "global"
		}
		v.Price = &priceView{Endpoint: endpoint, Input: p.Input, Output: p.Output,
			CacheWrite5m: p.CacheWrite5m, CacheWrite1h: p.CacheWrite1h, CacheRead: p.CacheRead}
	}
	return v
}

// profileViews lists the Claude profiles with whether basalt can use
// each: a model in its catalog, so that prices, limits and the cache
// minimum are known.
func profileViews(profiles []provider.Profile, roles []doctor.Role, cfg *config.Config) []profileView {
	out := []profileView{}
	for _, p := range profiles {
		fm := p.FoundationModelID()
		if !strings.Contains(p.ID, "anthropic.") && !strings.Contains(fm, "anthropic.") {
			continue
		}
		v := profileView{ID: p.ID, Name: p.Name, Type: p.Type, ARN: p.ARN, FoundationModel: fm, UsedBy: []string{}}
		if p.Type == provider.ProfileTypeMantle {
			v.Model, v.Usable, v.Note = mantleModel(p.ID)
		} else if m, ok := model.Lookup(fm); ok {
			v.Model, v.Usable = m.Name, true
		} else {
			v.Note = "not in basalt's catalog: usable as an explicit ID, with unknown cost and limits"
		}
		if v.Usable && p.Type != "APPLICATION" && p.Type != provider.ProfileTypeMantle {
			if _, err := model.Resolve(model.Request{Provider: model.ProviderBedrock, Region: cfg.Region.Value, Value: p.ID}); err != nil {
				v.Usable, v.Note = false, err.Error()
			}
		}
		for _, r := range roles {
			if r.Err == nil && (r.Resolved.ID == p.ID || r.Resolved.ID == p.ARN) && (r.Region == "" || r.Region == cfg.Region.Value) {
				v.UsedBy = append(v.UsedBy, r.Name)
			}
		}
		out = append(out, v)
	}
	return out
}

func (v *modelsView) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tID\tMODEL\tCONTEXT\tMAX OUT\tSENT\tPRICE $/MTOK (IN/OUT/5M WRITE/1H WRITE/READ)\tSOURCE")
	var notes []string
	for _, r := range v.Roles {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\terror\t\t\t\t\t\t%s\n", r.Role, r.Source)
			notes = append(notes, fmt.Sprintf("%s: %s", r.Role, r.Error))
			continue
		}
		id := r.ID
		if r.Region != "" && r.Region != v.Region {
			id += " (in " + r.Region + ")"
		}
		name, ctxw, maxOut, price := "unknown", "?", "?", "unknown"
		if r.Model != "" {
			name, ctxw, maxOut = r.Model, tokens(r.ContextWindow), tokens(r.MaxOutput)
		}
		if p := r.Price; p != nil {
			price = fmt.Sprintf("%s/%s/%s/%s/%s %s", num(p.Input), num(p.Output), num(p.CacheWrite5m), num(p.CacheWrite1h), num(p.CacheRead), p.Endpoint)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Role, id, name, ctxw, maxOut, tokens(r.MaxTokens), price, r.Source)
		for _, n := range r.Notices {
			notes = append(notes, fmt.Sprintf("%s: %s", r.Role, n))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if v.Provider != string(config.ProviderBedrock) {
		return nil
	}
	fmt.Fprintf(w, "\nClaude inference profiles in %s:\n", v.Region)
	if v.ProfilesError != "" {
		// The error itself is printed once, on stderr, with its fix.
		fmt.Fprintln(w, "  could not list them (the error follows)")
		return nil
	}
	if len(v.Profiles) == 0 {
		fmt.Fprintln(w, "  none")
		return nil
	}
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMODEL\tTYPE\tUSABLE\tUSED BY")
	for _, p := range v.Profiles {
		id := p.ID
		if p.Type == "APPLICATION" {
			id = p.ARN
		}
		name := p.Model
		if name == "" {
			name = p.FoundationModel
		}
		usable := "yes"
		if !p.Usable {
			usable = "no: " + p.Note
		}
		typ := "system"
		if p.Type == "APPLICATION" {
			typ = "application (" + p.Name + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, name, typ, usable, strings.Join(p.UsedBy, ", "))
	}
	return tw.Flush()
}

// tokens writes a token count the way model cards do: 200K, 1M, 8192.
func tokens(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dK", n/1000)
	}
	return fmt.Sprint(n)
}

// num writes a price without trailing zeros: 3, 3.75, 0.3.
func num(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// hintedError carries advice for an error that has none of its own.
type hintedError struct {
	err  error
	hint string
}

func (e *hintedError) Error() string { return e.err.Error() }
func (e *hintedError) Unwrap() error { return e.err }
func (e *hintedError) Hint() string {
	if h := hintFor(e.err); h != "" {
		return h
	}
	return e.hint
}

// onlyModelProblems reports whether every configuration problem is a
// model that does not resolve: models then still shows every role, the
// broken one marked, and exits 2 with its error.
func onlyModelProblems(cfg *config.Config, err error) bool {
	var cfgErr *config.Error
	if cfg == nil || !errors.As(err, &cfgErr) {
		return false
	}
	for _, p := range cfgErr.Problems {
		if !errors.Is(p, model.ErrInvalidModel) {
			return false
		}
	}
	return true
}

// mantleModel is what basalt knows of a model Mantle lists: its name when
// the catalog has it (prices, limits), else a note.
func mantleModel(id string) (name string, usable bool, note string) {
	res, err := config.ResolveMantle(model.Request{Provider: model.ProviderBedrock, Value: id})
	if err != nil || res.Model == nil {
		return "", false, "not in basalt's catalog: usable as an explicit ID, with unknown cost and limits"
	}
	return res.Model.Name, true, ""
}
