package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// emulatorOptions are the flags of `basalt emulator` (DESIGN.md §7).
type emulatorOptions struct {
	Addr          string
	Region        string
	Scenario      string
	Vars          []string
	Credentials   string
	Faults        string
	Models        string
	AllowUnsigned bool
	Guardrails    []string
	Ledger        string
	Verbose       bool
	TLS           emulator.TLSFiles
}

func newEmulatorCmd(app *App, runF func(context.Context, *App, *emulatorOptions) error) *cobra.Command {
	opts := &emulatorOptions{}
	cmd := &cobra.Command{
		Use:         "emulator",
		Short:       "Run the local Bedrock emulator",
		Annotations: map[string]string{annotationStopsOnSignal: "yes"},
		Long: `Run a local Amazon Bedrock for Anthropic models: InvokeModel,
InvokeModelWithResponseStream, Converse, ConverseStream, CountTokens, the
Mantle Messages API (/anthropic/v1/messages), the inference-profile calls
and ListFoundationModels/GetFoundationModel, over HTTP/1.1 and h2c, with
SigV4 and bearer verification, a scripted model (one scenario for every
API), prompt-cache accounting, seeded faults and guardrail interventions.

The first line on stdout is "listening on http://HOST:PORT" (https:// with
--tls-cert, for testing CA bundles and mutual TLS). Point a client
at it with ANTHROPIC_BEDROCK_BASE_URL (basalt, Claude Code), the SDK's
endpoint option (AWS SDKs, boto3, the AI SDK, OpenCode) or, for Mantle,
ANTHROPIC_BEDROCK_MANTLE_BASE_URL=http://HOST:PORT/anthropic. Stop it with
Ctrl-C.`,
		Example: `  basalt emulator --addr 127.0.0.1:8080 --verbose
  basalt emulator --scenario turns.json --var FILE=main.go --ledger ledger.jsonl
  basalt emulator --credentials creds.json --faults throttle=0.2,seed=7
  basalt emulator --guardrail gr1abc:1:'(?i)password'
  basalt emulator --tls-cert server.pem --tls-key server-key.pem --client-ca clients-ca.pem`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("run `basalt emulator --help` for the flags", "basalt emulator takes no arguments, got %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runEmulator(cmd.Context(), app, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "listen on `HOST:PORT` (port 0 picks a free one)")
	f.StringVar(&opts.Region, "region", "us-east-1", "the `REGION` served: its inference profiles and ARNs")
	f.StringVar(&opts.Scenario, "scenario", "", "script the model's replies from `FILE` (default: a short fixed text)")
	f.StringArrayVar(&opts.Vars, "var", nil, "substitute `NAME=VALUE` for {{NAME}} in the scenario (repeatable)")
	f.StringVar(&opts.Credentials, "credentials", "", "accept only the keys and bearer tokens in `FILE`, with full SigV4 verification")
	f.StringVar(&opts.Faults, "faults", "", "inject faults: a comma-separated `LIST` of throttle, unavailable, disconnect, stream-error (rates 0–1), expire-after (N requests), latency (a duration), overloaded (part of a model ID, always overloaded) and seed, e.g. throttle=0.2,latency=20ms,seed=7")
	f.StringVar(&opts.Models, "models", "", "serve only these inference profiles (comma-separated `LIST`; default: the table for the region)")
	f.BoolVar(&opts.AllowUnsigned, "allow-unsigned", false, "accept requests without Authorization, as behind a gateway that signs")
	f.StringArrayVar(&opts.Guardrails, "guardrail", nil, "intervene when the prompt matches: `ID:VERSION:REGEX` (repeatable)")
	f.StringVar(&opts.Ledger, "ledger", "", "append one JSON line per request to `FILE`")
	f.StringVar(&opts.TLS.Cert, "tls-cert", "", "serve HTTPS with the PEM certificate in `FILE` (with --tls-key)")
	f.StringVar(&opts.TLS.Key, "tls-key", "", "the PEM private key of --tls-cert, in `FILE`")
	f.StringVar(&opts.TLS.ClientCA, "client-ca", "", "require client certificates signed by the PEM CA in `FILE` (mutual TLS; needs --tls-cert)")
	// Shadows the root's --verbose: here it means a line per request.
	f.BoolVar(&opts.Verbose, "verbose", false, "log one line per request to stderr")
	return cmd
}

// emulatorFlagsToOptions turns the flags into server options; every
// problem is a usage error naming its flag.
func emulatorFlagsToOptions(opts *emulatorOptions) (emulator.Options, error) {
	eo := emulator.Options{Region: opts.Region, AllowUnsigned: opts.AllowUnsigned}
	vars := map[string]string{}
	for _, v := range opts.Vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return eo, usageErrorf("for example: --var FILE=main.go", "--var %q: want NAME=VALUE", v)
		}
		vars[name] = value
	}
	if len(vars) > 0 && opts.Scenario == "" {
		return eo, usageErrorf("add --scenario FILE", "--var only applies to a scenario")
	}
	if opts.Scenario != "" {
		sc, err := emulator.LoadScenario(opts.Scenario, vars)
		if err != nil {
			return eo, &UsageError{Err: fmt.Errorf("--scenario: %w", err), Hint: "fix the scenario file at the position named above"}
		}
		eo.Scenario = sc
	}
	if opts.Credentials != "" {
		creds, err := emulator.LoadCredentials(opts.Credentials)
		if err != nil {
			return eo, &UsageError{Err: fmt.Errorf("--credentials: %w", err), Hint: `the file looks like {"keys":[{"access_key_id":"…","secret_access_key":"…"}],"bearer_tokens":["…"]}`}
		}
		eo.Credentials = creds
	}
	faults, err := emulator.ParseFaults(opts.Faults)
	if err != nil {
		return eo, &UsageError{Err: fmt.Errorf("--faults: %w", err), Hint: "for example: --faults throttle=0.2,latency=20ms,seed=7"}
	}
	eo.Faults = faults
	for _, m := range strings.Split(opts.Models, ",") {
		if m = strings.TrimSpace(m); m != "" {
			eo.Models = append(eo.Models, m)
		}
	}
	for _, g := range opts.Guardrails {
		gr, err := emulator.ParseGuardrail(g)
		if err != nil {
			return eo, &UsageError{Err: fmt.Errorf("--guardrail: %w", err), Hint: "for example: --guardrail gr1abc:1:'(?i)password'"}
		}
		eo.Guardrails = append(eo.Guardrails, gr)
	}
	return eo, nil
}

