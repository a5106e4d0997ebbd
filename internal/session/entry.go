package session

import (
	"encoding/json"
	"time"

	"github.com/basalt-dev/basalt/internal/cost"
)

// Entry types. A reader keeps entries of any other type and ignores them,
// so a newer basalt may add types without breaking an older one.
const (
	TypeMeta        = "meta"        // Meta: the session's settings; first line of every file
	TypeUser        = "user"        // Message: a user message (prompt or tool results) as sent
	TypeAssistant   = "assistant"   // Message: the model's reply, with Model, Usage, CostUSD
	TypeCompaction  = "compaction"  // Summary (and optionally Message): replaces everything before it
	TypeInterrupted = "interrupted" // Text: why; Message, if any, is the results that close the interrupted calls
	TypeNotice      = "notice"      // Text: something the user was told (retries, refreshes, model fallbacks)
	// TypeRewind takes the conversation back to before prompt Turn: the
	// entries before it that carry Turn or a later number are no longer
	// part of the conversation ([Transcript.Live]). /rewind appends it
	// rather than rewriting lines.
	TypeRewind = "rewind"
)

// Entry is one line of a transcript.
type Entry struct {
	Type string    `json:"type"`
	Time time.Time `json:"time"`
	// Turn numbers the user's prompts from 1; every entry of a turn
	// carries its number.
	Turn int `json:"turn,omitempty"`
	// Message is one Anthropic MessageParam as it was sent (user) or
	// received (assistant), stored byte for byte so that a resumed session
	// sends the same bytes and still reads the prompt cache. Compact JSON
	// (what encoding/json and the SDK produce) is kept exactly;
	// insignificant whitespace would be removed.
	Message json.RawMessage `json:"message,omitempty"`
	Model   string          `json:"model,omitempty"`
	// Usage is the usage of the API call that produced this entry: an
	// assistant message, a compaction summary, or a side call recorded in
	// a notice. Entries re-written after a compaction carry none, so
	// nothing is counted twice.
	Usage *cost.Usage `json:"usage,omitempty"`
	// CostUSD is the cost of that call when its price was known; nil with
	// a Usage means unknown (DESIGN.md §6: never a wrong number).
	CostUSD *float64 `json:"cost_usd,omitempty"`
	// Guardrail marks an assistant message that is a guardrail's
	// intervention: it and the exchange that provoked it are left out of
	// later requests ([Transcript.Messages]).
	Guardrail bool `json:"guardrail,omitempty"`
	// RequestID is the provider's ID of the request that produced an
	// assistant entry (Bedrock's x-amzn-RequestId), so that an
	// administrator can find the turn in CloudTrail and AWS's logs.
	RequestID string `json:"request_id,omitempty"`
	// Continuation marks a user message basalt sent, not the user: the
	// request to go on after an answer cut at max_tokens. It is sent
	// again on resume, and is not a prompt to show as typed.
	Continuation bool   `json:"continuation,omitempty"`
	Summary      string `json:"summary,omitempty"` // compaction: the model-written summary
	Text         string `json:"text,omitempty"`    // notice and interrupted: the detail
	Meta         *Meta  `json:"meta,omitempty"`

	// A subagent link (TypeSubagent, sidechain.go).
	AgentID   string `json:"agentId,omitempty"`
	AgentType string `json:"agentType,omitempty"`
	ToolUseID string `json:"toolUseId,omitempty"`
	Sidechain string `json:"sidechain,omitempty"`
}

// Meta describes a session. [Store.Create] writes it as the first line;
// a later meta entry (after a resume that changed the model, say) updates
// the fields it sets.
type Meta struct {
	ID          string    `json:"id,omitempty"`
	ProjectRoot string    `json:"project_root,omitempty"`
	WorkDir     string    `json:"work_dir,omitempty"`
	Provider    string    `json:"provider,omitempty"` // "bedrock", "anthropic"
	Region      string    `json:"region,omitempty"`
	Model       string    `json:"model,omitempty"` // the ID sent, e.g. global.anthropic.claude-sonnet-4-6
	Version     string    `json:"version,omitempty"`
	Created     time.Time `json:"created,omitzero"`
	// System is the system blocks as sent, so a resumed session reuses
	// them byte for byte (the date and git status in them would otherwise
	// change and miss the cache).
	System json.RawMessage `json:"system,omitempty"`
	// Tools is the tool definitions as sent, for the same reason.
	Tools json.RawMessage `json:"tools,omitempty"`
	// ForkedFrom is the ID of the session this one was forked from
	// ([Store.Fork]), empty otherwise.
	ForkedFrom string `json:"forked_from,omitempty"`
	// User is who ran the session (the login name of the process that
	// started it), and Labels are the OTEL_RESOURCE_ATTRIBUTES pairs of
	// that run (team, cost centre, …): `basalt usage --by user|team`
	// groups by them, also across several engineers' exports.
	User   string            `json:"user,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	// IsSidechain marks a subagent's transcript (Claude Code's
	// isSidechain), of session ParentID's subagent AgentID.
	IsSidechain bool   `json:"isSidechain,omitempty"`
	ParentID    string `json:"parent_id,omitempty"`
	AgentID     string `json:"agentId,omitempty"`
	AgentType   string `json:"agentType,omitempty"`
}

// merge sets the fields of m that u sets, except the ID and the creation
// time, which the first meta entry fixes.
func (m *Meta) merge(u *Meta) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	if m.ID == "" {
		m.ID = u.ID
	}
	set(&m.ProjectRoot, u.ProjectRoot)
	set(&m.WorkDir, u.WorkDir)
	set(&m.Provider, u.Provider)
	set(&m.Region, u.Region)
	set(&m.Model, u.Model)
	set(&m.Version, u.Version)
	set(&m.ForkedFrom, u.ForkedFrom)
	set(&m.User, u.User)
	if len(u.Labels) > 0 {
		m.Labels = u.Labels
	}
	set(&m.ParentID, u.ParentID)
	set(&m.AgentID, u.AgentID)
	set(&m.AgentType, u.AgentType)
	m.IsSidechain = m.IsSidechain || u.IsSidechain
	if m.Created.IsZero() {
		m.Created = u.Created
	}
	if len(u.System) > 0 {
		m.System = u.System
	}
	if len(u.Tools) > 0 {
		m.Tools = u.Tools
	}
}
