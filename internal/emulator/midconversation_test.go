package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// TestSystemMessageMidConversation: Claude Code 2.1.197 sends a "system"
// message inside messages to the models whose catalog entry has
// mid_conv_system (Sonnet 5, Opus 4.8, Fable 5); they answer it, and any
// other model refuses the role as before.
func TestSystemMessageMidConversation(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[` +
		`{"role":"user","content":"hi"},{"role":"system","content":"deferred tools are now available"}]}`)
	for _, tc := range []struct {
		profile string
		want    int
	}{
		{"us.anthropic.claude-sonnet-5", http.StatusOK},
		{"global.anthropic.claude-fable-5", http.StatusOK},
		{"us.anthropic.claude-opus-4-8", http.StatusOK},
		{"global.anthropic.claude-opus-4-6-v1", http.StatusBadRequest},
	} {
		w := send(t, s, "POST", "/model/"+tc.profile+"/invoke", body)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, body %s; want %d", tc.profile, w.Code, w.Body, tc.want)
		}
		if tc.want == http.StatusBadRequest && !strings.Contains(w.Body.String(), "messages.1.role: Input should be 'user' or 'assistant'") {
			t.Errorf("%s: body %s", tc.profile, w.Body)
		}
	}
}
