package awsauth

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
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
	// Not every source stops when its context ends (a credential_process
	// command runs to its end), so the wait is bounded here.
	type result struct {
		creds aws.Credentials
		err   error
	}
	done := make(chan result, 1)
	go func() {
		c, err := p.Retrieve(cctx)
		done <- result{c, err}
	}()
	var creds aws.Credentials
	var err error
	select {
	case r := <-done:
		creds, err = r.creds, r.err
	case <-cctx.Done():
		err = context.Cause(cctx)
	}
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

// uncached resolves the chain afresh for every retrieval
// (CLAUDE_CODE_SKIP_AWS_CRED_CACHE): the SDK reads the shared files once
// per configuration, so forgetting its cache is not enough; the whole
// configuration is loaded again, for credential sources that rotate
// behind basalt's back.
func (a *Auth) uncached() aws.CredentialsProvider {
	return providerFunc(func(ctx context.Context) (aws.Credentials, error) {
		opts, err := a.chainOptions()
		if err != nil {
			return aws.Credentials{}, err
		}
		cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return aws.Credentials{}, err
		}
		if cfg.Credentials == nil {
			return aws.Credentials{}, errors.New("no credential source")
		}
		return cfg.Credentials.Retrieve(ctx)
	})
}
