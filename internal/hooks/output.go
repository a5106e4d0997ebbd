package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Output is the JSON object a hook may print on stdout instead of plain
// text (Claude Code's field names). Fields it does not know are ignored,
// as Claude Code ignores them.
type Output struct {
	// Continue false ends the turn (or the session start, prompt, …)
	// after this event, with StopReason shown to the user.
	Continue       *bool  `json:"continue"`
	StopReason     string `json:"stopReason"`
	SuppressOutput bool   `json:"suppressOutput"`
	SystemMessage  string `json:"systemMessage"`
	// Decision "block" blocks with Reason; "approve" allows a tool call
	// (PreToolUse's older spelling of permissionDecision "allow").
	Decision           string    `json:"decision"`
	Reason             string    `json:"reason"`
	HookSpecificOutput *Specific `json:"hookSpecificOutput"`
}

// Specific is an Output's "hookSpecificOutput": fields of one event,
// which hookEventName must name.
type Specific struct {
	HookEventName Event `json:"hookEventName"`
	// PreToolUse.
	PermissionDecision       string          `json:"permissionDecision"`
	PermissionDecisionReason string          `json:"permissionDecisionReason"`
	UpdatedInput             json.RawMessage `json:"updatedInput"`
	// UserPromptSubmit, SessionStart, PreToolUse, PostToolUse,
	// PostToolUseFailure, Stop, SubagentStop, …
	AdditionalContext string `json:"additionalContext"`
	// PostToolUse: replaces what the model sees of the tool's result.
	UpdatedToolOutput json.RawMessage `json:"updatedToolOutput"`
	// PermissionRequest.
	Decision *PermissionRequestDecision `json:"decision"`
}

// PermissionRequestDecision is a PermissionRequest hook's answer in place
// of the user's.
type PermissionRequestDecision struct {
	Behavior     string          `json:"behavior"` // allow | deny
	UpdatedInput json.RawMessage `json:"updatedInput,omitempty"`
	Message      string          `json:"message,omitempty"`   // deny: told to the model
	Interrupt    bool            `json:"interrupt,omitempty"` // deny: also stop the turn
}

// parseOutput reads stdout as a hook's JSON answer. isJSON is false when
// stdout is plain text (it does not start with "{", or is not JSON: both
// are text to Claude Code). err is set when it is JSON Claude Code would
// refuse: a field of the wrong type, an unknown decision, a
// hookSpecificOutput without or with another hookEventName; the hook's
// answer is then a non-blocking error.
func parseOutput(ev Event, stdout string) (out *Output, isJSON bool, err error) {
	t := strings.TrimSpace(stdout)
	if !strings.HasPrefix(t, "{") || !json.Valid([]byte(t)) {
		return nil, false, nil
	}
	out = &Output{}
	dec := json.NewDecoder(bytes.NewReader([]byte(t)))
	if err := dec.Decode(out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, true, fmt.Errorf("hook JSON output validation failed: %s: want %s, got %s", te.Field, te.Type, te.Value)
		}
		return nil, true, fmt.Errorf("hook JSON output validation failed: %v", err)
	}
	switch out.Decision {
	case "", "approve", "block":
	default:
		return nil, true, fmt.Errorf("unknown hook decision %q: want approve or block", out.Decision)
	}
	if s := out.HookSpecificOutput; s != nil {
		switch {
		case s.HookEventName == "":
			return nil, true, fmt.Errorf("hookSpecificOutput is missing required field %q", "hookEventName")
		case s.HookEventName != ev:
			return nil, true, fmt.Errorf("hook returned the wrong event name: expected %q but got %q", ev, s.HookEventName)
		}
		switch s.PermissionDecision {
		case "", "allow", "deny", "ask", "defer":
		default:
			return nil, true, fmt.Errorf("unknown permissionDecision %q: want allow, deny, ask or defer", s.PermissionDecision)
		}
		if len(s.UpdatedInput) > 0 && !bytes.HasPrefix(bytes.TrimSpace(s.UpdatedInput), []byte("{")) && string(s.UpdatedInput) != "null" {
			return nil, true, fmt.Errorf("hook JSON output validation failed: hookSpecificOutput.updatedInput: want an object")
		}
		if d := s.Decision; d != nil && d.Behavior != "allow" && d.Behavior != "deny" {
			return nil, true, fmt.Errorf("hook JSON output validation failed: hookSpecificOutput.decision.behavior: want allow or deny, got %q", d.Behavior)
		}
	}
	return out, true, nil
}
