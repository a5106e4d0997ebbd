package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/hooks"
	"github.com/basalt-dev/basalt/internal/permission"
)

// maxStopContinuations bounds how often Stop hooks may send one prompt's
// turn on. Claude Code relies on the hook reading stop_hook_active (and
// on --max-turns); a hook that ignores it would otherwise keep the model
// answering, and paying, forever.
const maxStopContinuations = 8

// hookState is what the hooks leave for later steps of a turn: text a
// PreToolUse hook added to a call's result, notices for the user that
// were raised inside parallel tool runs, and a hook's request to end the
// turn (continue: false).
type hookState struct {
	mu       sync.Mutex
	callText map[string][]string // by tool_use ID
	notices  []string
	stop     bool
	stopWhy  string
	// context is SessionStart text waiting for the next prompt.
	context []string
}

func (h *hookState) note(o hooks.Outcome) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.notices = append(h.notices, outcomeNotices(o)...)
	if o.Stop {
		h.stop, h.stopWhy = true, o.StopReason
	}
}

// outcomeNotices are what the user sees of any event's outcome: its
// system messages and its non-blocking errors.
func outcomeNotices(o hooks.Outcome) []string {
	out := append([]string(nil), o.SystemMessages...)
	for _, e := range o.Errors {
		out = append(out, "hook: "+e)
	}
	return out
}

// HookInput is the part of every hook's input that describes this
// session: its ID, transcript, working directory and permission mode.
func (s *Session) HookInput() hooks.Input {
	in := hooks.Input{SessionID: s.id, CWD: s.o.WorkDir}
	if s.w != nil {
		in.TranscriptPath = s.w.Path()
	}
	if sc := s.o.Sidechain; sc != nil {
		// Hooks see the session's transcript; a subagent's own is
		// agent_transcript_path (SubagentStop).
		in.TranscriptPath = sc.Parent.TranscriptPath()
	}
	if s.o.ToolSession != nil {
		in.CWD = s.o.ToolSession.WorkDir()
	}
	if s.o.Permissions != nil {
		in.PermissionMode = string(s.o.Permissions.Mode())
	}
	return in
}

// runHook runs ev's hooks when any is configured; the zero Outcome
// otherwise.
func (s *Session) runHook(ctx context.Context, ev hooks.Event, in hooks.Input) hooks.Outcome {
	if s.o.Hooks == nil || !s.o.Hooks.Has(ev) {
		return hooks.Outcome{Event: ev}
	}
	return s.o.Hooks.Run(ctx, ev, in)
}

// SessionStart runs the SessionStart hooks (source: startup, resume,
// clear or compact). Their context reaches the model with the next
// prompt; the returned notices are for the user.
func (s *Session) SessionStart(ctx context.Context, source string) []string {
	in := s.HookInput()
	in.PermissionMode = "" // Claude Code does not send it for SessionStart
	in.Source, in.Model = source, s.model.ID
	o := s.runHook(ctx, hooks.SessionStart, in)
	if len(o.Context) > 0 && s.hooks != nil {
		s.hooks.mu.Lock()
		s.hooks.context = append(s.hooks.context, o.Context...)
		s.hooks.mu.Unlock()
	}
	notices := outcomeNotices(o)
	if o.Stop && o.StopReason != "" {
		notices = append(notices, o.StopReason)
	}
	return notices
}

// takeSessionContext returns the SessionStart context not yet sent, as
// blocks to put before the prompt (Claude Code sends it as a system
// reminder).
func (s *Session) takeSessionContext() []anthropic.ContentBlockParamUnion {
	if s.hooks == nil {
		return nil
	}
	s.hooks.mu.Lock()
	texts := s.hooks.context
	s.hooks.context = nil
	s.hooks.mu.Unlock()
	var out []anthropic.ContentBlockParamUnion
	for _, t := range texts {
		out = append(out, anthropic.NewTextBlock("<system-reminder>\nSessionStart hook additional context: "+t+"\n</system-reminder>"))
	}
	return out
}

// flushHookNotices sends the notices hooks raised while tools ran.
func (s *Session) flushHookNotices(on func(Event)) {
	if s.hooks == nil {
		return
	}
	s.hooks.mu.Lock()
	ns := s.hooks.notices
	s.hooks.notices = nil
	s.hooks.mu.Unlock()
	for _, n := range ns {
		on(Event{Kind: EventNotice, Text: n})
	}
}

