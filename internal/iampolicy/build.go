package iampolicy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/doctor"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// ProfileSource is what [Build] reads about inference profiles; a
// *provider.Client is one.
type ProfileSource interface {
	GetProfile(ctx context.Context, idOrARN string) (provider.Profile, error)
	ListProfiles(ctx context.Context, region string) ([]provider.Profile, error)
}

// Input is what a least-privilege policy is written for.
type Input struct {
	// Region is where the client sends requests.
	Region string
	// Roles are the models in use ([doctor.InUse]); a role that failed to
	// resolve fails the build with its error.
	Roles []doctor.Role
	// Guardrail is the guardrail requests apply; zero for none.
	Guardrail config.Guardrail
	// Account goes into the ARNs; "" for the one Bedrock reports, else
	// "*".
	Account string
	// RequireGuardrail makes IAM refuse model calls that do not apply
	// Guardrail (--require-guardrail): the bedrock:GuardrailIdentifier
	// condition on the invoke statement, and an explicit deny for every
	// other guardrail or none.
	RequireGuardrail bool
}

// ErrNoGuardrail: --require-guardrail without a configured guardrail.
var ErrNoGuardrail = errors.New("--require-guardrail needs the guardrail requests apply: set X-Amzn-Bedrock-GuardrailIdentifier and -Version in ANTHROPIC_CUSTOM_HEADERS (basalt setup --guardrail ID:VERSION)")

// ErrDraftGuardrail: the working draft cannot be pinned by a condition.
var ErrDraftGuardrail = errors.New("--require-guardrail needs a numbered guardrail version: the bedrock:GuardrailIdentifier condition names ARN:VERSION, and basalt does not know how IAM spells the working draft (DRAFT)")

