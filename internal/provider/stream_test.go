package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/provider"
)

// bedrock is an emulator on a loopback port and the environment of a
// sandboxed user pointed at it.
type bedrock struct {
	srv *emulator.Server
	url string
	env map[string]string
}

func startEmulator(t *testing.T, opts emulator.Options) *bedrock {
	t.Helper()
	emu := emulatortest.New(t, opts)
	return &bedrock{srv: emu.Server, url: emu.URL, env: emulatortest.Env(t)}
}

type clientOpts struct {
	auth   awsauth.Options
	mutate func(*provider.Config)
}

func (b *bedrock) client(t *testing.T, o clientOpts) *provider.Client {
	t.Helper()
	o.auth.Env = b.env
	if o.auth.Region == "" {
		o.auth.Region = "us-east-1"
	}
	auth, err := awsauth.New(t.Context(), o.auth)
	if err != nil {
		t.Fatal(err)
	}
	cfg := provider.Config{
		Provider: provider.Bedrock, Region: o.auth.Region, BaseURL: b.url, Auth: auth,
		MaxRetries: 10, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	}
	if o.mutate != nil {
		o.mutate(&cfg)
	}
	c, err := provider.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func userText(s string) anthropic.MessageNewParams {
	return anthropic.MessageNewParams{Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(s))}}
}

// collector is what a UI does with the events: it shows text as it
// streams and throws the partial message away on a reset.
type collector struct {
	text    strings.Builder
	resets  int
	retries []provider.RetryInfo
	notices []string
}

func (c *collector) on(ev provider.Event) {
	switch ev.Kind {
	case provider.EventMessage:
		if ev.Message.Type == "content_block_delta" && ev.Message.Delta.Type == "text_delta" {
			c.text.WriteString(ev.Message.Delta.Text)
		}
	case provider.EventReset:
		c.text.Reset()
		c.resets++
	case provider.EventRetry:
		c.retries = append(c.retries, ev.Retry)
	case provider.EventNotice:
		c.notices = append(c.notices, ev.Notice)
	}
}

const sonnet = "global.anthropic.claude-sonnet-4-6"

func keys(n int) *emulator.Credentials {
	c := &emulator.Credentials{}
	for i := 1; i <= n; i++ {
		c.Keys = append(c.Keys, emulator.Key{AccessKeyID: fmt.Sprintf("AKIAEXPORT%d", i), SecretAccessKey: "s", SessionToken: "t"})
	}
	return c
}

func TestStreamText(t *testing.T) {
	t.Parallel()
	guard, err := emulator.ParseGuardrail("gr1:DRAFT:never-matches-this")
	if err != nil {
		t.Fatal(err)
	}
	b := startEmulator(t, emulator.Options{Credentials: &emulator.Credentials{Keys: []emulator.Key{{AccessKeyID: "AKIAENV", SecretAccessKey: "secret"}}},
		Scenario: &emulator.Scenario{Turns: []emulator.Turn{{Text: "The answer is 42."}}}, Guardrails: []emulator.Guardrail{guard}})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAENV", "secret"
	c := b.client(t, clientOpts{mutate: func(cfg *provider.Config) {
		cfg.Thinking.Budget = 1024
		cfg.Thinking.DisableAdaptive = true // Sonnet 4.6 takes a budget only then
		cfg.Headers = []provider.Header{{Name: "X-Amzn-Bedrock-GuardrailIdentifier", Value: "gr1"}, {Name: "X-Amzn-Bedrock-GuardrailVersion", Value: "DRAFT"}}
	}})
	var col collector
	req := provider.Request{Model: sonnet, Params: userText("what is the answer?"), Betas: []string{"interleaved-thinking-2025-05-14"}}
	req.Params.Tools = []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{Name: "Read", InputSchema: anthropic.ToolInputSchemaParam{Properties: map[string]any{}}}}}
	resp, err := c.Stream(t.Context(), req, col.on)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Message.Content[len(resp.Message.Content)-1].Text; got != "The answer is 42." || col.text.String() != got {
		t.Errorf("text = %q, streamed %q", got, col.text.String())
	}
	if resp.RequestID == "" || resp.Attempts != 1 || resp.Metrics.InputTokenCount == 0 {
		t.Errorf("response = %+v", resp)
	}
	rec := b.srv.Records()
	if len(rec) != 1 {
		t.Fatalf("%d requests, want 1", len(rec))
	}
	got := rec[0]
	want := emulator.Record{Method: "POST", Operation: "InvokeModelWithResponseStream", Model: sonnet, Status: 200, Auth: "sigv4", AccessKeyID: "AKIAENV", Region: "us-east-1", Stream: true,
		MaxTokens: 4096, ThinkingBudget: 1024, ThinkingType: "enabled", AnthropicBeta: []string{"interleaved-thinking-2025-05-14"}, Images: []string{}, GuardrailID: "gr1", GuardrailVersion: "DRAFT"}
	opts := cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".Time", ".Path", ".InputTokens", ".OutputTokens", ".RequestBytes", ".CacheCreationInputTokens", ".CacheReadInputTokens", ".TTLs", ".Breakpoints", ".ErrorType":
			return true
		}
		return false
	}, cmp.Ignore())
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("ledger mismatch (-want +got):\n%s", diff)
	}
}

