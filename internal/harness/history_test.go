package harness

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/session"
)

// TestHistoryJoinsContinuedAnswer: an answer cut at max_tokens and
// continued is shown on resume as the one answer it was live, and basalt's
// request to go on is not shown as a prompt the user typed.
func TestHistoryJoinsContinuedAnswer(t *testing.T) {
	t.Parallel()
	msg := func(role, text string) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"role": role, "content": []map[string]string{{"type": "text", "text": text}}})
		return b
	}
	tr := &session.Transcript{Entries: []session.Entry{
		{Type: session.TypeUser, Message: msg("user", "write a long story")},
		{Type: session.TypeAssistant, Message: msg("assistant", "Once upon a ti")},
		{Type: session.TypeUser, Continuation: true, Message: msg("user", "Your answer was cut off; continue exactly where it stopped.")},
		{Type: session.TypeAssistant, Message: msg("assistant", "me there was a repo.")},
		{Type: session.TypeUser, Message: msg("user", "thanks")},
		{Type: session.TypeAssistant, Message: msg("assistant", "You're welcome.")},
	}}
	var got []string
	for _, h := range historyOf(tr) {
		got = append(got, string(h.Kind)+" "+h.Text)
	}
	want := []string{
		"prompt write a long story",
		"answer Once upon a time there was a repo.",
		"prompt thanks",
		"answer You're welcome.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
}
