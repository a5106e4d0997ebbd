package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/aws/smithy-go"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

// fakeClient answers with what a test scripted: for error paths the
// emulator cannot produce (an IAM denial, a marketplace subscription).
type fakeClient struct {
	profiles []provider.Profile
	listErr  error
	// answer returns the response or error of a request to model.
	answer func(req provider.Request, n int) (*provider.Response, error)

	mu    sync.Mutex
	calls []string // model of each Stream call
}

func (f *fakeClient) ListProfiles(context.Context, string) ([]provider.Profile, error) {
	return f.profiles, f.listErr
}

func (f *fakeClient) Stream(_ context.Context, req provider.Request, _ func(provider.Event)) (*provider.Response, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req.Model)
	n := len(f.calls)
	f.mu.Unlock()
	if f.answer == nil {
		return &provider.Response{}, nil
	}
	return f.answer(req, n)
}

func (f *fakeClient) CacheControl(*model.Model) (anthropic.CacheControlEphemeralParam, bool, string) {
	return anthropic.NewCacheControlEphemeralParam(), true, ""
}

func emulatorProfiles() []provider.Profile {
	return []provider.Profile{
		{ID: "global.anthropic.claude-sonnet-4-6", ARN: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-6", Name: "Global Anthropic Claude Sonnet 4.6",
			Models: []string{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6", "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6"}},
		{ID: "us.anthropic.claude-haiku-4-5-20251001-v1:0", ARN: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0", Name: "US Anthropic Claude Haiku 4.5",
			Models: []string{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"}},
	}
}

func runWith(t *testing.T, env map[string]string, fc *fakeClient, deep bool) map[string]Check {
	t.Helper()
	r := localRunner(t, env, nil)
	in := r.in
	in.Client, in.Deep = fc, deep
	out := map[string]Check{}
	for _, c := range Run(t.Context(), in) {
		out[c.ID] = c
	}
	return out
}

func TestModelFailures(t *testing.T) {
	t.Parallel()
	denied := &provider.APIError{Kind: provider.KindAccessDenied, Status: 403, Code: "AccessDeniedException",
		Message: "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:InvokeModelWithResponseStream",
		Fix:     "your AWS identity may not invoke it …; `basalt iam-policy` prints that policy"}
	market := &provider.APIError{Kind: provider.KindMarketplace, Status: 403, Fix: "the model's AWS Marketplace subscription is missing …"}
	expired := &provider.APIError{Kind: provider.KindAuth, Status: 403, Code: "ExpiredTokenException", Message: "The security token included in the request is expired", Fix: "generic"}
	throttled := &provider.APIError{Kind: provider.KindThrottled, Status: 429, Attempts: 2, Fix: "Bedrock kept throttling after 2 attempts: ask for higher quotas"}
	failSmall := func(err error) func(provider.Request, int) (*provider.Response, error) {
		return func(req provider.Request, _ int) (*provider.Response, error) {
			if strings.Contains(req.Model, "haiku") {
				return nil, err
			}
			return &provider.Response{}, nil
		}
	}
	tests := []struct {
		name   string
		answer func(provider.Request, int) (*provider.Response, error)
		id     string
		want   want
		also   map[string]Status // other checks and their status
	}{
		{"access denied names iam-policy", failSmall(denied), "model.small-fast",
			want{StatusFail, "us.anthropic.claude-haiku-4-5-20251001-v1:0: access denied", "`basalt iam-policy`"},
			map[string]Status{"model.primary": StatusOK}},
		{"marketplace", failSmall(market), "model.small-fast",
			want{StatusFail, "marketplace subscription missing", "Marketplace subscription"}, nil},
		{"throttled", failSmall(throttled), "model.small-fast",
			want{StatusFail, "throttled", "higher quotas"}, nil},
		{"expired credentials stop the other checks", func(provider.Request, int) (*provider.Response, error) { return nil, expired },
			"model.primary", want{StatusFail, "credentials refused", "no awsAuthRefresh is configured"},
			map[string]Status{"model.small-fast": StatusSkip}},
		{"guardrail intervened on the probe", func(provider.Request, int) (*provider.Response, error) {
			return &provider.Response{Guardrail: true}, nil
		}, "model.primary", want{StatusWarn, "a guardrail intervened", "guardrail's filters"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{profiles: emulatorProfiles(), answer: tt.answer}
			got := runWith(t, bedrockEnv(nil), fc, false)
			tt.want.check(t, got[tt.id])
			for id, st := range tt.also {
				if got[id].Status != st {
					t.Errorf("%s: %s %q, want %s", id, got[id].Status, got[id].Summary, st)
				}
			}
		})
	}
}

func TestProfilesFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		want    want
		primary Status
	}{
		{"IAM denies the listing only", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:iam::1:user/dev is not authorized to perform: bedrock:ListInferenceProfiles"},
			want{StatusWarn, "AccessDeniedException", "grant bedrock:ListInferenceProfiles"}, StatusOK},
		{"unknown key", &smithy.GenericAPIError{Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."},
			want{StatusFail, "UnrecognizedClientException", "renew your AWS credentials"}, StatusSkip},
		{"bad signature", &smithy.GenericAPIError{Code: "InvalidSignatureException", Message: "Signature expired: 20260301T120000Z is now earlier than …"},
			want{StatusFail, "InvalidSignatureException", "this machine's clock is right"}, StatusSkip},
		{"unreachable", fmt.Errorf("list: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}),
			want{StatusFail, "cannot reach https://bedrock-runtime.us-east-1.amazonaws.com", "check the network"}, StatusSkip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{listErr: tt.err}
			got := runWith(t, bedrockEnv(nil), fc, false)
			tt.want.check(t, got["profiles"])
			if got["model.primary"].Status != tt.primary {
				t.Errorf("model.primary: %s %q, want %s", got["model.primary"].Status, got["model.primary"].Summary, tt.primary)
			}
		})
	}
}

func TestCachingCheck(t *testing.T) {
	t.Parallel()
	usage := func(write, read int64) *provider.Response {
		r := &provider.Response{}
		r.Message.Usage.InputTokens = 12
		r.Message.Usage.OutputTokens = 1
		r.Message.Usage.CacheCreationInputTokens = write
		r.Message.Usage.CacheReadInputTokens = read
		return r
	}
	tests := []struct {
		name   string
		answer func(provider.Request, int) (*provider.Response, error)
		deep   bool
		want   want
	}{
		{"not asked for", nil, false, want{StatusSkip, "--deep", ""}},
		{"works", func(req provider.Request, n int) (*provider.Response, error) {
			if len(req.Params.System) == 0 {
				return &provider.Response{}, nil // the one-token probes
			}
			if n == 3 {
				return usage(2000, 0), nil
			}
			return usage(0, 2000), nil
		}, true, want{StatusOK, "the second request read 2000 tokens from the cache the first wrote; cost $0.0082", ""}},
		{"nothing read back", func(req provider.Request, _ int) (*provider.Response, error) {
			if len(req.Params.System) == 0 {
				return &provider.Response{}, nil
			}
			return usage(2000, 0), nil
		}, true, want{StatusFail, "read nothing from the cache", "DISABLE_PROMPT_CACHING=1"}},
		{"primary down", func(provider.Request, int) (*provider.Response, error) {
			return nil, &provider.APIError{Kind: provider.KindUnavailable, Fix: "try again"}
		}, true, want{StatusSkip, "the primary model did not answer", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{profiles: emulatorProfiles(), answer: tt.answer}
			got := runWith(t, bedrockEnv(nil), fc, tt.deep)
			tt.want.check(t, got["caching"])
		})
	}
}

func TestCacheProbeIsAboveTheMinimum(t *testing.T) {
	t.Parallel()
	for _, m := range model.Catalog() {
		p := cacheProbe(m.MinCacheTokens, time.Now(), anthropic.NewCacheControlEphemeralParam())
		// The emulator's estimate, ⌈bytes/4⌉, and about what Bedrock
		// counts for English text.
		if n := len(p.System[0].Text) / 4; n < m.MinCacheTokens*5/4 {
			t.Errorf("%s: probe of ~%d tokens, want ≥ 1.25 × %d", m.Name, n, m.MinCacheTokens)
		}
	}
}

// TestAgainstEmulator runs the network checks with the real client
// against the emulator, wrapped to refuse one model the way IAM does,
// which the emulator itself cannot: the provider's classification and
// fix reach the check.
func TestAgainstEmulator(t *testing.T) {
	t.Parallel()
	iamDenied := func(w http.ResponseWriter, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}
	url, _ := emulatortest.Behind(t, emulator.Options{}, func(emu http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case strings.Contains(r.URL.Path, "haiku") && strings.HasPrefix(r.URL.Path, "/model/"):
				iamDenied(w, "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0")
			case strings.Contains(r.URL.Path, "opus") && strings.HasPrefix(r.URL.Path, "/model/"):
				iamDenied(w, "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.")
			default:
				emu.ServeHTTP(w, r)
			}
		})
	})

	env := bedrockEnv(map[string]string{
		"ANTHROPIC_BEDROCK_BASE_URL":   url,
		"ANTHROPIC_DEFAULT_OPUS_MODEL": "us.anthropic.claude-opus-4-6-v1",
	})
	cfg, cerr := load(t, env, nil)
	auth, err := awsauth.New(t.Context(), awsauth.Options{Env: cfg.EnvMap(), Region: cfg.Region.Value})
	if err != nil {
		t.Fatal(err)
	}
	clock := &ServerClock{}
	pc := harness.ProviderConfig(cfg, auth)
	pc.MaxRetries = 0
	pc.HTTPClient = &http.Client{Transport: clock}
	client, err := provider.New(pc)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Config: cfg, ConfigErr: cerr, Auth: auth, Client: client, Clock: clock,
		Roles: ResolveRoles(t.Context(), client, cfg), Deep: true}
	got := map[string]Check{}
	for _, c := range Run(t.Context(), in) {
		got[c.ID] = c
	}
	for id, w := range map[string]want{
		"profiles":         {StatusOK, "inference profiles in us-east-1", ""},
		"model.primary":    {StatusOK, "global.anthropic.claude-sonnet-4-6 (Claude Sonnet 4.6) answered in", ""},
		"model.small-fast": {StatusFail, "access denied", "bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the inference profile and on the foundation model in every destination region; `basalt iam-policy` prints that policy"},
		"model.opus":       {StatusFail, "marketplace subscription missing", "aws:CalledViaLast = bedrock.amazonaws.com"},
		"clock":            {StatusOK, "within 1s", ""},
		"caching":          {StatusOK, "the second request read", ""},
	} {
		t.Run(id, func(t *testing.T) { w.check(t, got[id]) })
	}
	if !strings.Contains(got["model.small-fast"].Detail, "sessions fall back to the primary model") {
		t.Errorf("model.small-fast detail %q does not mention the fallback", got["model.small-fast"].Detail)
	}
}

