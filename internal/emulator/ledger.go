package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Record is one request as the ledger keeps it (DESIGN.md §7). Every
// request gets one, errors and authentication failures included.
type Record struct {
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"` // escaped, as on the wire
	Operation string    `json:"operation"`
	Model     string    `json:"model"` // the model ID of the path, decoded
	Status    int       `json:"status"`
	// ErrorType is the exception sent, before the first byte or inside
	// the stream, or "disconnect" for a cut connection, or
	// "client-closed" when the client went away.
	ErrorType   string `json:"error_type"`
	Auth        string `json:"auth"` // sigv4, bearer or none
	AccessKeyID string `json:"access_key_id"`
	Region      string `json:"region"` // of the SigV4 credential scope
	Stream      bool   `json:"stream"`

	MaxTokens      int `json:"max_tokens"`
	ThinkingBudget int `json:"thinking_budget"`
	// ThinkingType is thinking.type (enabled, adaptive, disabled; "" for
	// none) and Effort output_config.effort, so a test can see the shape
	// of a request per model.
	ThinkingType string `json:"thinking_type"`
	Effort       string `json:"effort"`
	// GuardTagged: the body named an input-tag suffix for the guardrail.
	GuardTagged   bool     `json:"guard_tagged"`
	AnthropicBeta []string `json:"anthropic_beta"`
	Breakpoints   int      `json:"breakpoints"`
	TTLs          []string `json:"ttls"`

	// ServiceTier is the X-Amzn-Bedrock-Service-Tier the request asked
	// for, "" when none (servicetier.go).
	ServiceTier string `json:"service_tier"`

	GuardrailID      string `json:"guardrail_id"`
	GuardrailVersion string `json:"guardrail_version"`

	InputTokens              int `json:"input_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	OutputTokens             int `json:"output_tokens"`

	RequestBytes int `json:"request_bytes"`

	// Images are the image blocks of the request (tool results
	// included) as "image/png 64x48"; Documents counts document blocks.
	Images    []string `json:"images"`
	Documents int      `json:"documents"`
}

// maxRecords bounds the in-process ledger of a long-running emulator.
const maxRecords = 1 << 16

// ledger keeps the records in memory and writes them out.
type ledger struct {
	mu     sync.Mutex
	recs   []Record // a ring once full: the oldest is at head
	head   int
	out    io.Writer // JSON lines
	log    io.Writer // human lines
	broken bool      // a write to out failed; reported once on log
}

func newLedger(out, log io.Writer) *ledger {
	return &ledger{out: out, log: log}
}

func (l *ledger) add(r Record) {
	// Empty lists are [] on the wire, so readers need no null check.
	if r.AnthropicBeta == nil {
		r.AnthropicBeta = []string{}
	}
	if r.TTLs == nil {
		r.TTLs = []string{}
	}
	if r.Images == nil {
		r.Images = []string{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.recs) < maxRecords {
		l.recs = append(l.recs, r)
	} else {
		l.recs[l.head] = r
		l.head = (l.head + 1) % maxRecords
	}
	if l.out != nil && !l.broken {
		line, _ := json.Marshal(r)
		if _, err := l.out.Write(append(line, '\n')); err != nil {
			l.broken = true
			if l.log != nil {
				fmt.Fprintf(l.log, "ledger: write: %v (no more ledger lines)\n", err)
			}
		}
	}
	if l.log != nil {
		io.WriteString(l.log, r.line())
	}
}

func (l *ledger) records() []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Record, 0, len(l.recs))
	out = append(out, l.recs[l.head:]...)
	return append(out, l.recs[:l.head]...)
}

// line is the record as one human-readable log line.
func (r Record) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %d", r.Time.Format("15:04:05.000"), r.Method, r.Path, r.Status)
	if r.ErrorType != "" {
		b.WriteString(" " + r.ErrorType)
	}
	if r.Operation != "" {
		b.WriteString(" " + r.Operation)
	}
	if r.Auth != "none" {
		b.WriteString(" auth=" + r.Auth)
		if r.AccessKeyID != "" {
			b.WriteString(":" + r.AccessKeyID)
		}
	}
	if r.InputTokens+r.OutputTokens+r.CacheReadInputTokens+r.CacheCreationInputTokens > 0 {
		fmt.Fprintf(&b, " in=%d cache_write=%d cache_read=%d out=%d",
			r.InputTokens, r.CacheCreationInputTokens, r.CacheReadInputTokens, r.OutputTokens)
	}
	if r.GuardrailID != "" {
		fmt.Fprintf(&b, " guardrail=%s:%s", r.GuardrailID, r.GuardrailVersion)
	}
	b.WriteByte('\n')
	return b.String()
}
