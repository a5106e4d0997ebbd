package awsauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

// Mode is how requests are authenticated.
type Mode string

// The authentication modes, in the order basalt chooses them.
const (
	ModeNone   Mode = "none"   // CLAUDE_CODE_SKIP_BEDROCK_AUTH: a gateway signs
	ModeBearer Mode = "bearer" // AWS_BEARER_TOKEN_BEDROCK
	ModeExport Mode = "export" // awsCredentialExport, SigV4
	ModeChain  Mode = "chain"  // the AWS SDK default chain, SigV4
)

// exportWindow is how long before their expiry awsCredentialExport's
// credentials are renewed (DESIGN.md §5).
const exportWindow = 5 * time.Minute

// Options configure an [Auth]. Env is the effective environment (process
// environment plus settings-file env maps); basalt never reads os.Getenv
// for these values.
type Options struct {
	Env            map[string]string
	Region         string
	SkipAuth       bool
	ExportCommand  string // awsCredentialExport
	RefreshCommand string // awsAuthRefresh
	// RefreshOutput receives each line the refresh command prints (a
	// device code, a URL): stderr in headless mode, an event in the UI.
	RefreshOutput func(line string)
	// OnRefresh, when set, learns of every refresh as it ends: how
	// ("awsAuthRefresh" when the command ran, else "reload": the
	// credential source resolved again), how long it took and its error.
	// For telemetry's basalt.credential_refresh.
	OnRefresh func(method string, took time.Duration, err error)
	// Timeouts; zero means the default.
	ExportTimeout  time.Duration // default 60 s
	RefreshTimeout time.Duration // default 10 min: browser SSO flows are slow
	Log            *slog.Logger
	// Roots are the CA bundles of the environment, shared with the model
	// client; nil reads them from Env (or takes Network's).
	Roots *Roots
	// Network is the corporate network (CA bundles, client certificate,
	// proxies) shared with the model client, so that the SDK's own calls
	// (SSO, STS) go the same way; nil reads it from Env.
	Network *Network
	// SkipCredCache resolves credentials for every request
	// (CLAUDE_CODE_SKIP_AWS_CRED_CACHE) instead of caching them until
	// they expire.
	SkipCredCache bool
	// ChainTimeout bounds one resolution of the AWS credential chain
	// (CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS); zero: the request's own
	// deadline.
	ChainTimeout time.Duration
}

// Auth resolves and refreshes the credentials of every request. It is safe
// for concurrent use: concurrent requests that fail on the same expired
// credentials share one refresh.
type Auth struct {
	opts Options
	mode Mode
	env  []string

	mu         sync.Mutex
	creds      aws.CredentialsProvider // a cache; replaced on refresh
	generation uint64                  // incremented by every refresh
	refreshing chan struct{}           // closed when the refresh in flight ends
	refreshErr error
}

// New chooses the authentication mode and prepares its credential source.
// It does not contact AWS or run commands: credentials are resolved on the
// first request.
func New(ctx context.Context, opts Options) (*Auth, error) {
	if opts.ExportTimeout == 0 {
		opts.ExportTimeout = 60 * time.Second
	}
	if opts.RefreshTimeout == 0 {
		opts.RefreshTimeout = 10 * time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	switch {
	case opts.Network == nil:
		opts.Network = NewNetwork(opts.Env)
		if opts.Roots != nil {
			opts.Network.Roots = opts.Roots
		}
		opts.Roots = opts.Network.Roots
	case opts.Roots == nil:
		opts.Roots = opts.Network.Roots
	}
	a := &Auth{opts: opts, env: envList(opts.Env)}
	switch {
	case opts.SkipAuth:
		a.mode = ModeNone
	case opts.Env["AWS_BEARER_TOKEN_BEDROCK"] != "":
		a.mode = ModeBearer
	case opts.ExportCommand != "":
		a.mode = ModeExport
	default:
		a.mode = ModeChain
	}
	p, err := a.newProvider(ctx)
	if err != nil {
		return nil, err
	}
	a.creds = p
	return a, nil
}

// Mode reports how requests are authenticated.
func (a *Auth) Mode() Mode { return a.mode }

// BearerToken is the Bedrock API key in ModeBearer.
func (a *Auth) BearerToken() string { return a.opts.Env["AWS_BEARER_TOKEN_BEDROCK"] }

// Region is the region credentials are scoped to.
func (a *Auth) Region() string { return a.opts.Region }

// Generation identifies the credentials in use; pass it to [Auth.Refresh]
// so that a refresh another request already did is not repeated.
func (a *Auth) Generation() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.generation
}

