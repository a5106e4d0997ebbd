package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/model"
)

// addFix writes what the user should do about a failure that basalt could
// not handle itself: the seed documents' troubleshooting table as code.
func (c *Client) addFix(ctx context.Context, e *APIError, req Request) {
	switch e.Kind {
	case KindOnDemand:
		id := req.Model
		if a, ok := model.ParseARN(id); ok && a.Kind == model.KindFoundationModel {
			id = a.Resource // arn:…:foundation-model/anthropic.claude-… names the model last
		}
		if p := c.suggestProfile(ctx, id, e.Region); p != "" {
			e.Fix = fmt.Sprintf("%s is a foundation-model ID, which Bedrock serves only through an inference profile: use %s (set ANTHROPIC_MODEL=%s or pass --model %s)", req.Model, p, p, p)
		} else {
			e.Fix = fmt.Sprintf("use an inference-profile ID such as us.%s or global.%s, or an application-inference-profile ARN; `basalt models` lists the profiles in %s", id, id, e.Region)
		}
	case KindInvalidModel:
		avail := c.anthropicProfiles(ctx, e.Region)
		if len(avail) > 0 {
			e.Fix = fmt.Sprintf("%s is not served in %s; the Claude inference profiles there are: %s", req.Model, e.Region, strings.Join(avail, ", "))
		} else {
			e.Fix = fmt.Sprintf("%s is not served in %s: check the ID and the region (AWS_REGION); `basalt models` lists what is", req.Model, e.Region)
		}
	case KindAccessDenied:
		m := req.Catalog
		if m == nil {
			m, _ = model.Lookup(req.Model)
		}
		if m != nil && m.Gated != "" {
			// No IAM policy opens a model Anthropic offers only to
			// approved organisations: say that first.
			e.Fix = fmt.Sprintf("%s is for approved organisations only: %s. If yours is approved, your AWS identity also needs bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on it in %s (`basalt iam-policy`)", req.Model, m.Gated, e.Region)
			return
		}
		e.Fix = fmt.Sprintf("your AWS identity may not invoke %s in %s: it needs bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the inference profile and on the foundation model in every destination region; `basalt iam-policy` prints that policy. Also check that model access is enabled in the Bedrock console", req.Model, e.Region)
	case KindMarketplace:
		e.Fix = "the model's AWS Marketplace subscription is missing: an administrator enables model access once in the Bedrock console, or your identity needs aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe (with the condition aws:CalledViaLast = bedrock.amazonaws.com); `basalt iam-policy` includes that statement"
	case KindAuth:
		switch {
		case c.cfg.Auth == nil:
			e.Fix = "check ANTHROPIC_API_KEY"
		case c.cfg.Auth.Mode() == "bearer":
			e.Fix = "AWS_BEARER_TOKEN_BEDROCK was refused: short-term Bedrock API keys expire after at most 12 hours and are bound to one region; create a new key or use AWS credentials"
		case c.cfg.Auth.Mode() == "none":
			e.Fix = "CLAUDE_CODE_SKIP_BEDROCK_AUTH is on, so basalt sends no credentials: the endpoint at ANTHROPIC_BEDROCK_BASE_URL must sign requests itself (or put its token in ANTHROPIC_CUSTOM_HEADERS)"
		default:
			e.Fix = "renew your AWS credentials (for SSO: `aws sso login`); set awsAuthRefresh so basalt does it for you when they expire, and run `basalt doctor` to see which credentials are in use"
		}
	case KindThrottled:
		e.Fix = fmt.Sprintf("Bedrock kept throttling after %d attempts: ask for higher quotas for this model in Service Quotas, prefer a global.* inference profile, and keep CLAUDE_CODE_MAX_OUTPUT_TOKENS near 4096, because Bedrock reserves max_tokens against the tokens-per-minute quota", e.Attempts)
	case KindQuota:
		e.Fix = "a Bedrock service quota is exhausted: request an increase in Service Quotas"
	case KindCachingUnsupported:
		e.Fix = "prompt caching is not available for this model or region: set DISABLE_PROMPT_CACHING=1 or use a region and model that support it"
	case KindUnavailable, KindModelNotReady, KindTimeout, KindConnection, KindStreamError:
		e.Fix = fmt.Sprintf("Bedrock did not answer after %d attempts; try again, or another region or a global.* profile. CLAUDE_CODE_MAX_RETRIES raises the number of attempts", e.Attempts)
	case KindUnreachable:
		c.addUnreachableFix(e)
	case KindValidation:
		e.Fix = "Bedrock refused the request as malformed; if this persists, run with --verbose and report the log"
	}
}

// suggestProfile finds the inference profile that serves a foundation
// model in the region, preferring the region's own geography, then global.
func (c *Client) suggestProfile(ctx context.Context, foundationID, region string) string {
	profiles, err := c.ListProfiles(ctx, region)
	if err != nil {
		return model.PrefixForRegion(region) + "." + foundationID
	}
	var global string
	for _, p := range profiles {
		if !strings.HasSuffix(p.ID, "."+foundationID) {
			continue
		}
		if strings.HasPrefix(p.ID, model.PrefixForRegion(region)+".") {
			return p.ID
		}
		if strings.HasPrefix(p.ID, "global.") {
			global = p.ID
		}
	}
	return global
}

func (c *Client) anthropicProfiles(ctx context.Context, region string) []string {
	profiles, err := c.ListProfiles(ctx, region)
	if err != nil {
		return nil
	}
	var ids []string
	for _, p := range profiles {
		if strings.Contains(p.ID, "anthropic.") {
			ids = append(ids, p.ID)
		}
	}
	return ids
}
