package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Bedrock's Mantle endpoint serves Claude in the Anthropic Messages API's
// own shape: POST {base}/v1/messages with "model" and "stream" in the
// body, anthropic-version and anthropic-beta as headers, server-sent
// events back. Its facts, as Claude Code 2.1.197 and the Anthropic Go
// SDK (bedrock/bedrockmantle.go) send them, recorded in
// testdata/claude-code/mantle-*.json:
//
//   - base URL https://bedrock-mantle.{region}.api.aws/anthropic, or
//     ANTHROPIC_BEDROCK_MANTLE_BASE_URL;
//   - SigV4 with the signing name "bedrock-mantle", or a Bedrock API key
//     (AWS_BEARER_TOKEN_BEDROCK) as Authorization: Bearer;
//   - model IDs "anthropic." plus the model's name without a date
//     (anthropic.claude-haiku-4-5), which config resolves;
//   - ?beta=true on a request that carries anthropic-beta (the
//     TypeScript SDK's beta Messages endpoint, which Claude Code uses).
//
// No service-tier header: Claude Code sends it to InvokeModel only.

// MantleEndpoint is Mantle's public base URL in region.
func MantleEndpoint(region string) string {
	return fmt.Sprintf("https://bedrock-mantle.%s.api.aws/anthropic", region)
}

// mantleOptions are the SDK options of a Mantle client for region: the
// base URL and our auth middleware with Mantle's signing name. The
// Anthropic SDK's bedrock adapter is not used: it would rewrite the
// request for InvokeModel.
func (c *Client) mantleOptions(region, customAuth string) []option.RequestOption {
	base := c.cfg.Mantle.BaseURL
	if base == "" {
		base = MantleEndpoint(region)
	}
	mw := &authMiddleware{
		auth: c.cfg.Auth, service: sigV4Mantle, region: region, customAuth: customAuth,
		skipAuth: c.cfg.Mantle.SkipAuth, signer: v4.NewSigner(), now: time.Now,
	}
	return []option.RequestOption{
		option.WithBaseURL(strings.TrimRight(base, "/") + "/"),
		option.WithMiddleware(mantleShape),
		option.WithMiddleware(mw.handle),
	}
}

// mantleShape makes the request what Claude Code sends: no Anthropic API
// key header (the SDK adds one from the process's ANTHROPIC_API_KEY,
// which is not a Mantle credential) and ?beta=true with betas.
func mantleShape(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	r.Header.Del("X-Api-Key")
	if r.Header.Get("Anthropic-Beta") != "" && strings.HasSuffix(r.URL.Path, "/v1/messages") {
		q := r.URL.Query()
		q.Set("beta", "true")
		r.URL.RawQuery = q.Encode()
	}
	return next(r)
}

// mantleProfiles lists the models Mantle serves in region (GET
// {base}/v1/models), as profiles of type "MANTLE" whose ID is the model ID
// to send, so that `basalt models` and doctor show what the endpoint
// offers as they do for inference profiles.
func (c *Client) mantleProfiles(ctx context.Context, region string) ([]Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, profileTimeout)
	defer cancel()
	page, err := c.sdkClient(region).Models.List(ctx, anthropic.ModelListParams{Limit: anthropic.Int(1000)})
	if err != nil {
		return nil, fmt.Errorf("list Mantle models in %s: %w", region, err)
	}
	var out []Profile
	for _, m := range page.Data {
		out = append(out, Profile{ID: m.ID, Name: m.DisplayName, Type: ProfileTypeMantle})
	}
	return out, nil
}

// ProfileTypeMantle marks a [Profile] that is a model of Mantle's
// catalog rather than an inference profile.
const ProfileTypeMantle = "MANTLE"
