package doctor

import (
	"context"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// Status is the outcome of a check.
type Status string

// The outcomes. Only StatusFail makes basalt doctor exit 1.
const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	StatusSkip Status = "skip" // not applicable, or not tried because an earlier check failed
)

// Check is one finding. Its JSON form is the "basalt doctor --json"
// contract: every field is always present.
type Check struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Summary string `json:"summary"` // one line
	Detail  string `json:"detail"`  // what was observed; may span lines
	Fix     string `json:"fix"`     // what to do; empty when there is nothing to do
}

// Client is what the network checks need of [provider.Client], declared
// here so that tests can stand in for error paths the emulator cannot
// produce.
type Client interface {
	ListProfiles(ctx context.Context, region string) ([]provider.Profile, error)
	Stream(ctx context.Context, req provider.Request, on func(provider.Event)) (*provider.Response, error)
	CacheControl(m *model.Model) (anthropic.CacheControlEphemeralParam, bool, string)
}

// SkewSource reports the server's clock minus ours, from the Date header
// of a response the checks received; ok is false before any response.
// [ServerClock] is the real one.
type SkewSource interface {
	Skew() (skew time.Duration, ok bool)
}

// Input is everything the checks observe. The caller builds the
// credentials and the client; a field it could not build is nil and its
// error says why, which is itself a finding.
type Input struct {
	Config    *config.Config
	ConfigErr error // what config.Load returned along with Config

	Auth    *awsauth.Auth // Bedrock only
	AuthErr error

	Client    Client
	ClientErr error

	// Roots are the CA bundles the client trusts; nil reads them from
	// Config's environment.
	Roots *awsauth.Roots
	// Network is the corporate network the client uses (client
	// certificate, proxies); nil reads it from Config's environment.
	Network *awsauth.Network

	// Roles are the resolved models (see [ResolveRoles]); doctor tests
	// those [InUse].
	Roles []Role

	Clock SkewSource // nil: the clock is not checked

	// LookPath finds a command's first word in PATH; nil means the
	// default, which searches the configuration's PATH (the one basalt
	// runs awsAuthRefresh with), not the process's.
	LookPath func(file, path string) (string, error)

	// Sandbox, when set, adds the OS sandbox's checks (sandbox.go).
	Sandbox *SandboxInput

	// Deep adds the checks that cost money: prompt caching.
	Deep bool

	Now func() time.Time // default time.Now

	// Timeouts; zero means the default. A check never hangs: each
	// network call has its own deadline.
	CredentialsTimeout time.Duration // default 15 s
	RequestTimeout     time.Duration // default 30 s per model request
}

// Run performs every check, in an order where each one may rely on what
// the earlier ones found: a refused credential or an unreachable endpoint
// turns the later network checks into skips instead of repeating the
// same failure.
func Run(ctx context.Context, in Input) []Check {
	if in.Now == nil {
		in.Now = time.Now
	}
	if in.LookPath == nil {
		in.LookPath = lookPath
	}
	if in.CredentialsTimeout <= 0 {
		in.CredentialsTimeout = 15 * time.Second
	}
	if in.RequestTimeout <= 0 {
		in.RequestTimeout = 30 * time.Second
	}
	r := &runner{in: in, profiles: map[string]profileList{}}
	var out []Check
	for _, c := range []func(context.Context) []Check{
		one(r.checkProvider),
		one(r.checkSettings),
		one(r.checkConfig),
		one(r.checkPermissions),
		r.checkSandbox,
		one(r.checkRegion),
		one(r.checkCredentials),
		one(r.checkCommands),
		one(r.checkProxy),
		one(r.checkCABundles),
		one(r.checkClientCert),
		one(r.checkProxyReachable),
		one(r.checkEndpointTLS),
		one(r.checkServiceTier),
		one(r.checkHeaders),
		one(r.checkOutput),
		one(r.checkProfiles),
		r.checkModels,
		one(r.checkClock), // after the requests whose Date headers it reads
		one(r.checkCaching),
	} {
		if ctx.Err() != nil {
			break
		}
		out = append(out, c(ctx)...)
	}
	return out
}

func one(f func(context.Context) Check) func(context.Context) []Check {
	return func(ctx context.Context) []Check { return []Check{f(ctx)} }
}

// runner carries what the checks learn for the ones that follow.
type runner struct {
	in Input

	// credSource is how the credentials check described the source
	// ("SSOProvider", …), for the awsAuthRefresh advice.
	credSource string
	// blocked, when set, says why network checks are not tried: the
	// credentials were refused or the endpoint is unreachable.
	blocked string
	// profiles caches ListInferenceProfiles by region.
	profiles map[string]profileList
	// primaryOK is set when the primary model answered, for --deep.
	primaryOK bool
}

type profileList struct {
	list []provider.Profile
	err  error
}

func (r *runner) bedrock() bool {
	return r.in.Config != nil && r.in.Config.Provider.Value == config.ProviderBedrock
}

// HasFailure reports whether any check failed: basalt doctor's exit code.
func HasFailure(checks []Check) bool {
	for _, c := range checks {
		if c.Status == StatusFail {
			return true
		}
	}
	return false
}
