package agent

import (
	"errors"
	"fmt"

	"github.com/basalt-dev/basalt/internal/provider"
)

// switchToFallback moves the rest of this Run to the next fallback model
// (--fallback-model, a list tried in order) when err says the current
// model is overloaded or throttled after the client's retries. It
// reports whether the request should be made again. As in Claude Code,
// the switch lasts for the current turn only: the next Run tries the
// primary again (endFallback), since an overload is usually brief.
func (s *Session) switchToFallback(err error, on func(Event)) bool {
	chain := s.o.Models.Fallbacks
	if s.fallbacksUsed >= len(chain) || !overloaded(err) {
		return false
	}
	if s.primaryBeforeFallback == nil {
		primary := s.model
		s.primaryBeforeFallback = &primary
	}
	from := s.model
	next := chain[s.fallbacksUsed]
	s.fallbacksUsed++
	s.SetModel(next)
	// Text streamed before the failure is not the answer. Frontends
	// redact the notice as they show it.
	on(Event{Kind: EventReset})
	on(Event{Kind: EventNotice, Text: fmt.Sprintf("%s is unavailable (%v); this turn goes on with the fallback model %s", from.ID, err, next.ID)})
	return true
}

// endFallback puts the primary model back at the end of a Run.
func (s *Session) endFallback() {
	s.fallbacksUsed = 0
	if p := s.primaryBeforeFallback; p != nil {
		s.primaryBeforeFallback = nil
		s.SetModel(*p)
	}
}

// overloaded reports whether err is the service refusing for capacity:
// throttled (Bedrock's ThrottlingException, how an overloaded model
// shows there) or unavailable (503, 529 overloaded_error).
func overloaded(err error) bool {
	var api *provider.APIError
	if !errors.As(err, &api) {
		return false
	}
	return api.Kind == provider.KindThrottled || api.Kind == provider.KindUnavailable
}
