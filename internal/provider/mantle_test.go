package provider_test

import (
	"encoding/json"
	"io"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/lazyre"
	"github.com/basalt-dev/basalt/internal/provider"
)

// ccRequest is a request Claude Code sent, distilled
// (testdata/claude-code/*.json, recorded from Claude Code 2.1.197 against
// `basalt emulator` through a recording proxy).
type ccRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Auth   struct {
		Scheme        string   `json:"scheme"`
		Region        string   `json:"region"`
		Service       string   `json:"service"`
		SignedHeaders []string `json:"signed_headers"`
	} `json:"auth"`
	Headers  map[string]string `json:"headers"`
	BodyKeys []string          `json:"body_keys"`
	Model    string            `json:"model"`
	Stream   bool              `json:"stream"`
}

func loadGolden(t *testing.T, name string) ccRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "claude-code", name))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Request ccRequest `json:"request"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return g.Request
}

var authParts = lazyre.New(`Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+)`)

// distill reads what the golden records from a request basalt sent.
func distill(t *testing.T, r *http.Request, body []byte) ccRequest {
	t.Helper()
	var got ccRequest
	got.Method, got.Path = r.Method, r.URL.RequestURI()
	switch a := r.Header.Get("Authorization"); {
	case strings.HasPrefix(a, "AWS4-HMAC-SHA256"):
		m := authParts().FindStringSubmatch(a)
		if m == nil {
			t.Fatalf("malformed SigV4 header %q", a)
		}
		got.Auth.Scheme, got.Auth.Region, got.Auth.Service = "sigv4", m[1], m[2]
		got.Auth.SignedHeaders = strings.Split(m[3], ";")
	case strings.HasPrefix(a, "Bearer "):
		got.Auth.Scheme = "bearer"
	default:
		got.Auth.Scheme = "none"
	}
	got.Headers = map[string]string{}
	for _, k := range []string{"Anthropic-Version", "Anthropic-Beta", "Content-Type", "X-Amzn-Bedrock-Service-Tier", "X-Api-Key"} {
		if v := r.Header.Get(k); v != "" {
			got.Headers[k] = v
		}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatalf("body: %v", err)
	}
	for k := range fields {
		got.BodyKeys = append(got.BodyKeys, k)
	}
	sort.Strings(got.BodyKeys)
	json.Unmarshal(fields["model"], &got.Model)
	json.Unmarshal(fields["stream"], &got.Stream)
	return got
}

// recorder is a front that keeps the last model request.
type recorder struct {
	mu   sync.Mutex
	req  *http.Request
	body []byte
}

func (rec *recorder) front(emu http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		rec.mu.Lock()
		rec.req, rec.body = r.Clone(r.Context()), body
		rec.mu.Unlock()
		emu.ServeHTTP(w, r)
	})
}

// The headers of Claude Code's that are its own (its SDK's telemetry,
// session ID, browser flag), which basalt neither sends nor signs.
func claudeCodeOnly(h string) bool {
	return strings.HasPrefix(h, "x-stainless-") || slices.Contains([]string{"x-app", "x-claude-code-session-id", "anthropic-dangerous-direct-browser-access", "accept"}, h)
}

// TestRequestShapeMatchesClaudeCode sends what Claude Code sent, with
// the same configuration, and compares the parts that make a request
// acceptable to Bedrock: path, signing name and scope, the headers that
// carry the API version, the betas and the tier, and the body's shape.
func TestRequestShapeMatchesClaudeCode(t *testing.T) {
	cases := []struct {
		golden string
		env    map[string]string
		model  string
		mutate func(*provider.Config, string)
		skip   bool
	}{
		{golden: "mantle-sigv4.json", model: "anthropic.claude-haiku-4-5",
			env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"},
			mutate: func(c *provider.Config, url string) {
				c.BaseURL, c.Mantle = "", &provider.Mantle{BaseURL: url + "/anthropic"}
			}},
		{golden: "mantle-apikey.json", model: "anthropic.claude-haiku-4-5",
			env: map[string]string{"AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-XYZ"},
			mutate: func(c *provider.Config, url string) {
				c.BaseURL, c.Mantle = "", &provider.Mantle{BaseURL: url + "/anthropic"}
			}},
		{golden: "mantle-skipauth.json", model: "anthropic.claude-haiku-4-5", skip: true,
			env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"},
			mutate: func(c *provider.Config, url string) {
				c.BaseURL, c.Mantle = "", &provider.Mantle{BaseURL: url + "/anthropic", SkipAuth: true}
			}},
		{golden: "bedrock-service-tier.json", model: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
			env:    map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"},
			mutate: func(c *provider.Config, _ string) { c.ServiceTier = "priority" }},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			want := loadGolden(t, tc.golden)
			rec := &recorder{}
			url, _ := emulatortest.Behind(t, emulator.Options{AllowUnsigned: tc.skip}, rec.front)
			env := emulatortest.Env(t)
			for k, v := range tc.env {
				env[k] = v
			}
			auth, err := awsauth.New(t.Context(), awsauth.Options{Env: env, Region: "us-east-1"})
			if err != nil {
				t.Fatal(err)
			}
			cfg := provider.Config{Provider: provider.Bedrock, Region: "us-east-1", BaseURL: url, Auth: auth,
				MaxRetries: 0, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond}
			tc.mutate(&cfg, url)
			c, err := provider.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var betas []string
			if want.Headers["Anthropic-Beta"] != "" {
				betas = []string{"interleaved-thinking-2025-05-14"}
			}
			if _, err := c.Stream(t.Context(), provider.Request{Model: tc.model, Params: userText("say hi"), Betas: betas}, func(provider.Event) {}); err != nil {
				t.Fatal(err)
			}
			got := distill(t, rec.req, rec.body)

			// What basalt must match exactly. The Go SDK escapes the
			// ":" of a model ID in the path, the JS one does not; both
			// mean the same path to Bedrock.
			if p, err := neturl.PathUnescape(got.Path); err == nil {
				got.Path = p
			}
			invoke := strings.HasPrefix(want.Path, "/model/")
			if got.Method != want.Method || got.Path != want.Path {
				t.Errorf("request line: got %s %s, want %s %s", got.Method, got.Path, want.Method, want.Path)
			}
			if got.Auth.Scheme != want.Auth.Scheme || got.Auth.Service != want.Auth.Service || got.Auth.Region != want.Auth.Region {
				t.Errorf("auth: got %s/%s/%s, want %s/%s/%s", got.Auth.Scheme, got.Auth.Service, got.Auth.Region, want.Auth.Scheme, want.Auth.Service, want.Auth.Region)
			}
			for _, h := range want.Auth.SignedHeaders {
				if invoke && h == "anthropic-beta" {
					continue // on InvokeModel basalt sends betas in the body (anthropic_beta)
				}
				if !claudeCodeOnly(h) && !slices.Contains(got.Auth.SignedHeaders, h) {
					t.Errorf("header %s is signed by Claude Code, not by basalt (signed: %v)", h, got.Auth.SignedHeaders)
				}
			}
			for _, k := range []string{"Anthropic-Version", "Content-Type", "X-Amzn-Bedrock-Service-Tier", "X-Api-Key"} {
				if got.Headers[k] != want.Headers[k] {
					t.Errorf("header %s: got %q, want %q", k, got.Headers[k], want.Headers[k])
				}
			}
			if !invoke && (got.Headers["Anthropic-Beta"] == "") != (want.Headers["Anthropic-Beta"] == "") {
				t.Errorf("anthropic-beta header: got %q, want one like %q", got.Headers["Anthropic-Beta"], want.Headers["Anthropic-Beta"])
			}
			if got.Model != want.Model || got.Stream != want.Stream {
				t.Errorf("body model/stream: got %q/%v, want %q/%v", got.Model, got.Stream, want.Model, want.Stream)
			}
			// The body's required fields; Claude Code's optional ones
			// (tools, thinking, metadata…) depend on the session.
			for _, k := range []string{"max_tokens", "messages"} {
				if !slices.Contains(got.BodyKeys, k) {
					t.Errorf("body lacks %s: %v", k, got.BodyKeys)
				}
			}
			if invoke && slices.Contains(got.BodyKeys, "model") {
				t.Errorf("InvokeModel body carries model: %v", got.BodyKeys)
			}
			if diff := cmp.Diff(want.Auth.Scheme == "sigv4", len(got.Auth.SignedHeaders) > 0); diff != "" {
				t.Errorf("signed headers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
