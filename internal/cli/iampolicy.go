package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/iampolicy"
)

type iamPolicyOptions struct {
	JSON    bool
	Broad   bool
	Account string
	// RequireGuardrail adds the bedrock:GuardrailIdentifier condition.
	RequireGuardrail bool
}

func newIAMPolicyCmd(app *App, runF func(context.Context, *App, *iamPolicyOptions) error) *cobra.Command {
	opts := &iamPolicyOptions{}
	cmd := &cobra.Command{
		Use:   "iam-policy",
		Short: "Print the least-privilege IAM policy for the configured models and region",
		Long: `Print the IAM policy that lets an identity use exactly the models basalt is
configured with (primary, small/fast, and the aliases you set): each
inference profile in its region, the foundation model in every destination
region of the profile (read with GetInferenceProfile; for global profiles
also the region-less foundation-model ARN), ListInferenceProfiles and
GetInferenceProfile, the configured guardrail, and the AWS Marketplace
statement Bedrock needs to subscribe to a model on first use.

The account in profile ARNs is --account, else the one Bedrock reports,
else "*". The output is always valid JSON; without --json a short
explanation of each statement follows it. --broad prints the wildcard
policy of the Claude Code on Bedrock documentation instead. With
CLAUDE_CODE_USE_MANTLE the policy grants bedrock-mantle:CreateInference,
the one action Mantle's Messages API needs.`,
		Example: `  basalt iam-policy
  basalt iam-policy --json --account 123456789012 > basalt-policy.json
  basalt iam-policy --broad
  basalt iam-policy --require-guardrail --account 123456789012`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Account != "" && !iampolicy.ValidAccount(opts.Account) {
				return usageErrorf("", "--account %q: want a 12-digit AWS account ID", opts.Account)
			}
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runIAMPolicy(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the policy document only")
	cmd.Flags().BoolVar(&opts.Broad, "broad", false, "print the documentation's wildcard policy instead")
	cmd.Flags().StringVar(&opts.Account, "account", "", "AWS account `ID` for the ARNs (default: the one Bedrock reports, else *)")
	cmd.Flags().BoolVar(&opts.RequireGuardrail, "require-guardrail", false, "allow model calls only with the configured guardrail (bedrock:GuardrailIdentifier condition and an explicit deny)")
	return cmd
}

func runIAMPolicy(ctx context.Context, app *App, opts *iamPolicyOptions) error {
	cfg, cfgErr := app.loadConfig(ctx)
	if opts.Broad {
		partition := "aws"
		if cfg != nil && cfgErr == nil {
			partition = iampolicy.Partition(cfg.Region.Value)
		}
		return writePolicy(app.IO.Out, iampolicy.Broad(partition), opts.JSON)
	}
	if cfgErr != nil {
		return cfgErr
	}
	if cfg.Provider.Value != config.ProviderBedrock {
		return usageErrorf("set CLAUDE_CODE_USE_BEDROCK=1, or use --broad", "iam-policy writes a policy for Amazon Bedrock, and the provider is not Bedrock")
	}
	if cfg.UsesMantle() {
		return writePolicy(app.IO.Out, iampolicy.Mantle(), opts.JSON)
	}
	client, err := app.newProvider(ctx, nil)
	if err != nil {
		return err
	}
	guardrail, _ := config.GuardrailFrom(cfg.CustomHeaders.Value)
	policy, warnings, err := iampolicy.Build(ctx, client, iampolicy.Input{
		Region:           cfg.Region.Value,
		Roles:            doctor.InUse(doctor.ResolveRoles(ctx, client, cfg)),
		Guardrail:        guardrail,
		Account:          opts.Account,
		RequireGuardrail: opts.RequireGuardrail,
	})
	if errors.Is(err, iampolicy.ErrNoGuardrail) || errors.Is(err, iampolicy.ErrDraftGuardrail) {
		return usageErrorf("", "%v", err)
	}
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(app.IO.ErrOut, "basalt: warning: %s\n", config.RedactText(w))
	}
	return writePolicy(app.IO.Out, policy, opts.JSON)
}

// writePolicy prints the policy, and without asJSON an explanation of
// each statement after it.
func writePolicy(w io.Writer, doc iampolicy.Policy, asJSON bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if asJSON {
		return nil
	}
	var b strings.Builder
	b.WriteString("\nWhat each statement allows:\n")
	for _, s := range doc.Statement {
		fmt.Fprintf(&b, "  %s: %s.\n", s.Sid, s.Why)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