func TestServerClock(t *testing.T) {
	t.Parallel()
	serverTime := time.Date(2026, 3, 1, 12, 10, 0, 0, time.UTC)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", serverTime.Format(http.TimeFormat))
		w.WriteHeader(http.StatusForbidden) // an error still tells the time
	}))
	t.Cleanup(ts.Close)
	c := &ServerClock{Now: func() time.Time { return serverTime.Add(-3*time.Minute + 400*time.Millisecond) }}
	if _, ok := c.Skew(); ok {
		t.Fatal("skew known before any response")
	}
	resp, err := (&http.Client{Transport: c}).Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	skew, ok := c.Skew()
	if !ok || skew != 3*time.Minute {
		t.Errorf("skew = %v, %v; want 3m, true", skew, ok)
	}
}

func TestResolveRoles(t *testing.T) {
	t.Parallel()
	cfg, err := load(t, bedrockEnv(map[string]string{
		"ANTHROPIC_MODEL":               "opus",
		"ANTHROPIC_DEFAULT_OPUS_MODEL":  "us.anthropic.claude-opus-4-6-v1",
		"ANTHROPIC_DEFAULT_HAIKU_MODEL": "hiaku",
	}), nil)
	// The configuration layer already refuses the misspelt alias (one
	// verdict for config show, doctor and a session); the roles still
	// say which one it is.
	if !errors.Is(err, model.ErrInvalidModel) {
		t.Fatalf("load: %v, want the misspelt alias refused", err)
	}
	type row struct {
		Name, ID, Source string
		Configured, Err  bool
	}
	var got []row
	for _, r := range ResolveRoles(t.Context(), nil, cfg) {
		got = append(got, row{r.Name, r.Resolved.ID, r.Source, r.Configured, r.Err != nil})
	}
	want := []row{
		{RolePrimary, "us.anthropic.claude-opus-4-6-v1", "env ANTHROPIC_MODEL → ANTHROPIC_DEFAULT_OPUS_MODEL", true, false},
		// The small/fast default goes through the haiku alias, which is
		// misspelt: the error is the small/fast role's too.
		{RoleSmallFast, "", "default", true, true},
		{RoleOpus, "us.anthropic.claude-opus-4-6-v1", "env ANTHROPIC_DEFAULT_OPUS_MODEL", true, false},
		{RoleSonnet, "us.anthropic.claude-sonnet-4-6", "catalog", false, false},
		{RoleHaiku, "", "env ANTHROPIC_DEFAULT_HAIKU_MODEL", true, true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d roles, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("role %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := len(InUse(ResolveRoles(t.Context(), nil, cfg))); n != 4 {
		t.Errorf("InUse: %d roles, want 4 (not the unset sonnet alias)", n)
	}
	none, _ := load(t, map[string]string{}, nil)
	if r := ResolveRoles(t.Context(), nil, none); r != nil {
		t.Errorf("no provider: got %d roles, want none", len(r))
	}
}