func TestExpiryRotatesExportedKeys(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{Credentials: keys(30), Faults: emulator.Faults{ExpireAfter: 2}})
	counter := filepath.Join(b.env["HOME"], "n")
	script := fmt.Sprintf(`n=$(cat %[1]s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %[1]s; printf '{"Credentials":{"AccessKeyId":"AKIAEXPORT%%d","SecretAccessKey":"s","SessionToken":"t"}}' $n`, counter)
	c := b.client(t, clientOpts{auth: awsauth.Options{ExportCommand: script}})
	for i := range 20 {
		if _, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	seen := map[string]int{}
	expired := 0
	for _, r := range b.srv.Records() {
		if r.Status == 200 {
			seen[r.AccessKeyID]++
		}
		if r.ErrorType == "ExpiredTokenException" {
			expired++
		}
	}
	if len(seen) != 10 || expired != 9 {
		t.Errorf("successes by key %v and %d expiries; want 10 keys used twice each and 9 expiries", seen, expired)
	}
}

func TestFaultsDoNotDuplicateOutput(t *testing.T) {
	t.Parallel()
	reply := strings.Repeat("All work and no play makes a dull model. ", 20)
	faults, err := emulator.ParseFaults("throttle=0.3,disconnect=0.1,stream-error=0.1,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	b := startEmulator(t, emulator.Options{Faults: faults, Scenario: &emulator.Scenario{SideReply: reply}})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{})
	var retries, resets int
	for i := range 20 {
		var col collector
		resp, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, col.on)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if col.text.String() != reply || resp.Message.Content[0].Text != reply {
			t.Fatalf("request %d: streamed %d bytes, message %d bytes, want %d", i, col.text.Len(), len(resp.Message.Content[0].Text), len(reply))
		}
		retries += len(col.retries)
		resets += col.resets
	}
	if retries == 0 || resets == 0 {
		t.Errorf("%d retries and %d resets: the faults did not fire", retries, resets)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		model    string
		opts     emulator.Options
		auth     awsauth.Options
		sentinel error
		msg      string
		fix      string
	}{
		{"on-demand foundation ID names the profile", "anthropic.claude-sonnet-4-6", emulator.Options{}, awsauth.Options{},
			provider.ErrOnDemand, "isn’t supported", "use us.anthropic.claude-sonnet-4-6"},
		{"on-demand foundation ARN names the profile", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6", emulator.Options{}, awsauth.Options{},
			provider.ErrOnDemand, "isn’t supported", "use us.anthropic.claude-sonnet-4-6 (set"},
		{"model not in region lists what is", "us.anthropic.claude-opus-9", emulator.Options{}, awsauth.Options{},
			provider.ErrInvalidModel, "The provided model identifier is invalid.", "the Claude inference profiles there are: "},
		{"throttled after every retry", sonnet, emulator.Options{Faults: emulator.Faults{Throttle: 1}}, awsauth.Options{},
			provider.ErrThrottled, "Too many", "keep CLAUDE_CODE_MAX_OUTPUT_TOKENS near 4096"},
		{"unknown key is refreshed once, then fails", sonnet, emulator.Options{Credentials: keys(1)}, awsauth.Options{},
			provider.ErrAuth, "The security token included in the request is invalid.", "refreshed and are still refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := startEmulator(t, tt.opts)
			b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAUNKNOWN", "s"
			c := b.client(t, clientOpts{auth: tt.auth, mutate: func(cfg *provider.Config) { cfg.MaxRetries = 3 }})
			start := time.Now()
			_, err := c.Stream(t.Context(), provider.Request{Model: tt.model, Params: userText("hi")}, nil)
			var apiErr *provider.APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v (%T), want %v", err, err, tt.sentinel)
			}
			if !strings.Contains(apiErr.Error(), tt.msg) || !strings.Contains(apiErr.Fix, tt.fix) {
				t.Errorf("error %q\nfix %q\nwant %q and %q", apiErr.Error(), apiErr.Fix, tt.msg, tt.fix)
			}
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
}

func TestSmallFastFallsBackOnce(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{Models: []string{sonnet}})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{})
	haiku := "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	var notices []string
	for range 3 {
		var col collector
		resp, err := c.Stream(t.Context(), provider.Request{Model: haiku, Fallback: sonnet, Params: userText("title?")}, col.on)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Model != sonnet {
			t.Errorf("answered by %s", resp.Model)
		}
		notices = append(notices, col.notices...)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], haiku+" is not usable") {
		t.Errorf("notices = %q, want one", notices)
	}
	calls := 0
	for _, r := range b.srv.Records() {
		if r.Model == haiku {
			calls++
		}
	}
	if calls != 1 {
		t.Errorf("the unusable model was called %d times, want 1", calls)
	}
}

