package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

type iamPolicyOptions struct {
	JSON    bool
	Broad   bool
	Account string
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
policy of the Claude Code on Bedrock documentation instead.`,
		Example: `  basalt iam-policy
  basalt iam-policy --json --account 123456789012 > basalt-policy.json
  basalt iam-policy --broad`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Account != "" && !accountPattern.MatchString(opts.Account) {
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
	return cmd
}

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// policyDoc is an IAM policy document. Field names and order are IAM's.
type policyDoc struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Action    []string                     `json:"Action"`
	Resource  any                          `json:"Resource"` // "*" or a list
	Condition map[string]map[string]string `json:"Condition,omitempty"`

	why string // the explanation printed after the policy
}

const (
	actInvoke       = "bedrock:InvokeModel"
	actInvokeStream = "bedrock:InvokeModelWithResponseStream"
	actList         = "bedrock:ListInferenceProfiles"
	actGet          = "bedrock:GetInferenceProfile"
	actGuardrail    = "bedrock:ApplyGuardrail"
)

// marketplaceStatement is the seed documents' statement: Bedrock, and
// only Bedrock (aws:CalledViaLast), may subscribe to a model's AWS
// Marketplace offer on the identity's behalf the first time it is used.
func marketplaceStatement() statement {
	return statement{
		Sid:       "AllowMarketplaceSubscription",
		Effect:    "Allow",
		Action:    []string{"aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"},
		Resource:  "*",
		Condition: map[string]map[string]string{"StringEquals": {"aws:CalledViaLast": "bedrock.amazonaws.com"}},
		why: "lets Bedrock, and only Bedrock (aws:CalledViaLast), subscribe to a model's AWS Marketplace offer the first time " +
			"it is invoked; once an administrator has enabled model access for the account it may be dropped",
	}
}

// broadPolicy is the wildcard policy of the Claude Code on Bedrock
// documentation (the seed documents), with GetInferenceProfile, which
// basalt calls to learn the model behind an application profile.
func broadPolicy(partition string) policyDoc {
	return policyDoc{Version: "2012-10-17", Statement: []statement{
		{
			Sid:    "AllowModelAndInferenceProfileAccess",
			Effect: "Allow",
			Action: []string{actInvoke, actInvokeStream, actList, actGet},
			Resource: []string{
				"arn:" + partition + ":bedrock:*:*:inference-profile/*",
				"arn:" + partition + ":bedrock:*:*:application-inference-profile/*",
				"arn:" + partition + ":bedrock:*:*:foundation-model/*",
			},
			why: "every model through every inference profile in every region: simple, and far more than basalt needs; `basalt iam-policy` without --broad prints the least-privilege version",
		},
		marketplaceStatement(),
	}}
}

func runIAMPolicy(ctx context.Context, app *App, opts *iamPolicyOptions) error {
	cfg, cfgErr := app.loadConfig(ctx)
	if opts.Broad {
		partition := "aws"
		if cfg != nil && cfgErr == nil {
			partition = partitionOf(cfg.Region.Value)
		}
		return writePolicy(app.IO.Out, broadPolicy(partition), opts.JSON)
	}
	if cfgErr != nil {
		return cfgErr
	}
	if cfg.Provider.Value != config.ProviderBedrock {
		return usageErrorf("set CLAUDE_CODE_USE_BEDROCK=1, or use --broad", "iam-policy writes a policy for Amazon Bedrock, and the provider is not Bedrock")
	}
	client, err := app.newProvider(ctx, nil)
	if err != nil {
		return err
	}
	roles := doctor.InUse(doctor.ResolveRoles(ctx, client, cfg))
	policy, warnings, err := buildPolicy(ctx, client, cfg, roles, opts.Account)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(app.IO.ErrOut, "basalt: warning: %s\n", config.RedactText(w))
	}
	return writePolicy(app.IO.Out, policy, opts.JSON)
}

// profileSource is what buildPolicy reads about inference profiles.
type profileSource interface {
	GetProfile(ctx context.Context, idOrARN string) (provider.Profile, error)
	ListProfiles(ctx context.Context, region string) ([]provider.Profile, error)
}

// buildPolicy writes the least-privilege policy for roles. Where Bedrock
// cannot say where a profile routes, the policy stays valid and grants
// the model in every region, with a warning.
func buildPolicy(ctx context.Context, ps profileSource, cfg *config.Config, roles []doctor.Role, account string) (policyDoc, []string, error) {
	region := cfg.Region.Value
	partition := partitionOf(region)
	b := &policyBuilder{ps: ps, partition: partition, account: account, clientRegion: region}
	var used []string
	seen := map[string]bool{}
	for _, r := range roles {
		if r.Err != nil {
			return policyDoc{}, nil, r.Err
		}
		used = append(used, fmt.Sprintf("%s %s", r.Name, r.Resolved.ID))
		key := r.Region + "\x00" + r.Resolved.ID
		if seen[key] {
			continue
		}
		seen[key] = true
		b.add(ctx, r)
	}
	if b.account == "" {
		b.account = "*"
	}
	profiles := b.finish(b.profileARNs)
	models := b.finish(b.modelARNs)

	doc := policyDoc{Version: "2012-10-17"}
	doc.Statement = append(doc.Statement, statement{
		Sid:      "InvokeConfiguredModels",
		Effect:   "Allow",
		Action:   []string{actInvoke, actInvokeStream},
		Resource: append(slices.Clone(profiles), models...),
		why: fmt.Sprintf("invoke the models in use (%s) through their inference profiles; a cross-region profile also needs "+
			"its foundation model in every region it routes to (for a global profile, the region-less foundation-model ARN)", strings.Join(used, ", ")),
	})
	if len(profiles) > 0 {
		doc.Statement = append(doc.Statement, statement{
			Sid:      "ReadConfiguredProfiles",
			Effect:   "Allow",
			Action:   []string{actGet},
			Resource: profiles,
			why:      "describe those profiles: basalt calls GetInferenceProfile to learn the model behind an application profile (prices, limits)",
		})
	}
	doc.Statement = append(doc.Statement, statement{
		Sid:      "ListInferenceProfiles",
		Effect:   "Allow",
		Action:   []string{actList},
		Resource: "*",
		// [?] Whether ListInferenceProfiles honours resource-level
		// permissions is not in our sources; a list operation usually
		// does not, and "*" works either way.
		why: "list the region's inference profiles, which `basalt models`, `basalt doctor` and basalt's error messages use; granted on \"*\" because it is a list operation",
	})
	if g := guardrailARN(cfg, partition, b.account); g != "" {
		doc.Statement = append(doc.Statement, statement{
			Sid:      "ApplyConfiguredGuardrail",
			Effect:   "Allow",
			Action:   []string{actGuardrail},
			Resource: []string{g},
			why:      "apply the guardrail named in ANTHROPIC_CUSTOM_HEADERS to each request",
		})
	}
	doc.Statement = append(doc.Statement, marketplaceStatement())
	return doc, b.warnings, nil
}

type policyBuilder struct {
	ps           profileSource
	partition    string
	account      string // --account, or the first one Bedrock reports
	clientRegion string
	profileARNs  []string
	modelARNs    []string
	warnings     []string
}

// add grants one role's model: the profile and its destinations.
func (b *policyBuilder) add(ctx context.Context, r doctor.Role) {
	id := r.Resolved.ID
	if a, ok := model.ParseARN(id); ok {
		switch a.Kind {
		case model.KindApplicationProfile:
			b.profileARNs = append(b.profileARNs, id)
			b.destinations(ctx, r, id)
			return
		case model.KindSystemProfile:
			b.systemProfile(ctx, r, a.Resource, id)
			return
		case model.KindFoundationModel:
			b.modelARNs = append(b.modelARNs, id)
			return
		}
		b.warnings = append(b.warnings, fmt.Sprintf("%s (%s) is a Bedrock %s; the policy has no statement for it", id, r.Name, a.Kind))
		return
	}
	switch {
	case strings.HasPrefix(id, "anthropic."):
		b.modelARNs = append(b.modelARNs, fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s", b.partition, r.Region, id))
	case strings.Contains(id, ".anthropic."):
		b.systemProfile(ctx, r, id, "")
	default:
		b.warnings = append(b.warnings, fmt.Sprintf("%s (%s) is not a Bedrock model ID basalt can grant; the policy has no statement for it", id, r.Name))
	}
}

// systemProfile grants a system-defined profile. arn is its ARN when the
// user wrote one.
func (b *policyBuilder) systemProfile(ctx context.Context, r doctor.Role, id, arn string) {
	p, err := b.lookup(ctx, r.Region, id)
	if err == nil && p.ARN != "" {
		if a, ok := model.ParseARN(p.ARN); ok && b.account == "" && accountPattern.MatchString(a.Account) {
			b.account = a.Account
		}
	}
	if arn == "" {
		// The account is filled in by finish: --account, the one
		// Bedrock reports, else "*".
		arn = fmt.Sprintf("arn:%s:bedrock:%s:{account}:inference-profile/%s", b.partition, r.Region, id)
	}
	b.profileARNs = append(b.profileARNs, arn)
	if err != nil {
		b.fallback(r, id, err)
		return
	}
	b.addModels(p, id)
}

// destinations grants the foundation models an application profile
// routes to.
func (b *policyBuilder) destinations(ctx context.Context, r doctor.Role, arn string) {
	p, err := b.ps.GetProfile(ctx, arn)
	if err != nil {
		b.fallback(r, arn, err)
		return
	}
	b.addModels(p, p.ID)
}

// lookup reads a profile in region: GetInferenceProfile where the client
// is, the listing of the region elsewhere (GetInferenceProfile by ID asks
// the client's own region).
func (b *policyBuilder) lookup(ctx context.Context, region, id string) (provider.Profile, error) {
	if region == "" || region == b.clientRegion {
		return b.ps.GetProfile(ctx, id)
	}
	list, err := b.ps.ListProfiles(ctx, region)
	if err != nil {
		return provider.Profile{}, err
	}
	for _, p := range list {
		if p.ID == id {
			return p, nil
		}
	}
	return provider.Profile{}, fmt.Errorf("%s is not among the inference profiles of %s", id, region)
}

func (b *policyBuilder) addModels(p provider.Profile, id string) {
	b.modelARNs = append(b.modelARNs, p.Models...)
	if strings.HasPrefix(id, "global.") {
		// IAM sees a global profile's destination as the region-less ARN
		// (reference §6.2), whether or not Bedrock lists it.
		b.modelARNs = append(b.modelARNs, fmt.Sprintf("arn:%s:bedrock:::foundation-model/%s", b.partition, p.FoundationModelID()))
	}
}

// fallback grants the model in every region when Bedrock cannot say
// where a profile routes: wider than needed, never narrower.
func (b *policyBuilder) fallback(r doctor.Role, id string, err error) {
	fm := ""
	if r.Resolved.Model != nil {
		fm = r.Resolved.Model.FoundationID
	} else if _, rest, ok := strings.Cut(id, "."); ok && strings.HasPrefix(rest, "anthropic.") {
		fm = rest
	}
	if fm == "" {
		b.warnings = append(b.warnings, fmt.Sprintf("could not read where %s routes (%v) and basalt does not know its model: add its foundation-model ARNs yourself", id, err))
		return
	}
	b.modelARNs = append(b.modelARNs,
		fmt.Sprintf("arn:%s:bedrock:*::foundation-model/%s", b.partition, fm),
		fmt.Sprintf("arn:%s:bedrock:::foundation-model/%s", b.partition, fm))
	b.warnings = append(b.warnings, fmt.Sprintf("could not read where %s routes (%v): the policy grants %s in every region", id, err, fm))
}

// finish fills in the account and sorts and de-duplicates a list.
func (b *policyBuilder) finish(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, strings.ReplaceAll(s, "{account}", b.account))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// guardrailARN is the ARN of the guardrail ANTHROPIC_CUSTOM_HEADERS names,
// or "".
func guardrailARN(cfg *config.Config, partition, account string) string {
	for _, h := range cfg.CustomHeaders.Value {
		if !strings.EqualFold(h.Name, "X-Amzn-Bedrock-GuardrailIdentifier") || h.Value == "" {
			continue
		}
		if strings.HasPrefix(h.Value, "arn:") {
			return h.Value
		}
		return fmt.Sprintf("arn:%s:bedrock:%s:%s:guardrail/%s", partition, cfg.Region.Value, account, h.Value)
	}
	return ""
}

// partitionOf is the ARN partition of a region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	}
	return "aws"
}

// writePolicy prints the policy, and without asJSON an explanation of
// each statement after it.
func writePolicy(w io.Writer, doc policyDoc, asJSON bool) error {
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
		fmt.Fprintf(&b, "  %s: %s.\n", s.Sid, s.why)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