// takeHookStop reports whether a hook asked to end the turn, telling the
// user why.
func (s *Session) takeHookStop(on func(Event)) bool {
	if s.hooks == nil {
		return false
	}
	s.flushHookNotices(on)
	s.hooks.mu.Lock()
	stop, why := s.hooks.stop, s.hooks.stopWhy
	s.hooks.stop, s.hooks.stopWhy = false, ""
	s.hooks.mu.Unlock()
	if stop {
		msg := "a hook ended the turn"
		if why != "" {
			msg += ": " + why
		}
		on(Event{Kind: EventNotice, Text: msg})
	}
	return stop
}

// preToolUse runs the PreToolUse hooks of call before its permission
// decision. An updatedInput replaces the call's input, so that the
// permission check judges the rewritten call. It returns the refusal to
// record when a hook denied the call (the call then neither runs nor is
// asked about), else how to adjust the checker's verdict.
func (s *Session) preToolUse(ctx context.Context, call *ToolCall, on func(Event)) (refusal *callResult, adjust func(verdict) verdict) {
	keep := func(v verdict) verdict { return v }
	if s.o.Hooks == nil || !s.o.Hooks.Has(hooks.PreToolUse) {
		return nil, keep
	}
	in := s.HookInput()
	in.ToolName, in.ToolInput, in.ToolUseID = call.Name, call.Input, call.ID
	o := s.o.Hooks.Run(ctx, hooks.PreToolUse, in)
	s.hooks.note(o)
	s.flushHookNotices(on)
	if len(o.Context) > 0 {
		s.hooks.mu.Lock()
		if s.hooks.callText == nil {
			s.hooks.callText = map[string][]string{}
		}
		s.hooks.callText[call.ID] = append(s.hooks.callText[call.ID], o.Context...)
		s.hooks.mu.Unlock()
	}
	if o.Decision == hooks.DecisionDeny {
		msg := o.Message(call.Name)
		on(Event{Kind: EventPermission, Tool: call, Source: SourceHook, Decision: &permission.Decision{Behavior: permission.Deny, Reason: "denied by a PreToolUse hook: " + msg}})
		return &callResult{content: msg, isError: true}, nil
	}
	if len(o.UpdatedInput) > 0 && json.Valid(o.UpdatedInput) {
		call.Input = o.UpdatedInput
	}
	switch o.Decision {
	case hooks.DecisionAllow:
		return nil, func(v verdict) verdict { return s.hookAllows(call, v) }
	case hooks.DecisionAsk, hooks.DecisionDefer:
		why := o.DecisionReason
		if why == "" {
			why = "a PreToolUse hook asks for confirmation"
		}
		return nil, func(v verdict) verdict {
			if s.o.Ask == nil && v.plan != planUnknown && v.plan != planDenied {
				// Headless: nobody can answer the question the hook asks for.
				why := "a PreToolUse hook asks for the user's approval (" + why + "), and nobody can answer in this non-interactive run"
				d := permission.Decision{Behavior: permission.Deny, Reason: why}
				return verdict{plan: planDenied, decision: d, result: callResult{content: "Permission denied: " + why, isError: true}}
			}
			if v.plan == planBatch || v.plan == planAlone {
				return verdict{plan: planAsk, decision: permission.Decision{Behavior: permission.Ask, Reason: why}}
			}
			if v.plan == planAsk {
				v.decision.Reason = why + "; " + v.decision.Reason
			}
			return v
		}
	}
	return nil, keep
}

// hookAllows applies a PreToolUse hook's allow: it skips the question a
// rule could have answered, and nothing else. Deny rules, ask rules,
// protected paths and plan mode still win (fail closed, and Claude Code's
// rule: a hook's allow does not override deny or ask rules). The checker
// marks exactly those asks a rule could lift with Suggestions; in
// headless and dontAsk runs such an ask arrives as a deny that keeps
// them, which no deny rule or protected path ever carries.
func (s *Session) hookAllows(call *ToolCall, v verdict) verdict {
	liftable := len(v.decision.Suggestions) > 0 && (v.plan == planAsk || v.plan == planDenied)
	if !liftable {
		return v
	}
	d := permission.Decision{Behavior: permission.Allow, Reason: "allowed by a PreToolUse hook"}
	if t, ok := s.tools[call.Name]; ok && t.ReadOnly() {
		return verdict{plan: planBatch, decision: d, source: SourceHook}
	}
	return verdict{plan: planAlone, decision: d, source: SourceHook}
}