func TestAuthModes(t *testing.T) {
	t.Parallel()
	t.Run("bearer", func(t *testing.T) {
		t.Parallel()
		b := startEmulator(t, emulator.Options{Credentials: &emulator.Credentials{BearerTokens: []string{"ABSK-good-token"}}})
		b.env["AWS_BEARER_TOKEN_BEDROCK"] = "ABSK-good-token"
		if _, err := b.client(t, clientOpts{}).Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil); err != nil {
			t.Fatal(err)
		}
		if r := b.srv.Records(); r[0].Auth != "bearer" {
			t.Errorf("auth = %s", r[0].Auth)
		}
		b.env["AWS_BEARER_TOKEN_BEDROCK"] = "ABSK-bad-token"
		_, err := b.client(t, clientOpts{}).Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil)
		var apiErr *provider.APIError
		if !errors.As(err, &apiErr) || !strings.Contains(apiErr.Fix, "AWS_BEARER_TOKEN_BEDROCK was refused") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("skip auth", func(t *testing.T) {
		t.Parallel()
		b := startEmulator(t, emulator.Options{AllowUnsigned: true})
		c := b.client(t, clientOpts{auth: awsauth.Options{SkipAuth: true}})
		if _, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil); err != nil {
			t.Fatal(err)
		}
		if r := b.srv.Records(); r[0].Auth != "none" {
			t.Errorf("auth = %s", r[0].Auth)
		}
		// The control plane too, unsigned.
		if list, err := c.ListProfiles(t.Context(), ""); err != nil || len(list) == 0 {
			t.Fatalf("list profiles unsigned: %d, %v", len(list), err)
		}
	})
}

func TestCancellation(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{Faults: emulator.Faults{Latency: 200 * time.Millisecond},
		Scenario: &emulator.Scenario{SideReply: strings.Repeat("slow ", 50)}})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{})
	ctx, cancel := context.WithCancel(t.Context())
	var once sync.Once
	start := time.Now()
	_, err := c.Stream(ctx, provider.Request{Model: sonnet, Params: userText("hi")}, func(ev provider.Event) {
		if ev.Message.Type == "content_block_delta" {
			once.Do(cancel)
		}
	})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %s", err, time.Since(start))
	}
}

func TestIdleWatchdog(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{Faults: emulator.Faults{Latency: 300 * time.Millisecond}})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{mutate: func(cfg *provider.Config) { cfg.IdleTimeout = 50 * time.Millisecond; cfg.MaxRetries = 1 }})
	var col collector
	_, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, col.on)
	var apiErr *provider.APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != provider.KindTimeout || len(col.retries) != 1 {
		t.Fatalf("err = %v, retries %v", err, col.retries)
	}
}

func TestProfiles(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{})
	list, err := c.ListProfiles(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	var app provider.Profile
	for _, p := range list {
		if p.Type == "APPLICATION" {
			app = p
		}
	}
	if len(list) < 5 || app.ARN == "" {
		t.Fatalf("%d profiles, application %+v", len(list), app)
	}
	got, err := c.GetProfile(t.Context(), app.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.FoundationModelID(), "anthropic.claude-") {
		t.Errorf("backing model = %q", got.FoundationModelID())
	}
	// An application-profile ARN is invoked as given.
	if _, err := c.Stream(t.Context(), provider.Request{Model: app.ARN, Params: userText("hi")}, nil); err != nil {
		t.Fatal(err)
	}
}

var _ = json.Marshal