// Provider returns a credentials provider that always delegates to the
// current credentials, for AWS SDK clients (ListInferenceProfiles).
func (a *Auth) Provider() aws.CredentialsProvider { return providerFunc(a.Credentials) }

type providerFunc func(context.Context) (aws.Credentials, error)

func (f providerFunc) Retrieve(ctx context.Context) (aws.Credentials, error) { return f(ctx) }

// Credentials returns credentials for SigV4. When they cannot be resolved
// (an expired SSO session, a credentials file that is gone) and
// awsAuthRefresh is configured, it runs the refresh once and tries again;
// otherwise it fails at once with an *Error saying what to do.
func (a *Auth) Credentials(ctx context.Context) (aws.Credentials, error) {
	if a.mode == ModeNone || a.mode == ModeBearer {
		return aws.Credentials{}, fmt.Errorf("credentials: not used in %s mode", a.mode)
	}
	gen, p := a.current()
	creds, err := a.retrieve(ctx, p)
	if err == nil {
		return creds, nil
	}
	if ctx.Err() != nil {
		return aws.Credentials{}, ctx.Err()
	}
	if a.opts.RefreshCommand == "" {
		return aws.Credentials{}, a.resolveError(err)
	}
	a.opts.Log.Info("credentials unavailable, refreshing", "err", err)
	if rerr := a.Refresh(ctx, gen); rerr != nil {
		return aws.Credentials{}, rerr
	}
	_, p = a.current()
	creds, err = a.retrieve(ctx, p)
	if err != nil {
		return aws.Credentials{}, a.resolveError(err)
	}
	return creds, nil
}

func (a *Auth) current() (uint64, aws.CredentialsProvider) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.generation, a.creds
}

// Refresh runs awsAuthRefresh (if configured), drops every cached
// credential and resolves the credential source again. gen is the
// generation the caller's failed request used: if a refresh has happened
// since, Refresh returns at once. Concurrent callers share one refresh.
func (a *Auth) Refresh(ctx context.Context, gen uint64) error {
	a.mu.Lock()
	if a.generation != gen {
		a.mu.Unlock()
		return nil
	}
	if ch := a.refreshing; ch != nil {
		a.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.refreshErr
	}
	ch := make(chan struct{})
	a.refreshing = ch
	a.mu.Unlock()

	err := a.refresh(ctx)

	a.mu.Lock()
	a.refreshErr = err
	a.refreshing = nil
	a.mu.Unlock()
	close(ch)
	return err
}

func (a *Auth) refresh(ctx context.Context) (err error) {
	if a.opts.OnRefresh != nil {
		method, start := "reload", time.Now()
		if a.opts.RefreshCommand != "" {
			method = "awsAuthRefresh"
		}
		defer func() { a.opts.OnRefresh(method, time.Since(start), err) }()
	}
	if cmd := a.opts.RefreshCommand; cmd != "" {
		a.opts.Log.Info("running awsAuthRefresh")
		start := time.Now()
		if err := runStreamed(ctx, cmd, a.env, a.opts.RefreshTimeout, a.opts.RefreshOutput); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &Error{
				Op:  fmt.Sprintf("run awsAuthRefresh (%s)", cmd),
				Err: err,
				Fix: "run the command yourself to see what it needs (for SSO: `aws sso login`), or correct the awsAuthRefresh setting; `basalt config show` says which file sets it",
			}
		}
		a.opts.Log.Info("awsAuthRefresh done", "latency", time.Since(start))
	}
	p, err := a.newProvider(ctx)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.creds = p
	a.generation++
	a.mu.Unlock()
	return nil
}

// newProvider builds a fresh, empty credentials cache over the mode's
// source, so that nothing resolved before a refresh survives it.
func (a *Auth) newProvider(ctx context.Context) (aws.CredentialsProvider, error) {
	switch a.mode {
	case ModeExport:
		return aws.NewCredentialsCache(&exportProvider{command: a.opts.ExportCommand, env: a.env, timeout: a.opts.ExportTimeout},
			func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = exportWindow }), nil
	case ModeChain:
		opts, err := a.chainOptions()
		if err != nil {
			return nil, err
		}
		cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, &Error{Op: "load AWS configuration", Err: err,
				Fix: "check ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) and the profile named by AWS_PROFILE"}
		}
		if cfg.Credentials == nil {
			return nil, a.resolveError(errors.New("no credential source"))
		}
		if a.opts.SkipCredCache {
			return a.uncached(), nil
		}
		return cfg.Credentials, nil
	}
	return nil, nil
}