// Build writes the least-privilege policy for in. Where Bedrock cannot
// say where a profile routes, the policy stays valid and grants the
// model in every region, with a warning; the warnings are sentences for
// the user.
func Build(ctx context.Context, ps ProfileSource, in Input) (Policy, []string, error) {
	if in.RequireGuardrail {
		switch {
		case in.Guardrail.ID == "" || in.Guardrail.Version == "":
			return Policy{}, nil, ErrNoGuardrail
		case in.Guardrail.Version == "DRAFT":
			return Policy{}, nil, ErrDraftGuardrail
		}
	}
	region := in.Region
	partition := Partition(region)
	b := &builder{ps: ps, partition: partition, account: in.Account, clientRegion: region}
	var used []string
	seen := map[string]bool{}
	for _, r := range in.Roles {
		if r.Err != nil {
			return Policy{}, nil, r.Err
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

	doc := Policy{Version: policyVersion}
	doc.Statement = append(doc.Statement, Statement{
		Sid:      "InvokeConfiguredModels",
		Effect:   "Allow",
		Action:   []string{actInvoke, actInvokeStream},
		Resource: append(slices.Clone(profiles), models...),
		Why: fmt.Sprintf("invoke the models in use (%s) through their inference profiles; a cross-region profile also needs "+
			"its foundation model in every region it routes to (for a global profile, the region-less foundation-model ARN)", strings.Join(used, ", ")),
	})
	if len(profiles) > 0 {
		doc.Statement = append(doc.Statement, Statement{
			Sid:      "ReadConfiguredProfiles",
			Effect:   "Allow",
			Action:   []string{actGet},
			Resource: profiles,
			Why:      "describe those profiles: basalt calls GetInferenceProfile to learn the model behind an application profile (prices, limits)",
		})
	}
	doc.Statement = append(doc.Statement, Statement{
		Sid:      "ListInferenceProfiles",
		Effect:   "Allow",
		Action:   []string{actList},
		Resource: "*",
		// [?] Whether ListInferenceProfiles honours resource-level
		// permissions is not in our sources; a list operation usually
		// does not, and "*" works either way.
		Why: "list the region's inference profiles, which `basalt models`, `basalt doctor` and basalt's error messages use; granted on \"*\" because it is a list operation",
	})
	if in.Guardrail.ID != "" {
		doc.Statement = append(doc.Statement, Statement{
			Sid:      "ApplyConfiguredGuardrail",
			Effect:   "Allow",
			Action:   []string{actGuardrail},
			Resource: []string{in.Guardrail.ARN(partition, region, b.account)},
			Why:      "apply the guardrail named in ANTHROPIC_CUSTOM_HEADERS to each request",
		})
	}
	if in.RequireGuardrail {
		requireGuardrail(&doc, in.Guardrail.ARN(partition, region, b.account)+":"+in.Guardrail.Version)
	}
	doc.Statement = append(doc.Statement, marketplaceStatement())
	return doc, b.warnings, nil
}

// builder collects the resources of the roles, one at a time.
type builder struct {
	ps           ProfileSource
	partition    string
	account      string // --account, or the first one Bedrock reports
	clientRegion string
	profileARNs  []string
	modelARNs    []string
	warnings     []string
}

// add grants one role's model: the profile and its destinations.
func (b *builder) add(ctx context.Context, r doctor.Role) {
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
func (b *builder) systemProfile(ctx context.Context, r doctor.Role, id, arn string) {
	p, err := b.lookup(ctx, r.Region, id)
	if err == nil && p.ARN != "" {
		if a, ok := model.ParseARN(p.ARN); ok && b.account == "" && ValidAccount(a.Account) {
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
func (b *builder) destinations(ctx context.Context, r doctor.Role, arn string) {
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
func (b *builder) lookup(ctx context.Context, region, id string) (provider.Profile, error) {
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

func (b *builder) addModels(p provider.Profile, id string) {
	b.modelARNs = append(b.modelARNs, p.Models...)
	if strings.HasPrefix(id, "global.") {
		// IAM sees a global profile's destination as the region-less ARN
		// (reference §6.2), whether or not Bedrock lists it.
		b.modelARNs = append(b.modelARNs, fmt.Sprintf("arn:%s:bedrock:::foundation-model/%s", b.partition, p.FoundationModelID()))
	}
}

// fallback grants the model in every region when Bedrock cannot say
// where a profile routes: wider than needed, never narrower.
func (b *builder) fallback(r doctor.Role, id string, err error) {
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
func (b *builder) finish(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, strings.ReplaceAll(s, "{account}", b.account))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// conditionKeyGuardrail is the IAM condition key Bedrock sets from the
// guardrail a request applies; its value is the guardrail's ARN, a colon
// and its version (AWS, "Enforce the use of specific guardrails in model
// inference requests").
const conditionKeyGuardrail = "bedrock:GuardrailIdentifier"

// requireGuardrail conditions the invoke statement on the guardrail and
// adds the explicit deny the AWS documentation pairs with it, so that no
// other statement the identity has can allow a call without it. With the
// account unknown the ARN holds "*", which needs StringLike.
func requireGuardrail(doc *Policy, value string) {
	eq, ne := "StringEquals", "StringNotEquals"
	if strings.Contains(value, "*") {
		eq, ne = "StringLike", "StringNotLike"
	}
	for i := range doc.Statement {
		st := &doc.Statement[i]
		if st.Sid == "InvokeConfiguredModels" {
			st.Condition = map[string]map[string]string{eq: {conditionKeyGuardrail: value}}
			st.Why += "; only with the guardrail " + value + " applied"
		}
	}
	doc.Statement = append(doc.Statement, Statement{
		Sid:       "DenyInvokeWithoutGuardrail",
		Effect:    "Deny",
		Action:    []string{actInvoke, actInvokeStream},
		Resource:  "*",
		Condition: map[string]map[string]string{ne: {conditionKeyGuardrail: value}},
		Why:       "refuse every model call that does not apply the guardrail " + value + ", whatever other policy allows it (--require-guardrail)",
	})
}
