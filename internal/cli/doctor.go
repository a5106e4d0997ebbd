package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/sandbox"
)

type doctorOptions struct {
	JSON bool
	Deep bool
}

func newDoctorCmd(app *App, runF func(context.Context, *App, *doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Diagnose configuration, credentials, region, models, caching and guardrail headers",
		Long: `Check everything a session depends on, one line per check: the provider,
the settings files, the region and where it came from, the credentials
(source, access key, expiry) and the commands that provide or renew them,
proxies, custom and guardrail headers, the clock against the server's,
ListInferenceProfiles, and every model in use (primary, small/fast, and the
aliases you set) with a one-token request. Each failure comes with its fix.

doctor only observes: it never runs awsAuthRefresh or writes a file.
--deep also checks that prompt caching works, with two small paid requests,
and says what they cost.

Exit status: 0 when no check fails, 1 when one does.`,
		Example: `  basalt doctor
  basalt doctor --deep
  basalt doctor --json | jq '.checks[] | select(.status != "ok")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runDoctor(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"checks":[{"id","status","summary","detail","fix"}]}`)
	cmd.Flags().BoolVar(&opts.Deep, "deep", false, "also check prompt caching (two small paid requests)")
	return cmd
}

// errReported ends a command that has printed its own account of what
// went wrong (doctor's failed checks): exit code 1, nothing more printed.
var errReported = errors.New("reported")

func runDoctor(ctx context.Context, app *App, opts *doctorOptions) error {
	cfg, cfgErr := app.loadConfig(ctx)
	if cfg == nil {
		return cfgErr
	}
	in := doctor.Input{Config: cfg, ConfigErr: cfgErr, Deep: opts.Deep}
	if p, warns, err := harness.SandboxPolicy(cfg); err == nil {
		in.Sandbox = &doctor.SandboxInput{Policy: p, Warnings: warns, Probe: sandbox.Probe, Start: sandbox.Start}
	}
	if cfg.Provider.Value != config.ProviderNone {
		client := app.doctorClient(ctx, cfg, &in)
		var pg doctor.ProfileGetter
		if client != nil {
			pg = client
		}
		in.Roles = doctor.ResolveRoles(ctx, pg, cfg)
	}
	checks := redactChecks(doctor.Run(ctx, in))
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var err error
	if opts.JSON {
		err = writeChecksJSON(app.IO.Out, checks)
	} else {
		err = writeChecksText(app.IO.Out, checks)
	}
	if err != nil {
		return err
	}
	if doctor.HasFailure(checks) {
		return errReported
	}
	return nil
}

// doctorClient builds credentials and a client the way a session does
// (harness.NewClient), with three differences that make it a diagnosis:
// awsAuthRefresh is never run (doctor observes; a browser SSO flow is not
// a side effect to trigger), failures are retried once instead of ten
// times, and every response passes the clock so its Date can be read.
//
// It fills in the credentials, the client and the clock of in, or the
// errors that stopped them, and returns the client (nil on error).
func (a *App) doctorClient(ctx context.Context, cfg *config.Config, in *doctor.Input) *provider.Client {
	// The roots a session trusts, shared by the checks, the credential
	// chain and the client.
	network := awsauth.NewNetwork(cfg.EnvMap())
	roots := network.Roots
	in.Roots = roots
	in.Network = network
	var auth *awsauth.Auth
	if cfg.Provider.Value == config.ProviderBedrock {
		var err error
		auth, err = awsauth.New(ctx, awsauth.Options{
			Network:       network,
			ChainTimeout:  cfg.Net.ChainResolveTimeout.Value,
			Env:           cfg.EnvMap(),
			Region:        cfg.Region.Value,
			SkipAuth:      cfg.SkipBedrockAuth.Value,
			ExportCommand: cfg.AWSCredentialExport.Value,
			ExportTimeout: 15 * time.Second,
			Log:           a.Log,
		})
		if err != nil {
			in.AuthErr = err
			return nil
		}
		in.Auth = auth
	}
	// The session's transport (proxies, CA bundles, dial timeout) under
	// the clock, so the checks see what a session would.
	clock := &doctor.ServerClock{Base: harness.Transport(network)}
	in.Clock = clock
	pc := harness.ProviderConfig(cfg, auth)
	pc.Log = a.Log
	pc.MaxRetries = 1
	pc.BackoffBase, pc.BackoffMax = 200*time.Millisecond, time.Second
	pc.IdleTimeout = 20 * time.Second
	pc.HTTPClient = &http.Client{Transport: clock}
	c, err := provider.New(pc)
	if err != nil {
		in.ClientErr = err
		return nil
	}
	in.Client = c
	return c
}

// redactChecks passes every text of every check through the redaction
// rule: a check quotes what it observed (a proxy URL, an endpoint, an SDK
// error that names a URL with its user-info), and doctor's output is
// pasted into tickets.
func redactChecks(checks []doctor.Check) []doctor.Check {
	for i := range checks {
		c := &checks[i]
		c.Summary, c.Detail, c.Fix = config.RedactText(c.Summary), config.RedactText(c.Detail), config.RedactText(c.Fix)
	}
	return checks
}

func writeChecksJSON(w io.Writer, checks []doctor.Check) error {
	if checks == nil {
		checks = []doctor.Check{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Checks []doctor.Check `json:"checks"`
	}{checks})
}

var statusMarks = map[doctor.Status]string{
	doctor.StatusOK:   "✓",
	doctor.StatusWarn: "!",
	doctor.StatusFail: "✗",
	doctor.StatusSkip: "-",
}

// writeChecksText prints one line per check; under a check that is not
// ok, its detail and fix, indented.
func writeChecksText(w io.Writer, checks []doctor.Check) error {
	counts := map[doctor.Status]int{}
	var b strings.Builder
	for _, c := range checks {
		counts[c.Status]++
		fmt.Fprintf(&b, "%s %s: %s\n", statusMarks[c.Status], c.ID, c.Summary)
		// The sandbox's policy is the report itself, worth reading even
		// when all is well.
		if (c.Status == doctor.StatusOK || c.Status == doctor.StatusSkip) && c.ID != "sandbox.policy" {
			continue
		}
		if c.Detail != "" {
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(c.Detail, "\n", "\n    "))
		}
		if c.Fix != "" {
			fmt.Fprintf(&b, "    fix: %s\n", strings.ReplaceAll(c.Fix, "\n", "\n         "))
		}
	}
	fmt.Fprintf(&b, "\n%d ok, %d %s, %d %s, %d skipped\n",
		counts[doctor.StatusOK],
		counts[doctor.StatusWarn], pluralWord(counts[doctor.StatusWarn], "warning", "warnings"),
		counts[doctor.StatusFail], pluralWord(counts[doctor.StatusFail], "failure", "failures"),
		counts[doctor.StatusSkip])
	_, err := io.WriteString(w, b.String())
	return err
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
