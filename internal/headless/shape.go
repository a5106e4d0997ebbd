package headless

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
)

// This file gives -p's JSON the shape of Claude Code's (recorded in
// testdata/claude-code): scripts written for `claude -p` read the same
// fields, with the same types and nesting, from basalt.

// newUUID and now are variables so that golden tests can fix them.
var (
	newUUID = randomUUID
	now     = time.Now
)

// randomUUID is a random (version 4) UUID: the "uuid" of every line, as
// Claude Code gives one to each message it prints.
func randomUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported systems; a zero UUID
		// still parses.
		return "00000000-0000-4000-8000-000000000000"
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// marshal encodes v without HTML escaping: Claude Code prints "&", "<"
// and ">" as they are, and a script comparing text must see the same.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return unescapeHTML(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// unescapeHTML turns \u0026, \u003c and \u003e back into "&", "<" and
// ">": SetEscapeHTML does not reach inside a json.RawMessage (a stored
// message, a raw stream event), which Go encoders upstream escaped.
// An escaped backslash before "u0026" is text, and stays.
func unescapeHTML(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u00`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) {
			switch string(bytes.ToLower(b[i+2 : i+6])) {
			case "0026":
				out = append(out, '&')
				i += 5
				continue
			case "003c":
				out = append(out, '<')
				i += 5
				continue
			case "003e":
				out = append(out, '>')
				i += 5
				continue
			}
		}
		out = append(out, b[i], b[i+1]) // an escape: its character is not a new escape
		i++
	}
	return out
}

// initJSON is the first stream-json line, Claude Code's system/init with
// basalt's version added. Lists basalt does not have yet are empty, not
// absent, so that a consumer iterating them works.
type initJSON struct {
	Type           string   `json:"type"`
	Subtype        string   `json:"subtype"`
	CWD            string   `json:"cwd"`
	SessionID      string   `json:"session_id"`
	Tools          []string `json:"tools"`
	MCPServers     []any    `json:"mcp_servers"`
	Model          string   `json:"model"`
	PermissionMode string   `json:"permissionMode"`
	SlashCommands  []string `json:"slash_commands"`
	APIKeySource   string   `json:"apiKeySource"`
	OutputStyle    string   `json:"output_style"`
	Agents         []string `json:"agents"`
	Skills         []string `json:"skills"`
	Plugins        []any    `json:"plugins"`
	UUID           string   `json:"uuid"`
	BasaltVersion  string   `json:"basalt_version"`
}

// mcpServerJSON is an MCP server in the init line, as Claude Code
// writes it.
type mcpServerJSON struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

func initLine(in harness.Info) initJSON {
	tools := in.Tools
	if tools == nil {
		tools = []string{}
	}
	servers := []any{}
	for _, m := range in.MCPServers {
		servers = append(servers, mcpServerJSON{Name: m.Name, Status: m.Status})
	}
	return initJSON{
		Type: "system", Subtype: "init", CWD: in.WorkDir, SessionID: in.SessionID, Tools: tools,
		MCPServers: servers, Model: in.ModelID, PermissionMode: in.PermissionMode,
		SlashCommands: nonNil(in.SlashCommands), APIKeySource: "none", OutputStyle: cmp.Or(in.OutputStyle, "default"),
		Agents: nonNil(in.AgentNames), Skills: nonNil(in.Skills), Plugins: []any{}, UUID: newUUID(), BasaltVersion: in.Version,
	}
}

// resultJSON is the result object: Claude Code's fields in its order,
// then basalt's own (model, error). Result is null when the run failed or
// stopped at a limit: a script must not take that text for an answer.
// TotalCostUSD is null when a price is unknown.
type resultJSON struct {
	Type              string                `json:"type"`
	Subtype           string                `json:"subtype"`
	IsError           bool                  `json:"is_error"`
	APIErrorStatus    *int                  `json:"api_error_status"`
	DurationMS        int64                 `json:"duration_ms"`
	DurationAPIMS     int64                 `json:"duration_api_ms"`
	NumTurns          int                   `json:"num_turns"`
	Result            *string               `json:"result"`
	StopReason        *string               `json:"stop_reason"`
	SessionID         string                `json:"session_id"`
	TotalCostUSD      *float64              `json:"total_cost_usd"`
	Usage             resultUsage           `json:"usage"`
	ModelUsage        map[string]modelUsage `json:"modelUsage"`
	PermissionDenials []permissionDenial    `json:"permission_denials"`
	TerminalReason    string                `json:"terminal_reason"`
	FastModeState     string                `json:"fast_mode_state"`
	UUID              string                `json:"uuid"`
	Errors            []string              `json:"errors"`
	Model             string                `json:"model"`
	Error             string                `json:"error,omitempty"`
	// StructuredOutput is the --json-schema answer, as Claude Code names it.
	StructuredOutput json.RawMessage `json:"structured_output,omitempty"`
}

type resultUsage struct {
	InputTokens              int           `json:"input_tokens"`
	CacheCreationInputTokens int           `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int           `json:"cache_read_input_tokens"`
	OutputTokens             int           `json:"output_tokens"`
	ServerToolUse            serverToolUse `json:"server_tool_use"`
	ServiceTier              string        `json:"service_tier"`
	CacheCreation            cacheCreation `json:"cache_creation"`
	InferenceGeo             string        `json:"inference_geo"`
	Iterations               []any         `json:"iterations"`
	Speed                    string        `json:"speed"`
}

type serverToolUse struct {
	WebSearchRequests int `json:"web_search_requests"`
	WebFetchRequests  int `json:"web_fetch_requests"`
}

type cacheCreation struct {
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
}

