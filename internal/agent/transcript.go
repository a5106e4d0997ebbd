package agent

import (
	"encoding/json"
	"fmt"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
)

func (s *Session) openTranscript() error {
	if s.o.Resume != nil {
		open := func() (*session.Writer, error) { return s.o.Store.Continue(s.o.Resume) }
		if s.o.Fork {
			open = func() (*session.Writer, error) { return s.o.Store.ForkAs(s.o.Resume, s.o.SessionID) }
		}
		w, err := open()
		if err != nil {
			return err
		}
		s.w, s.id = w, w.ID()
		return nil
	}
	system, err := json.Marshal(s.system)
	if err != nil {
		return fmt.Errorf("transcript: system prompt: %w", err)
	}
	tools, err := json.Marshal(s.toolDefs)
	if err != nil {
		return fmt.Errorf("transcript: tools: %w", err)
	}
	w, err := s.o.Store.Create(session.Meta{
		ID:          s.o.SessionID,
		ProjectRoot: s.o.ProjectRoot, WorkDir: s.o.WorkDir,
		Provider: s.o.Provider, Region: s.o.Region, Model: s.model.ID, Version: s.o.Version,
		Created: s.o.Now(), System: system, Tools: tools,
	})
	if err != nil {
		return err
	}
	s.w, s.id = w, w.ID()
	return nil
}

// restore rebuilds the conversation of a stored session exactly as it was
// sent, system prompt included, so the next request reads the cache the
// last one wrote.
func (s *Session) restore(t *session.Transcript, notice string) error {
	if len(t.Meta.System) > 0 {
		if err := json.Unmarshal(t.Meta.System, &s.system); err != nil {
			return fmt.Errorf("resume %s: system prompt: %w", t.Meta.ID, err)
		}
		for i := range s.system {
			s.system[i].CacheControl = anthropic.CacheControlEphemeralParam{}
		}
	}
	for _, raw := range t.Messages() {
		var m anthropic.MessageParam
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("resume %s: message: %w", t.Meta.ID, err)
		}
		// Consecutive user entries (a prompt after an interruption) were
		// one message when sent.
		if n := len(s.messages); n > 0 && m.Role == anthropic.MessageParamRoleUser && s.messages[n-1].Role == m.Role {
			s.messages[n-1].Content = append(s.messages[n-1].Content, m.Content...)
			continue
		}
		s.messages = append(s.messages, m)
	}
	s.prevBreak = len(s.messages) - 1
	if !s.o.Fork { // a fork's history was paid for in the original
		s.priorUsage, s.priorCost = t.Usage(), t.Cost()
	}
	if t.Unfinished() {
		s.resumeNotice = "the last turn of this session did not complete; the model sees what was recorded"
		if notice != "" {
			s.resumeNotice += "; " + notice
		}
	}
	return nil
}

func (s *Session) append(e session.Entry) {
	if s.w == nil {
		return
	}
	s.writeEntry(e)
}

func (s *Session) writeEntry(e session.Entry) {
	if e.Time.IsZero() {
		e.Time = s.o.Now()
	}
	if err := s.w.Append(e); err != nil && s.writeErr == nil {
		s.writeErr = err
	}
}

// sync makes every completed step durable. A transcript that cannot be
// written is reported once, as an error of the run: the user must know
// their session is not being saved.
func (s *Session) sync() error {
	if s.w == nil {
		return nil
	}
	if s.writeErr != nil {
		err := s.writeErr
		s.writeErr = nil
		return fmt.Errorf("transcript %s: %w", s.id, err)
	}
	return s.w.Sync()
}

func (s *Session) note(kind, text string) {
	s.append(session.Entry{Type: kind, Text: text})
	_ = s.sync()
}

func entryUser(raw json.RawMessage) session.Entry {
	return session.Entry{Type: "user", Message: raw}
}

func entryAssistant(raw json.RawMessage, resp *provider.Response, r cost.TurnReport) session.Entry {
	u := r.Turn
	e := session.Entry{Type: "assistant", Message: raw, Model: resp.Model, Usage: &u, Guardrail: resp.Guardrail, RequestID: resp.RequestID}
	if r.TurnCost.Known {
		usd := r.TurnCost.USD
		e.CostUSD = &usd
	}
	return e
}
