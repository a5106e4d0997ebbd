package awsauth

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// retrieve resolves credentials from p within the chain timeout
// (CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS), so a credential source that
// hangs (an unreachable SSO or STS endpoint behind a proxy, a metadata
// service that never answers) fails the request in bounded time with a
// message naming the variable.
func (a *Auth) retrieve(ctx context.Context, p aws.CredentialsProvider) (aws.Credentials, error) {
	if a.opts.ChainTimeout <= 0 || a.mode != ModeChain {
		return p.Retrieve(ctx)
	}
	cctx, cancel := context.WithTimeoutCause(ctx, a.opts.ChainTimeout, errChainTimeout)
	defer cancel()
	creds, err := p.Retrieve(cctx)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(cctx), errChainTimeout) {
		return creds, &Error{
			Op:  "resolve AWS credentials",
			Err: fmt.Errorf("the credential chain did not answer within %s (CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS)", a.opts.ChainTimeout),
			Fix: "check that the SSO or STS endpoint is reachable (proxy variables, CA bundle), or raise CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS; `basalt doctor` checks both",
		}
	}
	return creds, err
}

var errChainTimeout = errors.New("credential chain timeout")

// uncached makes the SDK's credentials cache forget before every
// retrieval, so that every request resolves credentials afresh
// (CLAUDE_CODE_SKIP_AWS_CRED_CACHE): for credential sources that rotate
// behind basalt's back.
func uncached(p aws.CredentialsProvider) aws.CredentialsProvider {
	if c, ok := p.(*aws.CredentialsCache); ok {
		return &forgetfulCache{c}
	}
	return p
}

type forgetfulCache struct{ *aws.CredentialsCache }

func (f *forgetfulCache) Retrieve(ctx context.Context) (aws.Credentials, error) {
	f.Invalidate()
	return f.CredentialsCache.Retrieve(ctx)
}