// permissionRequest runs the PermissionRequest hooks before the user is
// asked. ok reports whether a hook answered; allow whether it allowed.
func (s *Session) permissionRequest(ctx context.Context, call *ToolCall) (ans Answer, answered bool) {
	if s.o.Hooks == nil || !s.o.Hooks.Has(hooks.PermissionRequest) {
		return Answer{}, false
	}
	in := s.HookInput()
	in.ToolName, in.ToolInput, in.ToolUseID = call.Name, call.Input, call.ID
	o := s.o.Hooks.Run(ctx, hooks.PermissionRequest, in)
	s.hooks.note(o)
	switch {
	case o.Blocked:
		return Answer{Message: o.Message(call.Name)}, true
	case o.PermissionRequest == nil:
		return Answer{}, false
	}
	pr := o.PermissionRequest
	if pr.Behavior == string(hooks.DecisionAllow) {
		if len(pr.UpdatedInput) > 0 && json.Valid(pr.UpdatedInput) {
			call.Input = pr.UpdatedInput
		}
		return Answer{Allow: true}, true
	}
	if pr.Interrupt && s.hooks != nil {
		s.hooks.mu.Lock()
		s.hooks.stop, s.hooks.stopWhy = true, "a PermissionRequest hook denied "+call.Name+" and ended the turn"
		s.hooks.mu.Unlock()
	}
	return Answer{Message: pr.Message}, true
}

// afterTool runs PostToolUse (or PostToolUseFailure) for a call that ran,
// and adds to its result what the hooks said for the model: the
// PreToolUse context kept for it, a blocking reason, additional context,
// or an output that replaces the tool's.
func (s *Session) afterTool(ctx context.Context, call *ToolCall, res callResult, started time.Time) callResult {
	var pre []string
	if s.hooks != nil {
		s.hooks.mu.Lock()
		pre = s.hooks.callText[call.ID]
		delete(s.hooks.callText, call.ID)
		s.hooks.mu.Unlock()
	}
	ev := hooks.PostToolUse
	if res.isError {
		ev = hooks.PostToolUseFailure
	}
	var o hooks.Outcome
	if s.o.Hooks != nil && s.o.Hooks.Has(ev) {
		in := s.HookInput()
		in.ToolName, in.ToolInput, in.ToolUseID = call.Name, call.Input, call.ID
		ms := time.Since(started).Milliseconds()
		in.DurationMS = &ms
		if res.isError {
			in.Error = res.content
			in.IsInterrupt = hooks.Bool(ctx.Err() != nil)
		} else {
			in.ToolResponse = toolResponse(call, res)
		}
		// The turn's context: Ctrl-C stops the hooks too.
		o = s.o.Hooks.Run(ctx, ev, in)
		s.hooks.note(o)
	}
	if !res.isError && len(o.UpdatedToolOutput) > 0 {
		var text string
		if json.Unmarshal(o.UpdatedToolOutput, &text) != nil {
			text = string(o.UpdatedToolOutput)
		}
		res.content = text
	}
	var extra []string
	extra = append(extra, pre...)
	if o.Blocked {
		extra = append(extra, o.Message(call.Name))
	}
	extra = append(extra, o.Context...)
	if len(extra) > 0 {
		res.content = strings.TrimRight(res.content, "\n") + "\n\n" + strings.Join(extra, "\n")
	}
	return res
}

