package agent

import (
	"context"
	"fmt"

	"github.com/basalt-dev/basalt/internal/permission"
)

// plan is what may happen to one tool call.
type plan int

const (
	// planBatch: allowed and read-only, so it may run beside the other
	// read-only calls around it.
	planBatch plan = iota
	// planAlone: allowed, but it may change things, so it runs by itself
	// after every call before it.
	planAlone
	// planUnknown: the model named a tool that does not exist.
	planUnknown
	// planDenied: a rule or the mode refuses it.
	planDenied
	// planAsk: the user must answer first.
	planAsk
)

// verdict is decide's answer for one call.
type verdict struct {
	plan     plan
	decision permission.Decision // for planDenied and planAsk: shown to the user
	result   callResult          // for planUnknown and planDenied: the call's result
	source   string              // SourceHook when a hook lifted the checker's verdict
}

// decide says what may happen to call, from the tool table and the
// permission checker alone. It asks nobody and runs nothing, so the order
// in which things happen stays runTools' business.
func (s *Session) decide(call *ToolCall) verdict {
	t, ok := s.tools[call.Name]
	if !ok {
		return verdict{plan: planUnknown, result: callResult{
			content: fmt.Sprintf("There is no tool named %q. The tools are: %s.", call.Name, s.toolNames()), isError: true}}
	}
	d := s.o.Permissions.Decide(permission.Request{Tool: call.Name, Input: call.Input, WorkDir: s.o.ToolSession.WorkDir()})
	switch d.Behavior {
	case permission.Allow:
		if t.ReadOnly() {
			return verdict{plan: planBatch, decision: d}
		}
		return verdict{plan: planAlone, decision: d}
	case permission.Deny:
		return verdict{plan: planDenied, decision: d, result: callResult{content: "Permission denied: " + d.Reason, isError: true}}
	}
	// Ask, and (fail closed) any behaviour this loop does not know.
	return verdict{plan: planAsk, decision: d}
}

// confirm puts an asked call to the user. It returns ok when the call may
// run, else the refusal to send the model; err only when ctx ended while
// waiting. A remembered answer adds the decision's suggested rules for
// the rest of the session.
func (s *Session) confirm(ctx context.Context, call *ToolCall, d permission.Decision) (refusal callResult, ok bool, source string, err error) {
	ans, answered := s.permissionRequest(ctx, call)
	if !answered {
		ans, err = s.ask(ctx, call, d)
	}
	if err != nil {
		return callResult{}, false, SourceUserAbort, err
	}
	source = answerSource(ans, answered)
	if !ans.Allow {
		msg := "The user did not allow this call."
		if ans.Message != "" {
			msg += " They said: " + ans.Message
		}
		return callResult{content: msg, isError: true}, false, source, nil
	}
	if ans.Remember {
		for _, r := range d.Suggestions {
			_ = s.o.Permissions.AddRule(permission.Allow, r)
		}
	}
	return callResult{}, true, source, nil
}

// answerSource names who answered a permission question, in Claude
// Code's tool_decision terms.
func answerSource(ans Answer, byHook bool) string {
	switch {
	case byHook:
		return SourceHook
	case ans.Allow && (ans.Remember || ans.Saved):
		return SourceUserPermanent
	case ans.Allow:
		return SourceUserTemporary
	case ans.Abort:
		return SourceUserAbort
	}
	return SourceUserReject
}

// ask puts a permission question to the user, or refuses when nobody can
// answer.
func (s *Session) ask(ctx context.Context, call *ToolCall, d permission.Decision) (Answer, error) {
	if s.o.Ask == nil {
		return Answer{Message: d.Reason}, nil
	}
	return s.o.Ask(ctx, call, d)
}

func (s *Session) toolNames() string {
	names := ""
	for i, t := range s.o.Tools {
		if i > 0 {
			names += ", "
		}
		names += t.Name()
	}
	return names
}
