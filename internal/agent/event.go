package agent

import (
	"encoding/json"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/tool"
)

// EventKind says what an [Event] carries.
type EventKind int

// The events of a turn, in the order they can happen.
const (
	EventText        EventKind = iota // Text: a delta of the answer
	EventThinking                     // Text: a delta of extended thinking
	EventReset                        // the partial answer so far is void (a failed attempt)
	EventAssistant                    // Message: a complete assistant message, as stored
	EventToolStart                    // Tool: a call about to run (after its permission decision); Decision: that decision when it allowed the call without asking
	EventToolEnd                      // Tool, Result: the call's result
	EventPermission                   // Tool, Decision: a call was denied, or asked and answered
	EventToolResults                  // Message: the user message carrying the tool results, as stored
	EventUsage                        // Usage: one model request's tokens and cost, and the session's
	EventRetry                        // Retry: a request is retried
	EventNotice                       // Text: something the user should know
	EventCompacted                    // Text: the summary that replaced the earlier conversation
	EventStream                       // Message: one raw event of the model's streamed reply (-p --include-partial-messages)
	EventDecision                     // Tool, Source: who decided a call that a hook or the user had a say in
)

// The sources of an [EventDecision], and of an [EventPermission] denial by
// a hook: Claude Code's tool_decision sources, for telemetry.
const (
	SourceHook          = "hook"           // a PreToolUse or PermissionRequest hook decided
	SourceUserTemporary = "user_temporary" // the user allowed this one call
	SourceUserPermanent = "user_permanent" // the user allowed it and saved a rule ("don't ask again")
	SourceUserReject    = "user_reject"    // the user refused
	SourceUserAbort     = "user_abort"     // the user dismissed the question (Esc) or interrupted the turn
)

// Event is delivered on the goroutine that called [Session.Run], in order.
type Event struct {
	Kind     EventKind
	Text     string
	Message  json.RawMessage
	Tool     *ToolCall
	Result   *tool.Result
	Decision *permission.Decision
	Usage    cost.TurnReport
	Retry    provider.RetryInfo
	// Source (EventDecision, and EventPermission when a hook denied) is
	// who decided: one of the Source constants. Empty for the permission
	// rules and mode.
	Source string
	// RequestID (EventUsage) is the provider's ID of the request, for
	// telemetry's claude_code.api_request event.
	RequestID string
	// Guardrail (EventUsage): a Bedrock guardrail replaced the answer of
	// this request, for telemetry's basalt.guardrail_intervention.
	Guardrail bool
	// Continued (EventAssistant): the answer was cut at max_tokens and
	// the next message continues it, so a frontend shows the two as one
	// answer.
	Continued bool
}

// ToolCall is one tool_use block of the model.
type ToolCall struct {
	ID    string
	Name  string
	Input json.RawMessage
	// Agent is the subagent type that made the call ("Explore"), for a
	// permission question to name it; "" for the main conversation.
	Agent string
}

// Summary is the argument that matters, for a one-line display: the
// command, the path or the pattern.
func (c *ToolCall) Summary() string {
	var in map[string]any
	if json.Unmarshal(c.Input, &in) != nil {
		return ""
	}
	// description last: an Agent call's short task ("Find alpha").
	for _, k := range []string{"command", "file_path", "pattern", "path", "bash_id", "shell_id", "url", "description"} {
		if s, ok := in[k].(string); ok && s != "" {
			return s
		}
	}
	if todos, ok := in["todos"].([]any); ok {
		return plural(len(todos), "item")
	}
	return ""
}
