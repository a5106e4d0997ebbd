package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/aws/smithy-go"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// This file holds the checks that talk to the service: the control plane
// (ListInferenceProfiles), the clock of its responses, and a one-token
// request to every model in use.

// listTimeout bounds ListInferenceProfiles in one region, all pages.
const listTimeout = 20 * time.Second

func (r *runner) listProfiles(ctx context.Context, region string) (list []provider.Profile, err error) {
	if p, ok := r.profiles[region]; ok {
		return p.list, p.err
	}
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	defer func() {
		// A diagnosis must survive a bug in what it diagnoses: the AWS
		// SDK has been seen to panic on an auth mode it was not set up
		// for. The panic becomes this check's finding.
		if p := recover(); p != nil {
			list, err = nil, fmt.Errorf("internal error in ListInferenceProfiles (please report it): %v", p)
		}
		r.profiles[region] = profileList{list, err}
	}()
	return r.in.Client.ListProfiles(ctx, region)
}

// networkSkip returns a skip when the network checks cannot run, and
// false when they can.
func (r *runner) networkSkip(id string) (Check, bool) {
	switch {
	case r.in.Config.Provider.Value == config.ProviderNone:
		return Check{ID: id, Status: StatusSkip, Summary: "not tried: no provider is configured"}, true
	case r.blocked != "":
		return Check{ID: id, Status: StatusSkip, Summary: "not tried: " + r.blocked}, true
	case r.in.Client == nil:
		s := "not tried: no client"
		if r.in.ClientErr != nil {
			s += ": " + r.in.ClientErr.Error()
		}
		return Check{ID: id, Status: StatusSkip, Summary: s}, true
	}
	return Check{}, false
}

func (r *runner) checkProfiles(ctx context.Context) Check {
	c := Check{ID: "profiles"}
	if !r.bedrock() {
		c.Status, c.Summary = StatusSkip, "not used: ListInferenceProfiles is a Bedrock operation"
		return c
	}
	if s, skip := r.networkSkip(c.ID); skip {
		return s
	}
	cfg := r.in.Config
	regions := []string{cfg.Region.Value}
	if v := cfg.SmallFastRegion; v.Set && v.Value != cfg.Region.Value {
		regions = append(regions, v.Value)
	}
	var found []string
	for _, region := range regions {
		start := time.Now()
		list, err := r.listProfiles(ctx, region)
		if err != nil {
			return r.controlFailure(c, region, err)
		}
		claude := 0
		for _, p := range list {
			if isClaude(p) {
				claude++
			}
		}
		if cfg.UsesMantle() {
			found = append(found, fmt.Sprintf("%d models on Mantle in %s (%s)", len(list), region, time.Since(start).Round(time.Millisecond)))
			continue
		}
		found = append(found, fmt.Sprintf("%d inference profiles in %s, %d for Claude (%s)", len(list), region, claude, time.Since(start).Round(time.Millisecond)))
	}
	c.Status = StatusOK
	c.Summary = "ListInferenceProfiles: " + strings.Join(found, "; ")
	if cfg.UsesMantle() {
		c.Summary = "Mantle's model list (GET /v1/models): " + strings.Join(found, "; ")
	}
	return c
}

func isClaude(p provider.Profile) bool {
	return strings.Contains(p.ID, "anthropic.") || strings.Contains(p.FoundationModelID(), "anthropic.")
}

// controlFailure explains a failed control-plane call.
func (r *runner) controlFailure(c Check, region string, err error) Check {
	c.Detail = err.Error()
	var unreach *provider.APIError
	if errors.As(err, &unreach) && unreach.Kind == provider.KindUnreachable {
		// One sentence names the endpoint, what set it and why; the SDK's
		// chain under it would only repeat it.
		r.blocked = "the endpoint is unreachable (see profiles)"
		c.Status, c.Summary, c.Detail, c.Fix = StatusFail, err.Error(), "", unreach.Fix
		return c
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		if unreachable(err) {
			r.blocked = "the endpoint is unreachable (see profiles)"
			c.Status = StatusFail
			c.Summary = fmt.Sprintf("cannot reach %s", r.endpoint())
			c.Fix = "check the network, the proxy variables and ANTHROPIC_BEDROCK_BASE_URL; `basalt config show` says where each comes from"
			return c
		}
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("ListInferenceProfiles in %s failed", region)
		c.Fix = "check the endpoint and the network; `basalt --verbose doctor` logs the request"
		if strings.Contains(err.Error(), "internal error") {
			c.Fix = "this is a bug in basalt: please report it with the output of `basalt doctor --json`"
		}
		return c
	}
	code, msg := api.ErrorCode(), api.ErrorMessage()
	c.Status = StatusFail
	c.Summary = fmt.Sprintf("ListInferenceProfiles in %s: %s: %s", region, code, firstLine(msg))
	switch {
	case authCode(code, msg):
		r.blocked = "the credentials were refused (see profiles)"
		c.Fix = r.authFix(msg)
	case code == "AccessDeniedException" && strings.Contains(msg, "Authorization header is missing"):
		r.blocked = "the endpoint wants signed requests (see profiles)"
		c.Fix = r.unsignedFix()
	case code == "AccessDeniedException":
		// basalt works without the listing (it falls back to built-in
		// IDs), so this alone is not a failure.
		c.Status = StatusWarn
		c.Fix = "grant bedrock:ListInferenceProfiles (`basalt iam-policy` prints a policy with it); without it basalt cannot check which profiles the region serves or name them in error messages"
	default:
		c.Fix = "see the message above; `basalt config show` shows the region and endpoint in use"
	}
	return c
}

