package hooks

import "time"

// Event is a hook event name, spelt as in Claude Code's settings.
type Event string

// The events of Claude Code's hooks reference (v2.1.197 knows all of
// these). basalt fires those whose [EventInfo.Fired] is true; the others
// are accepted in settings (a team's file stays valid) and listed, but
// never run.
const (
	PreToolUse          Event = "PreToolUse"
	PostToolUse         Event = "PostToolUse"
	PostToolUseFailure  Event = "PostToolUseFailure"
	PostToolBatch       Event = "PostToolBatch"
	PermissionRequest   Event = "PermissionRequest"
	PermissionDenied    Event = "PermissionDenied"
	UserPromptSubmit    Event = "UserPromptSubmit"
	UserPromptExpansion Event = "UserPromptExpansion"
	Notification        Event = "Notification"
	Stop                Event = "Stop"
	StopFailure         Event = "StopFailure"
	SubagentStart       Event = "SubagentStart"
	SubagentStop        Event = "SubagentStop"
	PreCompact          Event = "PreCompact"
	PostCompact         Event = "PostCompact"
	SessionStart        Event = "SessionStart"
	SessionEnd          Event = "SessionEnd"
	Setup               Event = "Setup"
	TeammateIdle        Event = "TeammateIdle"
	TaskCreated         Event = "TaskCreated"
	TaskCompleted       Event = "TaskCompleted"
	Elicitation         Event = "Elicitation"
	ElicitationResult   Event = "ElicitationResult"
	ConfigChange        Event = "ConfigChange"
	WorktreeCreate      Event = "WorktreeCreate"
	WorktreeRemove      Event = "WorktreeRemove"
	InstructionsLoaded  Event = "InstructionsLoaded"
	CwdChanged          Event = "CwdChanged"
	FileChanged         Event = "FileChanged"
	MessageDisplay      Event = "MessageDisplay"
)

// EventInfo describes an event: what its matcher is compared with and
// whether basalt fires it.
type EventInfo struct {
	Event Event
	// MatchField is the stdin field a matcher is compared with
	// ("tool_name", "source", …); empty when the event has no matcher, in
	// which case every hook of the event runs whatever its matcher says
	// (as Claude Code does).
	MatchField string
	// Fired is true for the events basalt raises (WIRING.md says where).
	Fired bool
	// Timeout is how long a hook of the event may run when its entry
	// gives no "timeout": Claude Code's defaults, per event.
	Timeout time.Duration
}

// events is the table of every event: grammar as data. The timeouts are
// those of Claude Code v2.1.197: 10 minutes, but 30 s for
// UserPromptSubmit (measured: a hook sleeping 70 s without a "timeout"
// was stopped after 30.5 s) and 1.5 s for SessionEnd, which runs while
// the program quits.
var events = []EventInfo{
	{PreToolUse, "tool_name", true, DefaultTimeout},
	{PostToolUse, "tool_name", true, DefaultTimeout},
	{PostToolUseFailure, "tool_name", true, DefaultTimeout},
	{PostToolBatch, "", false, DefaultTimeout},
	{PermissionRequest, "tool_name", true, DefaultTimeout},
	{PermissionDenied, "tool_name", false, DefaultTimeout},
	{UserPromptSubmit, "", true, 30 * time.Second},
	{UserPromptExpansion, "command_name", false, DefaultTimeout},
	{Notification, "notification_type", true, DefaultTimeout},
	{Stop, "", true, DefaultTimeout},
	{StopFailure, "error", false, DefaultTimeout},
	{SubagentStart, "agent_type", false, DefaultTimeout},
	{SubagentStop, "agent_type", true, DefaultTimeout},
	{PreCompact, "trigger", true, DefaultTimeout},
	{PostCompact, "trigger", false, DefaultTimeout},
	{SessionStart, "source", true, DefaultTimeout},
	{SessionEnd, "reason", true, 1500 * time.Millisecond},
	{Setup, "trigger", false, DefaultTimeout},
	{TeammateIdle, "", false, DefaultTimeout},
	{TaskCreated, "", false, DefaultTimeout},
	{TaskCompleted, "", false, DefaultTimeout},
	{Elicitation, "mcp_server_name", false, DefaultTimeout},
	{ElicitationResult, "mcp_server_name", false, DefaultTimeout},
	{ConfigChange, "source", false, DefaultTimeout},
	{WorktreeCreate, "", false, DefaultTimeout},
	{WorktreeRemove, "", false, DefaultTimeout},
	{InstructionsLoaded, "load_reason", false, DefaultTimeout},
	{CwdChanged, "", false, DefaultTimeout},
	{FileChanged, "file_path", false, DefaultTimeout},
	{MessageDisplay, "", false, DefaultTimeout},
}

// Events returns the table of every event Claude Code defines.
func Events() []EventInfo { return append([]EventInfo(nil), events...) }

// Info returns the description of e, and false for a name Claude Code
// does not define.
func Info(e Event) (EventInfo, bool) {
	for _, i := range events {
		if i.Event == e {
			return i, true
		}
	}
	return EventInfo{}, false
}

func eventNames() []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Event)
	}
	return out
}