// runEmulator serves until ctx is cancelled (Ctrl-C, SIGTERM).
func runEmulator(ctx context.Context, app *App, opts *emulatorOptions) error {
	eo, err := emulatorFlagsToOptions(opts)
	if err != nil {
		return err
	}
	if opts.Verbose {
		eo.Log = app.IO.ErrOut
	}
	if opts.Ledger != "" {
		f, err := os.OpenFile(opts.Ledger, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return &UsageError{Err: fmt.Errorf("--ledger: %w", err), Hint: "give a file in a writable directory"}
		}
		defer f.Close()
		eo.Ledger = f
	}
	var emu *emulator.Running
	if opts.TLS != (emulator.TLSFiles{}) {
		if opts.TLS.Cert == "" || opts.TLS.Key == "" {
			return usageErrorf("for example: --tls-cert server.pem --tls-key server-key.pem", "--tls-cert and --tls-key go together (--client-ca needs both)")
		}
		tlsCfg, terr := opts.TLS.Config()
		if terr != nil {
			return &UsageError{Err: fmt.Errorf("--tls-cert/--tls-key/--client-ca: %w", terr), Hint: "give PEM files: a certificate, its private key, and for --client-ca the CA that signed the clients' certificates"}
		}
		emu, err = emulator.StartTLS(ctx, opts.Addr, eo, tlsCfg)
	} else {
		emu, err = emulator.Start(ctx, opts.Addr, eo)
	}
	if opErr := (*net.OpError)(nil); errors.As(err, &opErr) {
		return &UsageError{Err: fmt.Errorf("--addr: %w", err), Hint: "use a free HOST:PORT, or port 0 for any free one"}
	}
	if err != nil {
		return &UsageError{Err: err, Hint: "check --region and --models"}
	}
	if _, err := io.WriteString(app.IO.Out, "listening on "+emu.URL+"\n"); err != nil {
		_ = emu.Stop() // the write error is the one worth reporting
		return err
	}
	return emu.Wait()
}