// authCode reports whether a Bedrock error code means the credentials
// themselves were refused.
func authCode(code, msg string) bool {
	switch code {
	case "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException", "InvalidSignatureException",
		"IncompleteSignatureException", "MissingAuthenticationTokenException", "InvalidClientTokenId":
		return true
	case "AccessDeniedException":
		lc := strings.ToLower(msg)
		return strings.Contains(lc, "authentication failed") || strings.Contains(lc, "api key")
	}
	return false
}

func unreachable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ne) ||
		strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "no such host")
}

// authFix is what to do about refused credentials, by how basalt
// authenticates.
func (r *runner) authFix(msg string) string {
	mode := awsauth.ModeChain
	if r.in.Auth != nil {
		mode = r.in.Auth.Mode()
	}
	switch {
	case mode == awsauth.ModeBearer:
		return "AWS_BEARER_TOKEN_BEDROCK was refused: short-term Bedrock API keys expire after at most 12 hours and are bound to one region; create a new key, or unset it to use AWS credentials"
	case strings.Contains(strings.ToLower(msg), "signature"):
		return "AWS refused the signature: check that AWS_SECRET_ACCESS_KEY belongs to the access key, and that this machine's clock is right (see clock)"
	}
	return r.renewFix()
}

func (r *runner) unsignedFix() string {
	if r.in.Config.SkipBedrockAuth.Value {
		return "CLAUDE_CODE_SKIP_BEDROCK_AUTH is on, so basalt sends no credentials, but the endpoint wants them: unset it to sign requests with your AWS credentials, or configure the gateway at ANTHROPIC_BEDROCK_BASE_URL to sign them"
	}
	return "the request reached the endpoint without credentials; check the credentials check above"
}

func (r *runner) checkClock(context.Context) Check {
	c := Check{ID: "clock"}
	if r.in.Clock == nil {
		c.Status, c.Summary = StatusSkip, "not checked"
		return c
	}
	skew, ok := r.in.Clock.Skew()
	if !ok {
		c.Status, c.Summary = StatusSkip, "no response from the server to compare with"
		return c
	}
	abs := skew.Abs()
	way := "behind"
	if skew < 0 {
		way = "ahead of"
	}
	c.Status = StatusOK
	c.Summary = fmt.Sprintf("within %s of the server's clock (its Date header)", roundDuration(max(abs, time.Second)))
	switch {
	case abs > 5*time.Minute:
		c.Status = StatusFail
		c.Summary = fmt.Sprintf("this machine's clock is %s %s the server's", roundDuration(abs), way)
		c.Detail = "AWS refuses SigV4 signatures more than 5 minutes off (InvalidSignatureException: Signature expired)"
		c.Fix = "synchronise the clock (enable NTP, e.g. `timedatectl set-ntp true`, or the system's date and time settings)"
	case abs > time.Minute:
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("this machine's clock is %s %s the server's", roundDuration(abs), way)
		c.Detail = "AWS refuses SigV4 signatures more than 5 minutes off"
		c.Fix = "synchronise the clock (enable NTP) before it drifts further"
	}
	return c
}

// probePrompt is the one-token request: short, and nothing a guardrail
// should block.
const probePrompt = "Reply with the word OK."

func probeParams() anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		MaxTokens: 1,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(probePrompt))},
	}
}