// toolResponse is PostToolUse's tool_response: Claude Code's shape for
// Bash ({stdout, stderr, interrupted, …}); for other tools the result
// text, with the file path the call wrote when it has one (formatter
// hooks read tool_input.file_path, which is there too).
func toolResponse(call *ToolCall, res callResult) json.RawMessage {
	var v any
	if call.Name == "Bash" {
		v = map[string]any{"stdout": res.content, "stderr": "", "interrupted": false, "isImage": false, "noOutputExpected": false}
	} else {
		m := map[string]any{"content": res.content}
		var in struct {
			FilePath string `json:"file_path"`
		}
		if json.Unmarshal(call.Input, &in) == nil && in.FilePath != "" {
			m["filePath"] = in.FilePath
		}
		v = m
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// stopHook runs the Stop hooks when the model ends its turn. It returns
// true when a hook blocked the stop: its reason is then the model's next
// input and the turn goes on. active is Claude Code's stop_hook_active
// (this turn was already continued by a Stop hook); n counts the
// continuations of this prompt, bounded by maxStopContinuations.
func (s *Session) stopHook(ctx context.Context, msg anthropic.Message, active bool, n int, on func(Event)) bool {
	// A subagent's end is SubagentStop, with the agent named.
	ev := hooks.Stop
	if s.o.Sidechain != nil {
		ev = hooks.SubagentStop
	}
	if s.o.Hooks == nil || !s.o.Hooks.Has(ev) {
		return false
	}
	in := s.HookInput()
	in.StopHookActive = hooks.Bool(active)
	in.LastAssistantMessage = finalText(msg)
	if sc := s.o.Sidechain; sc != nil {
		in.AgentID, in.AgentType = sc.AgentID, sc.AgentType
		if s.w != nil {
			in.AgentTranscriptPath = s.w.Path()
		}
	}
	o := s.o.Hooks.Run(ctx, ev, in)
	for _, t := range outcomeNotices(o) {
		on(Event{Kind: EventNotice, Text: t})
	}
	if o.Stop && o.StopReason != "" {
		on(Event{Kind: EventNotice, Text: o.StopReason})
	}
	if !o.Blocked || o.Stop || ctx.Err() != nil {
		return false
	}
	if n >= maxStopContinuations {
		on(Event{Kind: EventNotice, Text: fmt.Sprintf("a Stop hook blocked the end of the turn %d times; basalt ends it anyway (the hook should read stop_hook_active)", n)})
		return false
	}
	text := o.Message("")
	if len(o.Context) > 0 {
		text += "\n" + strings.Join(o.Context, "\n")
	}
	on(Event{Kind: EventNotice, Text: "a Stop hook continued the turn: " + strings.Join(o.Reasons, "; ")})
	s.addUser([]anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(text)})
	return true
}

// preCompact runs the PreCompact hooks before a compaction (trigger
// manual or auto). It returns extra summary instructions, or an error
// when a hook blocked the compaction.
func (s *Session) preCompact(ctx context.Context, trigger string, on func(Event)) (string, error) {
	if s.o.Hooks == nil || !s.o.Hooks.Has(hooks.PreCompact) {
		return "", nil
	}
	in := s.HookInput()
	in.Trigger = trigger
	if trigger == "manual" {
		empty := ""
		in.CustomInstructions = &empty
	}
	o := s.o.Hooks.Run(ctx, hooks.PreCompact, in)
	for _, t := range outcomeNotices(o) {
		on(Event{Kind: EventNotice, Text: t})
	}
	if o.Blocked {
		return "", fmt.Errorf("compaction blocked by a PreCompact hook: %s", strings.Join(o.Reasons, "; "))
	}
	return strings.Join(o.Context, "\n"), nil
}

// summaryRequestWithHooks is the compaction request, with what the
// PreCompact hooks add to it.
func (s *Session) summaryRequestWithHooks(ctx context.Context, trigger string, on func(Event)) (string, error) {
	extra, err := s.preCompact(ctx, trigger, on)
	if err != nil || extra == "" {
		return summaryRequest, err
	}
	return summaryRequest + "\n\nAdditional instructions:\n" + extra, nil
}

// sessionStartAfterCompact runs the SessionStart hooks of source
// "compact" and puts their context in the message that now opens the
// conversation: an automatic compaction happens inside a turn, whose
// next request must carry it.
func (s *Session) sessionStartAfterCompact(ctx context.Context, on func(Event)) {
	for _, n := range s.SessionStart(ctx, "compact") {
		on(Event{Kind: EventNotice, Text: n})
	}
	if len(s.messages) > 0 && s.messages[0].Role == anthropic.MessageParamRoleUser {
		s.messages[0].Content = append(s.messages[0].Content, s.takeSessionContext()...)
	}
}
