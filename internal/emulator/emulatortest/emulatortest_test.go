package emulatortest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

// TestNewStopsWithTheTest: the server answers during the test and is gone
// once the test's cleanups have run.
func TestNewStopsWithTheTest(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		emu := emulatortest.New(t, emulator.Options{AllowUnsigned: true})
		url = emu.URL
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("URL %q, want loopback", url)
		}
		resp, err := http.Get(url + "/inference-profiles")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	if resp, err := http.Get(url + "/inference-profiles"); err == nil {
		resp.Body.Close()
		t.Error("still serving after the test ended")
	}
}

// TestBehind: requests reach the emulator through the front, and the
// front can answer in its place.
func TestBehind(t *testing.T) {
	t.Parallel()
	url, srv := emulatortest.Behind(t, emulator.Options{AllowUnsigned: true}, func(emu http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Refuse") != "" {
				http.Error(w, "refused by the front", http.StatusForbidden)
				return
			}
			emu.ServeHTTP(w, r)
		})
	})
	for _, tt := range []struct {
		refuse     bool
		wantStatus int
		wantBody   string
	}{{false, http.StatusOK, `"inferenceProfileSummaries"`}, {true, http.StatusForbidden, "refused by the front"}} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/inference-profiles", nil)
		if tt.refuse {
			req.Header.Set("X-Refuse", "1")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
			t.Errorf("refuse=%v: status %d, body %.100s; want %d with %s", tt.refuse, resp.StatusCode, body, tt.wantStatus, tt.wantBody)
		}
	}
	// The ledger is written after the answer; the one request that got
	// through is there once the handler has returned.
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.Records()) != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(srv.Records()); n != 1 {
		t.Errorf("%d records, want the one request the front passed on", n)
	}
}

func TestEnvIsEmptyOfCredentials(t *testing.T) {
	t.Parallel()
	env := emulatortest.Env(t)
	for k := range env {
		if strings.Contains(k, "KEY") || strings.Contains(k, "TOKEN") || k == "AWS_PROFILE" {
			t.Errorf("Env sets %s", k)
		}
	}
	if env["AWS_EC2_METADATA_DISABLED"] != "true" || !strings.HasPrefix(env["AWS_CONFIG_FILE"], env["HOME"]) {
		t.Errorf("Env does not sandbox AWS: %v", env)
	}
}
