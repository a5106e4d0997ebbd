package agent

import (
	"encoding/json"
	"errors"
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
	tools, err := definitionsJSON(s.toolDefs)
	if err != nil {
		return fmt.Errorf("transcript: tools: %w", err)
	}
	w, err := s.o.Store.Create(session.Meta{
		ID:          s.o.SessionID,
		ProjectRoot: s.o.ProjectRoot, WorkDir: s.o.WorkDir,
		Provider: s.o.Provider, Region: s.o.Region, Model: s.model.ID, Version: s.o.Version,
		Created: s.o.Now(), System: system, Tools: tools,
		User: s.o.User, Labels: s.o.Labels,
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
	if err := s.loadMessages(t); err != nil {
		return err
	}
	for _, e := range t.Entries {
		s.turn = max(s.turn, e.Turn)
	}
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

// loadMessages sets the conversation to the one t records.
func (s *Session) loadMessages(t *session.Transcript) error {
	s.messages = nil
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
	return nil
}

func (s *Session) append(e session.Entry) {
	if s.w == nil {
		return
	}
	if e.Turn == 0 {
		e.Turn = s.turn
	}
	s.writeEntry(e)
}

// Turn is the number of the last prompt sent (0 before the first); the
// next Run sends prompt Turn()+1. Resumed sessions go on from the
// transcript's numbers.
func (s *Session) Turn() int { return s.turn }

// Rewind takes the conversation back to before prompt turn: that prompt
// and everything after it are no longer sent. The transcript is not
// rewritten: a rewind entry is appended, which [session.Transcript]
// honours on every later load, so a resumed session shows and sends the
// rewound conversation. Prompt numbers go on growing. It needs a
// transcript; not safe to call while Run is running.
func (s *Session) Rewind(turn int) error {
	if s.w == nil || s.o.Store == nil {
		return errors.New("rewind the conversation: this session keeps no transcript")
	}
	if turn < 1 || turn > s.turn {
		return fmt.Errorf("rewind the conversation: no prompt %d (prompts so far: %d)", turn, s.turn)
	}
	s.writeEntry(session.Entry{Type: session.TypeRewind, Turn: turn})
	if err := s.sync(); err != nil {
		return fmt.Errorf("rewind the conversation: %w", err)
	}
	t, err := s.o.Store.Load(s.id)
	if err != nil {
		return fmt.Errorf("rewind the conversation: %w", err)
	}
	if err := s.loadMessages(t); err != nil {
		return fmt.Errorf("rewind the conversation: %w", err)
	}
	// The context estimate was the longer conversation's; the next
	// answer measures it again.
	s.lastInput, s.lastCount = 0, 0
	return nil
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