// modelUsage is one model's share of the run, keyed by the model ID sent.
// CostUSD is 0 when the price is unknown (total_cost_usd says null).
type modelUsage struct {
	InputTokens              int     `json:"inputTokens"`
	OutputTokens             int     `json:"outputTokens"`
	CacheReadInputTokens     int     `json:"cacheReadInputTokens"`
	CacheCreationInputTokens int     `json:"cacheCreationInputTokens"`
	WebSearchRequests        int     `json:"webSearchRequests"`
	CostUSD                  float64 `json:"costUSD"`
	ContextWindow            int     `json:"contextWindow"`
	MaxOutputTokens          int     `json:"maxOutputTokens"`
}

// permissionDenial is a tool call the permission rules refused.
type permissionDenial struct {
	ToolName  string          `json:"tool_name"`
	ToolUseID string          `json:"tool_use_id"`
	ToolInput json.RawMessage `json:"tool_input"`
}

// terminal reasons, Claude Code's names for why the loop ended.
func terminalReason(subtype string) string {
	switch subtype {
	case harness.ErrorMaxTurns:
		return "max_turns"
	case harness.ErrorMaxBudget:
		return "max_budget_usd"
	case harness.ErrorDuringExecution:
		return "error"
	}
	return "completed"
}

func buildResult(s harness.Summary, denials []permissionDenial) resultJSON {
	u := s.Usage
	obj := resultJSON{
		Type: "result", Subtype: s.Subtype, IsError: s.Subtype != harness.Success,
		DurationMS: s.Duration.Milliseconds(), DurationAPIMS: s.APIDuration.Milliseconds(),
		NumTurns: s.Turns, SessionID: s.SessionID, Model: s.Model, Error: s.Error, StructuredOutput: s.StructuredOutput,
		Usage: resultUsage{
			InputTokens: u.InputTokens, CacheCreationInputTokens: u.CacheWrite(),
			CacheReadInputTokens: u.CacheRead, OutputTokens: u.OutputTokens,
			ServiceTier: "standard", CacheCreation: cacheCreation{Ephemeral1h: u.CacheWrite1h, Ephemeral5m: u.CacheWrite5m},
			Iterations: []any{}, Speed: "standard",
		},
		ModelUsage:        map[string]modelUsage{},
		PermissionDenials: denials,
		TerminalReason:    terminalReason(s.Subtype),
		FastModeState:     "off",
		UUID:              newUUID(),
		Errors:            []string{},
	}
	if obj.PermissionDenials == nil {
		obj.PermissionDenials = []permissionDenial{}
	}
	if !obj.IsError {
		r := s.Result
		obj.Result = &r
	}
	if s.APIErrorStatus != 0 {
		status := s.APIErrorStatus
		obj.APIErrorStatus = &status
	}
	if s.StopReason != "" {
		sr := s.StopReason
		obj.StopReason = &sr
	}
	if s.Error != "" {
		obj.Errors = append(obj.Errors, s.Error)
	}
	var usd float64
	if s.Cost.Known {
		usd = roundUSD(s.Cost.USD)
		obj.TotalCostUSD = &usd
	}
	// One entry per model, as Claude Code: the primary, and each model
	// the small/fast side calls and the subagents used.
	for _, m := range s.ModelUsage {
		mu := m.Usage
		var c float64
		if m.Cost.Known {
			c = roundUSD(m.Cost.USD)
		}
		obj.ModelUsage[m.Model] = modelUsage{
			InputTokens: mu.InputTokens, OutputTokens: mu.OutputTokens,
			CacheReadInputTokens: mu.CacheRead, CacheCreationInputTokens: mu.CacheWrite(),
			CostUSD: c, ContextWindow: m.ContextWindow, MaxOutputTokens: m.MaxOutput,
		}
	}
	if len(s.ModelUsage) == 0 && (s.Turns > 0 || u.InputTokens+u.OutputTokens+u.CacheRead+u.CacheWrite() > 0) {
		obj.ModelUsage[s.Model] = modelUsage{
			InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
			CacheReadInputTokens: u.CacheRead, CacheCreationInputTokens: u.CacheWrite(),
			CostUSD: usd, ContextWindow: s.ContextWindow, MaxOutputTokens: s.MaxOutput,
		}
	}
	return obj
}

// apiRetryJSON is Claude Code's system/api_retry line: a stream-json
// consumer learns that partial output of the failed attempt is void and
// a new attempt follows. Attempts count retries from 1, as Claude Code's
// do. error_status is null: basalt's retry notice carries no status.
type apiRetryJSON struct {
	Type         string  `json:"type"`
	Subtype      string  `json:"subtype"`
	Attempt      int     `json:"attempt"`
	MaxRetries   int     `json:"max_retries"`
	RetryDelayMS float64 `json:"retry_delay_ms"`
	ErrorStatus  *int    `json:"error_status"`
	Error        string  `json:"error"`
	SessionID    string  `json:"session_id"`
	UUID         string  `json:"uuid"`
}

// retryLine takes the retry notice's fields (agent.Event.Retry): headless
// sits above the provider layer and does not name its types.
func retryLine(attempt, max int, delay time.Duration, reason, sessionID string) apiRetryJSON {
	return apiRetryJSON{
		Type: "system", Subtype: "api_retry", Attempt: attempt - 1, MaxRetries: max - 1,
		RetryDelayMS: float64(delay.Milliseconds()), Error: config.RedactText(reason),
		SessionID: sessionID, UUID: newUUID(),
	}
}

// timestamp is a user line's time, as Claude Code writes it.
func timestamp() string { return now().UTC().Format("2006-01-02T15:04:05.000Z") }

// nonNil keeps an empty list a JSON [] rather than null, as Claude Code
// prints it.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