func (r *runner) checkModels(ctx context.Context) []Check {
	roles := InUse(r.in.Roles)
	if len(roles) == 0 {
		return []Check{{ID: "models", Status: StatusSkip, Summary: "no model to check: no provider is configured"}}
	}
	// Roles that resolve to the same model in the same region share one
	// request.
	type group struct {
		names []string
		role  Role
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, role := range roles {
		key := role.Region + "\x00" + role.Resolved.ID
		if g, ok := byKey[key]; ok && role.Err == nil {
			g.names = append(g.names, role.Name)
			continue
		}
		g := &group{names: []string{role.Name}, role: role}
		groups = append(groups, g)
		if role.Err == nil {
			byKey[key] = g
		}
	}
	var out []Check
	for _, g := range groups {
		if ctx.Err() != nil {
			break
		}
		out = append(out, r.checkModel(ctx, g.role, g.names[1:]))
	}
	return out
}

func checkID(role string) string { return "model." + strings.ReplaceAll(role, "/", "-") }

// checkModel checks one model; also are the other roles that resolve to
// it.
func (r *runner) checkModel(ctx context.Context, role Role, also []string) Check {
	c := Check{ID: checkID(role.Name)}
	var alsoNote string
	if len(also) > 0 {
		alsoNote = " (also " + strings.Join(also, ", ") + ")"
	}
	if role.Err != nil {
		c.Status = StatusFail
		c.Summary = role.Err.Error()
		c.Detail = "source: " + role.Source
		c.Fix = hintOf(role.Err)
		return c
	}
	res := role.Resolved
	name := "a model basalt does not know"
	if res.Model != nil {
		name = res.Model.Name
	}
	details := []string{"source: " + role.Source}
	if role.Region != "" {
		details = append(details, "region: "+role.Region)
	}
	if role.Backing != nil {
		details = append(details, fmt.Sprintf("application profile %q routes to %s", role.Backing.Name, role.Backing.FoundationModelID()))
	}
	if s, skip := r.networkSkip(c.ID); skip {
		s.Summary = fmt.Sprintf("%s%s %s", res.ID, alsoNote, s.Summary)
		s.Detail = strings.Join(details, "\n")
		return s
	}

	notListed := false
	if r.bedrock() {
		if list, err := r.listProfiles(ctx, role.Region); err == nil {
			if p, ok := findProfile(list, res.ID); ok {
				details = append(details, fmt.Sprintf("listed in %s as %q", role.Region, p.Name))
			} else if !isFoundationModel(res.ID) {
				notListed = true
				details = append(details, fmt.Sprintf("not among the %d inference profiles ListInferenceProfiles returns in %s", len(list), role.Region))
			}
		}
	}

	req := provider.Request{Model: res.ID, Params: probeParams()}
	if r.bedrock() && role.Region != r.in.Config.Region.Value {
		req.Region = role.Region
	}
	rctx, cancel := context.WithTimeout(ctx, r.in.RequestTimeout)
	defer cancel()
	start := time.Now()
	resp, err := r.in.Client.Stream(rctx, req, nil)
	latency := time.Since(start).Round(time.Millisecond)
	if err != nil {
		c.Status = StatusFail
		c.Detail = strings.Join(append(append([]string{err.Error()}, details...), res.Notices...), "\n")
		var api *provider.APIError
		switch {
		case errors.As(err, &api):
			c.Summary = fmt.Sprintf("%s%s: %s", res.ID, alsoNote, api.Kind)
			c.Fix = api.Fix
			r.refineFix(ctx, &c, api, role)
		case rctx.Err() == context.DeadlineExceeded && ctx.Err() == nil:
			c.Summary = fmt.Sprintf("%s%s: no answer within %s", res.ID, alsoNote, r.in.RequestTimeout)
			c.Fix = "Bedrock did not answer a one-token request in time: check the network and the endpoint, or try another region"
		default:
			c.Summary = fmt.Sprintf("%s%s: %v", res.ID, alsoNote, firstLine(err.Error()))
			c.Fix = hintOf(err)
			var ae *awsauth.Error
			if errors.As(err, &ae) {
				r.blocked = "no credentials (see " + c.ID + ")"
			}
		}
		if role.Name == RoleSmallFast && api != nil && isAccessKind(api.Kind) {
			c.Detail += "\nsessions fall back to the primary model for background calls, with a warning, and pay its price"
		}
		return c
	}
	if role.Name == RolePrimary {
		r.primaryOK = true
	}
	c.Status = StatusOK
	c.Summary = fmt.Sprintf("%s (%s)%s answered in %s", res.ID, name, alsoNote, latency)
	c.Detail = strings.Join(details, "\n")
	var fixes []string
	if resp.Guardrail {
		c.Status = StatusWarn
		c.Summary = fmt.Sprintf("%s%s answered, but a guardrail intervened on the prompt %q", res.ID, alsoNote, probePrompt)
		fixes = append(fixes, "check the guardrail's filters: a guardrail that blocks this blocks ordinary work too")
	}
	if len(res.Notices) > 0 {
		c.Status = StatusWarn
		c.Summary += fmt.Sprintf(", with %d %s", len(res.Notices), plural(len(res.Notices), "note", "notes"))
		fixes = append(fixes, res.Notices...)
		if conv := converted(res.Notices); conv {
			fixes = append(fixes, fmt.Sprintf("write %s where %s sets the model: basalt converts the ID, but Claude Code sharing these settings sends it as is and fails with \"on-demand throughput isn't supported\"", res.ID, role.Source))
		}
	}
	if notListed {
		c.Detail += "\nit answered anyway (a gateway may serve models it does not list)"
	}
	c.Fix = strings.Join(fixes, "\n")
	return c
}

// refineFix replaces the provider's generic advice where doctor knows
// more: who refused the credentials, a gateway, a guardrail.
func (r *runner) refineFix(ctx context.Context, c *Check, api *provider.APIError, role Role) {
	switch {
	case api.Kind == provider.KindAuth:
		r.blocked = "the credentials were refused (see " + c.ID + ")"
		c.Fix = r.authFix(api.Message)
	case api.Kind == provider.KindAccessDenied && strings.Contains(api.Message, "Authorization header is missing"):
		r.blocked = "the endpoint wants signed requests (see " + c.ID + ")"
		c.Fix = r.unsignedFix()
	case api.Kind == provider.KindValidation && strings.Contains(strings.ToLower(api.Message), "guardrail"):
		c.Fix = fmt.Sprintf("Bedrock refused the guardrail headers of ANTHROPIC_CUSTOM_HEADERS (see headers): the guardrail must exist in %s with that version (or DRAFT)", role.Region)
	case api.Kind == provider.KindConnection || api.Kind == provider.KindTimeout:
		r.blocked = "the endpoint did not answer (see " + c.ID + ")"
	case api.Kind == provider.KindOnDemand, api.Kind == provider.KindInvalidModel:
		if p := r.profileFor(ctx, role); p != "" {
			what := "is not served in " + role.Region
			if api.Kind == provider.KindOnDemand {
				what = "names a foundation model, which Bedrock serves on demand only through an inference profile"
			}
			c.Fix = fmt.Sprintf("%s %s: use the inference profile %s instead, where %s sets the model", role.Resolved.ID, what, p, role.Source)
		}
	}
	if c.Fix == "" {
		c.Fix = "see the message above"
	}
}

// profileFor is the inference profile the region serves for a role's
// model, when basalt knows the model and the region lists the profile
// (or cannot be asked).
func (r *runner) profileFor(ctx context.Context, role Role) string {
	m := role.Resolved.Model
	if m == nil {
		return ""
	}
	id, err := model.ProfileID(m, role.Region, r.in.Config.RegionPrefix.Value)
	if err != nil || id == role.Resolved.ID {
		return ""
	}
	if list, err := r.listProfiles(ctx, role.Region); err == nil {
		if _, ok := findProfile(list, id); !ok {
			return ""
		}
	}
	return id
}

func isAccessKind(k provider.Kind) bool {
	return k == provider.KindAccessDenied || k == provider.KindMarketplace || k == provider.KindInvalidModel || k == provider.KindOnDemand
}

// converted reports whether resolution turned a foundation-model or API
// ID into a profile.
func converted(notices []string) bool {
	for _, n := range notices {
		if strings.Contains(n, "is a foundation-model ID, which Bedrock does not serve on demand") || strings.Contains(n, "is an Anthropic API ID; on Bedrock") {
			return true
		}
	}
	return false
}

func findProfile(list []provider.Profile, id string) (provider.Profile, bool) {
	for _, p := range list {
		if p.ID == id || p.ARN == id {
			return p, true
		}
	}
	return provider.Profile{}, false
}

// isFoundationModel reports whether id names a foundation model (bare or
// ARN), which ListInferenceProfiles never lists.
func isFoundationModel(id string) bool {
	return strings.HasPrefix(id, "anthropic.") || strings.Contains(id, ":foundation-model/")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
