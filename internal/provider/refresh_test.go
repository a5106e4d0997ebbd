package provider_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/provider"
)

// TestAuthRefreshRewritesCredentialsFile is the SSO story: the keys in the
// credentials file expire, awsAuthRefresh writes new ones, and every
// request still succeeds.
func TestAuthRefreshRewritesCredentialsFile(t *testing.T) {
	t.Parallel()
	b := startEmulator(t, emulator.Options{Credentials: keys(30), Faults: emulator.Faults{ExpireAfter: 2}})
	creds, counter := b.env["AWS_SHARED_CREDENTIALS_FILE"], filepath.Join(b.env["HOME"], "n")
	if err := os.MkdirAll(filepath.Dir(creds), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIAEXPORT1\naws_secret_access_key = s\naws_session_token = t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refresh := fmt.Sprintf(`n=$(cat %[1]s 2>/dev/null || echo 1); n=$((n+1)); echo $n > %[1]s
echo "Refreshing credentials... key $n"
printf '[default]\naws_access_key_id = AKIAEXPORT%%d\naws_secret_access_key = s\naws_session_token = t\n' $n > %[2]s`, counter, creds)
	var mu sync.Mutex
	var output []string
	c := b.client(t, clientOpts{auth: awsauth.Options{RefreshCommand: refresh, RefreshOutput: func(l string) {
		mu.Lock()
		output = append(output, l)
		mu.Unlock()
	}}})
	for i := range 20 {
		if _, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	used := map[string]bool{}
	for _, r := range b.srv.Records() {
		if r.Status == 200 {
			used[r.AccessKeyID] = true
		}
	}
	if len(used) != 10 || len(output) != 9 || output[0] != "Refreshing credentials... key 2" {
		t.Errorf("%d keys used, refresh printed %q", len(used), output)
	}
}

// TestConcurrentRequestsShareOneRefresh: requests failing together on the
// same credentials run awsCredentialExport once more, not once each.
func TestConcurrentRequestsShareOneRefresh(t *testing.T) {
	t.Parallel()
	// Key 1 is unknown to the server; key 2 works.
	accepted := keys(2)
	accepted.Keys = accepted.Keys[1:]
	b := startEmulator(t, emulator.Options{Credentials: accepted})
	counter := filepath.Join(b.env["HOME"], "n")
	script := fmt.Sprintf(`n=$(cat %[1]s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %[1]s; printf '{"Credentials":{"AccessKeyId":"AKIAEXPORT%%d","SecretAccessKey":"s","SessionToken":"t"}}' $n`, counter)
	c := b.client(t, clientOpts{auth: awsauth.Options{ExportCommand: script}})
	// Resolve key 1 first, so that every request below starts with it.
	if _, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("warm up")}, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	b2, _ := os.ReadFile(counter)
	if n := strings.TrimSpace(string(b2)); n != "2" {
		t.Errorf("awsCredentialExport ran %s times, want 2", n)
	}
}

func TestGuardrailIntervention(t *testing.T) {
	t.Parallel()
	guard, err := emulator.ParseGuardrail("secrets:1:(?i)password")
	if err != nil {
		t.Fatal(err)
	}
	b := startEmulator(t, emulator.Options{Guardrails: []emulator.Guardrail{guard}})
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	c := b.client(t, clientOpts{mutate: func(cfg *provider.Config) {
		cfg.Headers = []provider.Header{{Name: "X-Amzn-Bedrock-GuardrailIdentifier", Value: "secrets"}, {Name: "X-Amzn-Bedrock-GuardrailVersion", Value: "1"}}
	}})
	resp, err := c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("what is the admin password?")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Guardrail {
		t.Errorf("guardrail not detected: %+v", resp.Message.Content)
	}
	resp, err = c.Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("what is the weather?")}, nil)
	if err != nil || resp.Guardrail {
		t.Errorf("harmless prompt: guardrail %v, err %v", resp != nil && resp.Guardrail, err)
	}
}

// TestBaseURLPathPrefix: a gateway at https://host/bedrock forwards to
// Bedrock; the prefix must survive the adapter's rewrite.
func TestBaseURLPathPrefix(t *testing.T) {
	t.Parallel()
	var paths []string
	var mu sync.Mutex
	gw, srv := emulatortest.Behind(t, emulator.Options{}, func(emu http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			paths = append(paths, r.URL.EscapedPath())
			mu.Unlock()
			http.StripPrefix("/bedrock", emu).ServeHTTP(w, r)
		})
	})
	b := &bedrock{srv: srv, url: gw + "/bedrock/", env: emulatortest.Env(t)}
	b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"] = "AKIAX", "s"
	if _, err := b.client(t, clientOpts{}).Stream(t.Context(), provider.Request{Model: sonnet, Params: userText("hi")}, nil); err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0] != "/bedrock/model/global.anthropic.claude-sonnet-4-6/invoke-with-response-stream" {
		t.Errorf("gateway saw %q", paths)
	}
}
