package agent

import (
	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/model"
)

// SetModel switches the primary model between runs (the TUI's /model).
// The conversation is kept; the cache breakpoints follow the new model's
// caching rules, and the next request writes a new cache, since caches
// are per model. Not safe to call while Run is running.
func (s *Session) SetModel(m model.Resolved) {
	s.model = m
	s.o.Models.Primary = m
	cc, ok, _ := s.o.Client.CacheControl(m.Model)
	s.cache, s.cc = ok, cc
	if len(s.system) > 0 {
		last := &s.system[len(s.system)-1]
		if s.cache {
			last.CacheControl = s.cc
		} else {
			last.CacheControl = anthropic.CacheControlEphemeralParam{}
		}
	}
	s.prevBreak, s.lastInput = -1, 0
}
