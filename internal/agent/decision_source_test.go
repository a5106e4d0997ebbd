package agent

import "testing"

// TestAnswerSource checks the tool_decision source each kind of answer
// gets: telemetry tells a one-off approval from a saved rule, and a
// refusal from a dismissed question.
func TestAnswerSource(t *testing.T) {
	for _, c := range []struct {
		ans    Answer
		byHook bool
		want   string
	}{
		{Answer{Allow: true}, false, SourceUserTemporary},
		{Answer{Allow: true, Remember: true}, false, SourceUserPermanent},
		{Answer{Allow: true, Saved: true}, false, SourceUserPermanent},
		{Answer{}, false, SourceUserReject},
		{Answer{Message: "no"}, false, SourceUserReject},
		{Answer{Abort: true}, false, SourceUserAbort},
		{Answer{Allow: true}, true, SourceHook},
		{Answer{}, true, SourceHook},
	} {
		if got := answerSource(c.ans, c.byHook); got != c.want {
			t.Errorf("answerSource(%+v, hook=%v) = %q, want %q", c.ans, c.byHook, got, c.want)
		}
	}
}
