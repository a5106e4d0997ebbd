package hooks

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
}

// events is the table of every event: grammar as data.
var events = []EventInfo{
	{PreToolUse, "tool_name", true},
	{PostToolUse, "tool_name", true},
	{PostToolUseFailure, "tool_name", true},
	{PostToolBatch, "", false},
	{PermissionRequest, "tool_name", true},
	{PermissionDenied, "tool_name", false},
	{UserPromptSubmit, "", true},
	{UserPromptExpansion, "command_name", false},
	{Notification, "notification_type", true},
	{Stop, "", true},
	{StopFailure, "error", false},
	{SubagentStart, "agent_type", false},
	{SubagentStop, "agent_type", true},
	{PreCompact, "trigger", true},
	{PostCompact, "trigger", false},
	{SessionStart, "source", true},
	{SessionEnd, "reason", true},
	{Setup, "trigger", false},
	{TeammateIdle, "", false},
	{TaskCreated, "", false},
	{TaskCompleted, "", false},
	{Elicitation, "mcp_server_name", false},
	{ElicitationResult, "mcp_server_name", false},
	{ConfigChange, "source", false},
	{WorktreeCreate, "", false},
	{WorktreeRemove, "", false},
	{InstructionsLoaded, "load_reason", false},
	{CwdChanged, "", false},
	{FileChanged, "file_path", false},
	{MessageDisplay, "", false},
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
