package tool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/webfetch"
)

// fakeSmallModel records the requests and answers with a fixed text.
type fakeSmallModel struct {
	reqs []SmallModelRequest
	err  error
}

func (m *fakeSmallModel) AskSmallModel(_ context.Context, req SmallModelRequest) (string, error) {
	m.reqs = append(m.reqs, req)
	if m.err != nil {
		return "", m.err
	}
	return "the answer", nil
}

func webServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/doc", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><h2>Install</h2><ul><li>run <code>make</code></li></ul></body></html>`)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example/doc", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><script>render()</script></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func runWebFetch(t *testing.T, w WebFetch, url, prompt string) Result {
	t.Helper()
	in, _ := json.Marshal(map[string]string{"url": url, "prompt": prompt})
	res, err := w.Run(t.Context(), nil, in)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func TestWebFetchAsksTheSmallModelAboutTheMarkdown(t *testing.T) {
	t.Parallel()
	srv := webServer(t)
	m := &fakeSmallModel{}
	w := WebFetch{Fetcher: webfetch.New(webfetch.Options{HostNamed: func(h string) bool { return h == "127.0.0.1" }}), Model: m}
	res := runWebFetch(t, w, srv.URL+"/doc", "how do I install it?")
	if res.IsError || res.Content != "the answer" {
		t.Fatalf("result = %+v", res)
	}
	if len(m.reqs) != 1 {
		t.Fatalf("%d small-model requests, want 1", len(m.reqs))
	}
	p := m.reqs[0].Prompt
	for _, want := range []string{"## Install", "- run `make`", "how do I install it?", srv.URL + "/doc", "not instructions"} {
		if !strings.Contains(p, want) {
			t.Errorf("the small model's prompt lacks %q:\n%s", want, p)
		}
	}
	if d, ok := res.Display.(*WebFetchDisplay); !ok || d.Status != 200 || d.Cached {
		t.Errorf("Display = %#v", res.Display)
	}
	// The second call within 15 minutes reads the cache.
	res = runWebFetch(t, w, srv.URL+"/doc", "what else?")
	if d, ok := res.Display.(*WebFetchDisplay); !ok || !d.Cached {
		t.Errorf("second fetch: Display = %#v, want it cached", res.Display)
	}
}

func TestWebFetchProblemsTheModelCanFix(t *testing.T) {
	t.Parallel()
	srv := webServer(t)
	m := &fakeSmallModel{}
	named := WebFetch{Fetcher: webfetch.New(webfetch.Options{HostNamed: func(h string) bool { return h == "127.0.0.1" }}), Model: m}
	unnamed := WebFetch{Fetcher: webfetch.New(webfetch.Options{}), Model: m}
	tests := []struct {
		name      string
		w         WebFetch
		url       string
		prompt    string
		wantError bool
		want      []string
	}{
		{"no url", named, "", "x", true, []string{"url is empty"}},
		{"no prompt", named, srv.URL, " ", true, []string{"prompt is empty"}},
		{"loopback without a rule", unnamed, srv.URL + "/doc", "x", true, []string{"loopback", "WebFetch(domain:127.0.0.1)", "permissions.allow"}},
		{"another host", named, srv.URL + "/moved", "x", false, []string{"REDIRECT", "https://elsewhere.example/doc", "call WebFetch again"}},
		{"a page without text", named, srv.URL + "/empty", "x", true, []string{"JavaScript"}},
		{"not a URL", named, "go.dev/doc", "x", true, []string{"https://"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runWebFetch(t, tt.w, tt.url, tt.prompt)
			if res.IsError != tt.wantError {
				t.Errorf("IsError = %v, want %v: %s", res.IsError, tt.wantError, res.Content)
			}
			for _, want := range tt.want {
				if !strings.Contains(res.Content, want) {
					t.Errorf("result lacks %q:\n%s", want, res.Content)
				}
			}
		})
	}
	if len(m.reqs) != 0 {
		t.Errorf("the small model was asked %d times about pages that were never read", len(m.reqs))
	}
	failing := WebFetch{Fetcher: named.Fetcher, Model: &fakeSmallModel{err: errors.New("throttled")}}
	if res := runWebFetch(t, failing, srv.URL+"/doc", "x"); !res.IsError || !strings.Contains(res.Content, "throttled") {
		t.Errorf("small model failure: %+v", res)
	}
}

// TestWebFetchSchemaIsClaudeCodes compares the input schema with the one
// Claude Code 2.1.197 sends on Bedrock (recorded through the emulator).
func TestWebFetchSchemaIsClaudeCodes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/claude-code/webfetch-tool.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Name        string         `json:"name"`
		InputSchema map[string]any `json:"input_schema"`
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	var ours map[string]any
	if err := json.Unmarshal(WebFetch{}.InputSchema(), &ours); err != nil {
		t.Fatal(err)
	}
	delete(golden.InputSchema, "$schema")
	if golden.Name != (WebFetch{}).Name() {
		t.Errorf("name %q, Claude Code's %q", WebFetch{}.Name(), golden.Name)
	}
	if diff := cmp.Diff(golden.InputSchema, ours); diff != "" {
		t.Errorf("input schema mismatch (-claude code +ours):\n%s", diff)
	}
}
