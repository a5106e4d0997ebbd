package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestMantleSigningName: Mantle's signatures are scoped to
// bedrock-mantle; one made for the runtime ("bedrock") is refused in the
// Anthropic error shape.
func TestMantleSigningName(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{Credentials: sigCreds})
	body := `{"model":"anthropic.claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`
	for _, tc := range []struct {
		service string
		status  int
	}{{"bedrock", http.StatusUnauthorized}, {"bedrock-mantle", http.StatusOK}} {
		signed := httptest.NewRequest("POST", "http://bedrock-mantle.us-east-1.api.aws/anthropic/v1/messages", strings.NewReader(body))
		signed.Header.Set("Content-Type", "application/json")
		signed.Header.Set("Anthropic-Version", "2023-06-01")
		sdkSign(t, signed, sigHash([]byte(body)), sigKey, tc.service, "us-east-1", time.Now())
		w := httptest.NewRecorder()
		s.ServeHTTP(w, signed)
		if w.Code != tc.status {
			t.Errorf("signed for %s: %d %s, want %d", tc.service, w.Code, w.Body, tc.status)
		}
		if tc.status != http.StatusOK && !strings.Contains(w.Body.String(), `"type":"authentication_error"`) {
			t.Errorf("signed for %s: body %s, want an authentication_error", tc.service, w.Body)
		}
	}
}