// chainOptions hand the SDK what the effective environment says, since
// variables from settings files are not in the process environment the
// SDK reads.
func (a *Auth) chainOptions() ([]func(*awsconfig.LoadOptions) error, error) {
	env := a.opts.Env
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(a.opts.Region), awsconfig.WithLogger(sdkLogger{a.opts.Log})}
	// The SDK's own clients (SSO, STS, IMDS) trust, present and go
	// through what basalt's do: the one parse of the bundles, the client
	// certificate and the effective environment's proxies (the SDK's
	// default reads only the process environment's).
	n := a.opts.Network
	tlsCfg, err := n.TLSConfig()
	if err != nil {
		return nil, err
	}
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		if tlsCfg != nil {
			tr.TLSClientConfig = tlsCfg.Clone()
		}
		tr.Proxy = func(r *http.Request) (*url.URL, error) { return n.ProxyFor(r.URL) }
	})
	opts = append(opts, awsconfig.WithHTTPClient(client))
	if r := a.opts.Roots; r.AWSBundle != "" {
		if _, err := r.Pool(); err != nil {
			return nil, err
		}
		opts = append(opts, awsconfig.WithCustomCABundle(r.sdkBundle()))
	}
	if p := env["AWS_PROFILE"]; p != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(p))
	}
	home := env["HOME"]
	if f := firstNonEmpty(env["AWS_CONFIG_FILE"], join(home, ".aws", "config")); f != "" {
		opts = append(opts, awsconfig.WithSharedConfigFiles([]string{f}))
	}
	if f := firstNonEmpty(env["AWS_SHARED_CREDENTIALS_FILE"], join(home, ".aws", "credentials")); f != "" {
		opts = append(opts, awsconfig.WithSharedCredentialsFiles([]string{f}))
	}
	if id, secret := env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]; id != "" && secret != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(id, secret, env["AWS_SESSION_TOKEN"])))
	}
	if strings.EqualFold(env["AWS_EC2_METADATA_DISABLED"], "true") {
		opts = append(opts, awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	return opts, nil
}

// resolveError explains a credential chain that found nothing usable.
func (a *Auth) resolveError(err error) error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	fix := "set AWS_PROFILE to a configured profile (for SSO run `aws sso login --profile NAME`), export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_BEARER_TOKEN_BEDROCK, or configure awsCredentialExport; awsAuthRefresh makes basalt renew expired credentials itself"
	if a.opts.RefreshCommand != "" {
		fix = "awsAuthRefresh ran but credentials are still unavailable: check that it logs in to the profile basalt uses (AWS_PROFILE) and run `basalt doctor`"
	}
	return &Error{Op: "resolve AWS credentials", Err: a.describeChainError(err), Fix: fix}
}

// describeChainError replaces the SDK's report of the last source it
// tried (usually the instance metadata service, which means nothing on a
// laptop) by what was searched.
func (a *Auth) describeChainError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "EC2 IMDS") || strings.Contains(msg, "ec2imds") {
		profile := a.opts.Env["AWS_PROFILE"]
		if profile == "" {
			profile = "default"
		}
		return fmt.Errorf("no AWS credentials found: looked in the environment (AWS_ACCESS_KEY_ID), the shared config and credentials files (profile %s, with SSO and credential_process), web identity, and the container and instance roles", profile)
	}
	return trimSDKError(err)
}

// trimSDKError keeps the SDK's explanation but drops its request-level
// decoration, which says nothing to a user.
func trimSDKError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "failed to refresh cached credentials, ")
	return errors.New(msg)
}

// Source describes where the current credentials come from, for doctor
// and /status. It resolves them if needed.
func (a *Auth) Source(ctx context.Context) (string, error) {
	switch a.mode {
	case ModeNone:
		return "none (CLAUDE_CODE_SKIP_BEDROCK_AUTH)", nil
	case ModeBearer:
		return "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)", nil
	}
	c, err := a.Credentials(ctx)
	if err != nil {
		return "", err
	}
	s := c.Source
	if len(c.AccessKeyID) >= 4 {
		s += ", access key …" + c.AccessKeyID[len(c.AccessKeyID)-4:]
	}
	if c.CanExpire {
		exp := c.Expires
		if a.mode == ModeExport {
			exp = exp.Add(exportWindow) // the cache renews this early; show the real expiry
		}
		s += ", expires " + exp.UTC().Format(time.RFC3339)
	}
	return s, nil
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	if len(out) == 0 {
		// A command with an empty environment would lose PATH; fall back
		// to the process's own.
		return os.Environ()
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func join(home string, parts ...string) string {
	if home == "" {
		return ""
	}
	return filepath.Join(append([]string{home}, parts...)...)
}
