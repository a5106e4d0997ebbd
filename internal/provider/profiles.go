package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsbedrock "github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	smithyauth "github.com/aws/smithy-go/auth"
	"github.com/aws/smithy-go/auth/bearer"

	"github.com/basalt-dev/basalt/internal/awsauth"
)

// Profile is a Bedrock inference profile.
type Profile struct {
	ID     string
	ARN    string
	Name   string
	Type   string   // SYSTEM_DEFINED or APPLICATION
	Models []string // foundation-model ARNs of the destination regions
}

// FoundationModelID is the model the profile routes to, taken from its
// first destination ARN ("…:foundation-model/anthropic.claude-…").
func (p Profile) FoundationModelID() string {
	if len(p.Models) == 0 {
		return ""
	}
	arn := p.Models[0]
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

// profileCache keeps what the control plane said for the session: profiles
// do not change while an agent runs, and Claude Code's users pay 8 s
// timeouts at every start for not caching them.
type profileCache struct {
	mu   sync.Mutex
	list map[string][]Profile // by region
	one  map[string]Profile   // by ID or ARN
}

const profileTimeout = 8 * time.Second

// ListProfiles returns the inference profiles visible in a region ("" =
// the client's), following every page.
func (c *Client) ListProfiles(ctx context.Context, region string) ([]Profile, error) {
	if c.cfg.Provider != Bedrock {
		return nil, fmt.Errorf("list inference profiles: not on Bedrock")
	}
	if region == "" {
		region = c.cfg.Region
	}
	if c.cfg.Mantle != nil {
		return c.mantleProfiles(ctx, region)
	}
	c.profiles.mu.Lock()
	if l, ok := c.profiles.list[region]; ok {
		c.profiles.mu.Unlock()
		return l, nil
	}
	c.profiles.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, profileTimeout)
	defer cancel()
	cl := c.controlClient(region)
	var out []Profile
	for _, typ := range []string{"SYSTEM_DEFINED", "APPLICATION"} {
		pg := awsbedrock.NewListInferenceProfilesPaginator(cl, &awsbedrock.ListInferenceProfilesInput{
			TypeEquals: types.InferenceProfileType(typ), MaxResults: aws.Int32(1000),
		})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				if ue := c.UnreachableError(err, region); ue != err {
					return nil, ue
				}
				return nil, fmt.Errorf("list inference profiles in %s: %w", region, err)
			}
			for _, s := range page.InferenceProfileSummaries {
				p := Profile{ID: aws.ToString(s.InferenceProfileId), ARN: aws.ToString(s.InferenceProfileArn), Name: aws.ToString(s.InferenceProfileName), Type: string(s.Type)}
				for _, m := range s.Models {
					p.Models = append(p.Models, aws.ToString(m.ModelArn))
				}
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	c.profiles.mu.Lock()
	if c.profiles.list == nil {
		c.profiles.list = map[string][]Profile{}
	}
	c.profiles.list[region] = out
	c.profiles.mu.Unlock()
	return out, nil
}

// GetProfile describes one inference profile by ID or ARN. Application
// profiles hide their model behind an opaque ID; this is how basalt learns
// it for prices and limits.
func (c *Client) GetProfile(ctx context.Context, idOrARN string) (Profile, error) {
	c.profiles.mu.Lock()
	if p, ok := c.profiles.one[idOrARN]; ok {
		c.profiles.mu.Unlock()
		return p, nil
	}
	c.profiles.mu.Unlock()
	region := c.cfg.Region
	if parts := strings.Split(idOrARN, ":"); strings.HasPrefix(idOrARN, "arn:") && len(parts) > 3 && parts[3] != "" {
		region = parts[3]
	}
	ctx, cancel := context.WithTimeout(ctx, profileTimeout)
	defer cancel()
	o, err := c.controlClient(region).GetInferenceProfile(ctx, &awsbedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(idOrARN)})
	if err != nil {
		if ue := c.UnreachableError(err, region); ue != err {
			return Profile{}, ue
		}
		return Profile{}, fmt.Errorf("get inference profile %s: %w", idOrARN, err)
	}
	p := Profile{ID: aws.ToString(o.InferenceProfileId), ARN: aws.ToString(o.InferenceProfileArn), Name: aws.ToString(o.InferenceProfileName), Type: string(o.Type)}
	for _, m := range o.Models {
		p.Models = append(p.Models, aws.ToString(m.ModelArn))
	}
	c.profiles.mu.Lock()
	if c.profiles.one == nil {
		c.profiles.one = map[string]Profile{}
	}
	c.profiles.one[idOrARN] = p
	c.profiles.mu.Unlock()
	return p, nil
}

// anonymousOnly makes the control-plane client send unsigned requests,
// for CLAUDE_CODE_SKIP_BEDROCK_AUTH.
type anonymousOnly struct{}

func (anonymousOnly) ResolveAuthSchemes(context.Context, *awsbedrock.AuthResolverParameters) ([]*smithyauth.Option, error) {
	return []*smithyauth.Option{{SchemeID: smithyauth.SchemeIDAnonymous}}, nil
}

// controlClient is a Bedrock control-plane client with basalt's
// credentials and endpoint. ANTHROPIC_BEDROCK_BASE_URL serves both planes,
// as Claude Code expects of a gateway.
func (c *Client) controlClient(region string) *awsbedrock.Client {
	return awsbedrock.New(awsbedrock.Options{Region: region, HTTPClient: c.cfg.HTTPClient, RetryMaxAttempts: 2, Logger: awsauth.SDKLogger(c.cfg.Log)}, func(o *awsbedrock.Options) {
		if c.cfg.BaseURL != "" {
			o.BaseEndpoint = aws.String(strings.TrimRight(c.cfg.BaseURL, "/"))
		}
		switch c.cfg.Auth.Mode() {
		case awsauth.ModeNone:
			// Only the anonymous scheme: with anonymous credentials alone
			// the SDK would still pick SigV4 or bearer and fail on them.
			o.AuthSchemeResolver = anonymousOnly{}
		case awsauth.ModeBearer:
			o.BearerAuthTokenProvider = bearer.StaticTokenProvider{Token: bearer.Token{Value: c.cfg.Auth.BearerToken()}}
			o.AuthSchemePreference = []string{"httpBearerAuth"}
		default:
			o.Credentials = c.cfg.Auth.Provider()
		}
	})
}
