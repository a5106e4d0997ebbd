package hooks

import (
	"encoding/json"
	"maps"
)

// Input is the JSON a hook reads on stdin, in Claude Code's field names
// (testdata/claude-code/stdin holds what Claude Code wrote). The caller
// fills the common fields and those of its event; empty fields are left
// out, as Claude Code leaves out what does not apply (SessionStart and
// SessionEnd carry no permission_mode). hook_event_name is set by
// [Runner.Run].
type Input struct {
	SessionID      string `json:"session_id"`
	TranscriptPath string `json:"transcript_path"`
	CWD            string `json:"cwd"`
	PermissionMode string `json:"permission_mode,omitempty"`
	PromptID       string `json:"prompt_id,omitempty"`
	HookEventName  Event  `json:"hook_event_name"`

	// Tool events (PreToolUse, PostToolUse, PostToolUseFailure,
	// PermissionRequest).
	ToolName     string          `json:"tool_name,omitempty"`
	ToolInput    json.RawMessage `json:"tool_input,omitempty"`
	ToolUseID    string          `json:"tool_use_id,omitempty"`
	ToolResponse json.RawMessage `json:"tool_response,omitempty"` // PostToolUse
	DurationMS   *int64          `json:"duration_ms,omitempty"`   // PostToolUse, PostToolUseFailure
	Error        string          `json:"error,omitempty"`         // PostToolUseFailure
	IsInterrupt  *bool           `json:"is_interrupt,omitempty"`  // PostToolUseFailure

	Prompt string `json:"prompt,omitempty"` // UserPromptSubmit

	// Stop and SubagentStop.
	StopHookActive       *bool  `json:"stop_hook_active,omitempty"`
	LastAssistantMessage string `json:"last_assistant_message,omitempty"`
	AgentID              string `json:"agent_id,omitempty"`
	AgentType            string `json:"agent_type,omitempty"`
	AgentTranscriptPath  string `json:"agent_transcript_path,omitempty"`

	Message          string `json:"message,omitempty"`           // Notification
	Title            string `json:"title,omitempty"`             // Notification
	NotificationType string `json:"notification_type,omitempty"` // Notification

	Trigger            string  `json:"trigger,omitempty"`             // PreCompact: manual|auto
	CustomInstructions *string `json:"custom_instructions,omitempty"` // PreCompact

	Source string `json:"source,omitempty"` // SessionStart: startup|resume|clear|compact
	Model  string `json:"model,omitempty"`  // SessionStart
	Reason string `json:"reason,omitempty"` // SessionEnd: clear|logout|prompt_input_exit|other

	// Extra holds fields this struct does not name, for events basalt
	// does not fire yet; they are written beside the others.
	Extra map[string]any `json:"-"`
}

// Bool returns a pointer to b, for the fields Claude Code always writes
// (stop_hook_active: false).
func Bool(b bool) *bool { return &b }

// object is in as the JSON object written on stdin.
func (in Input) object() (map[string]any, []byte, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, err
	}
	if in.HookEventName == Stop || in.HookEventName == SubagentStop {
		// Claude Code always writes these two lists; basalt's background
		// shells are not tasks of its kind, so they are empty unless the
		// caller says otherwise in Extra.
		in.Extra = maps.Clone(in.Extra)
		if in.Extra == nil {
			in.Extra = map[string]any{}
		}
		for _, k := range []string{"background_tasks", "session_crons"} {
			if _, ok := in.Extra[k]; !ok {
				in.Extra[k] = []any{}
			}
		}
	}
	if len(in.Extra) > 0 {
		extra := maps.Clone(in.Extra)
		for k := range m {
			delete(extra, k)
		}
		maps.Copy(m, extra)
		if b, err = json.Marshal(m); err != nil {
			return nil, nil, err
		}
	}
	return m, b, nil
}
