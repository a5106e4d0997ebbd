package headless

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/permission"
)

// Formats of --output-format.
const (
	FormatText       = "text"
	FormatJSON       = "json"
	FormatStreamJSON = "stream-json"
)

// Printer writes one run's output. Its methods are called from the
// goroutine running the agent.
type Printer struct {
	format  string
	out     io.Writer
	err     io.Writer
	verbose bool
	partial bool
	// progress shows the run as a person reads it (tool calls, results,
	// streamed text) on out instead of the result alone: basalt demo.
	progress bool

	mu        sync.Mutex
	sessionID string
	apiModel  string // message.model as Claude Code reports it
	// asked is when the current model request went out, near enough: the
	// run's start or the last tool results (ttft_ms of message_start).
	asked   time.Time
	denials []permissionDenial // the result's permission_denials
	midLine bool               // progress: streamed text has not ended its line
}

// Options configure a [Printer].
type Options struct {
	Format   string
	Out, Err io.Writer
	Verbose  bool
	Progress bool
	// PartialMessages: stream-json prints each raw stream event of the
	// model as a stream_event line (--include-partial-messages).
	PartialMessages bool
}

// New returns a printer.
func New(o Options) *Printer {
	return &Printer{format: o.Format, out: o.Out, err: o.Err, verbose: o.Verbose, progress: o.Progress, partial: o.PartialMessages}
}

// Start prints what stream-json consumers read first.
func (p *Printer) Start(in harness.Info) {
	p.sessionID = in.SessionID
	p.asked = now()
	p.apiModel = apiModelID(in.ModelID)
	if p.format == FormatStreamJSON {
		p.line(initLine(in))
	}
}

// Event prints one agent event as the format wants it.
func (p *Printer) Event(ev agent.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev.Kind {
	case agent.EventRetry:
		p.diag("%s", ev.Retry)
	case agent.EventNotice:
		p.diag("note: %s", ev.Text)
	case agent.EventCompacted:
		p.diag("note: the conversation was compacted to stay within the context window")
	}
	if ev.Kind == agent.EventPermission && ev.Decision != nil && ev.Decision.Behavior == permission.Deny && ev.Tool != nil {
		input := ev.Tool.Input
		if len(input) == 0 {
			input = json.RawMessage("{}")
		}
		p.denials = append(p.denials, permissionDenial{ToolName: ev.Tool.Name, ToolUseID: ev.Tool.ID, ToolInput: input})
	}
	switch {
	case p.progress:
		p.progressEvent(ev)
	case p.format == FormatStreamJSON:
		switch ev.Kind {
		case agent.EventAssistant:
			p.assistantLines(ev.Message)
		case agent.EventToolResults:
			p.userLine(ev.Message)
			p.asked = now()
		case agent.EventRetry:
			r := ev.Retry
			p.line(retryLine(r.Attempt, r.Max, r.Delay, r.Reason, p.sessionID))
		case agent.EventStream:
			if p.partial {
				p.streamEvent(ev.Message)
			}
		}
	case p.verbose:
		p.verboseEvent(ev)
	}
}

// diag writes a diagnostic line on stderr (stdout stays the result's).
func (p *Printer) diag(format string, args ...any) {
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
	// A retry or a notice may quote an error that names an endpoint or a
	// header: the one redaction rule applies.
	fmt.Fprintf(p.err, "basalt: %s\n", config.RedactText(fmt.Sprintf(format, args...)))
}

func (p *Printer) verboseEvent(ev agent.Event) {
	switch ev.Kind {
	case agent.EventToolStart:
		fmt.Fprintf(p.err, "→ %s %s\n", ev.Tool.Name, oneLine(ev.Tool.Summary(), 100))
	case agent.EventToolEnd:
		fmt.Fprintf(p.err, "  %s\n", resultLine(ev))
	case agent.EventPermission:
		fmt.Fprintf(p.err, "  %s %s: %s\n", decisionWord(ev.Decision), ev.Tool.Name, oneLine(ev.Decision.Reason, 160))
	case agent.EventUsage:
		fmt.Fprintf(p.err, "  tokens: %s\n", usageLine(ev.Usage.Turn, ev.Usage.TurnCost))
		if ev.RequestID != "" {
			fmt.Fprintf(p.err, "  request ID: %s\n", ev.RequestID)
		}
	}
}

func (p *Printer) progressEvent(ev agent.Event) {
	switch ev.Kind {
	case agent.EventText:
		fmt.Fprint(p.out, ev.Text)
		p.midLine = !strings.HasSuffix(ev.Text, "\n")
	case agent.EventReset:
		if p.midLine {
			fmt.Fprintln(p.out, " [discarded: the request is retried]")
			p.midLine = false
		}
	case agent.EventAssistant:
		if p.midLine && !ev.Continued { // a continued answer goes on in the same line
			fmt.Fprintln(p.out)
			p.midLine = false
		}
	case agent.EventToolStart:
		fmt.Fprintf(p.out, "● %s %s\n", ev.Tool.Name, oneLine(ev.Tool.Summary(), 100))
	case agent.EventToolEnd:
		fmt.Fprintf(p.out, "  ⎿ %s\n", resultLine(ev))
	case agent.EventPermission:
		fmt.Fprintf(p.out, "  %s %s: %s\n", decisionWord(ev.Decision), ev.Tool.Name, oneLine(ev.Decision.Reason, 160))
	case agent.EventUsage:
		if p.verbose {
			fmt.Fprintf(p.out, "  · %s\n", usageLine(ev.Usage.Turn, ev.Usage.TurnCost))
		}
	}
}

func decisionWord(d *permission.Decision) string {
	switch d.Behavior {
	case permission.Deny:
		return "✗ denied"
	case permission.Ask:
		return "? asked"
	}
	return "✓ allowed"
}

// resultLine is a tool result in one line: its first line, and how many
// more there are.
func resultLine(ev agent.Event) string {
	r := ev.Result
	text := strings.TrimRight(r.Content, "\n")
	lines := strings.Split(text, "\n")
	s := oneLine(lines[0], 100)
	if len(lines) > 1 {
		s += fmt.Sprintf(" (+%d lines)", len(lines)-1)
	}
	if r.IsError {
		s = "error: " + s
	}
	return s
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func usageLine(u cost.Usage, c cost.Cost) string {
	return fmt.Sprintf("%d in, %d out, %d cache read, %d cache write; cost %s",
		u.InputTokens, u.OutputTokens, u.CacheRead, u.CacheWrite(), c)
}

// Report is the human summary of a session's tokens and cost: the end of
// basalt demo, and of -p --verbose.
func Report(w io.Writer, s harness.Summary) {
	fmt.Fprintf(w, "Session %s: %s in %.1fs (%.1fs waiting for the model)\n", s.SessionID, plural(s.Turns, "model request"), s.Duration.Seconds(), s.APIDuration.Seconds())
	u := s.Usage
	fmt.Fprintf(w, "  tokens     %d uncached input, %d output, %d read from cache, %d written to cache (5 min %d, 1 h %d)\n",
		u.InputTokens, u.OutputTokens, u.CacheRead, u.CacheWrite(), u.CacheWrite5m, u.CacheWrite1h)
	fmt.Fprintf(w, "  cache hit  %.1f%% of input tokens read from cache\n", 100*u.CacheHitRatio())
	fmt.Fprintf(w, "  cost       %s on Amazon Bedrock for %s", s.Cost, s.Model)
	if s.Savings.Known && s.Savings.USD > 0 {
		fmt.Fprintf(w, " (prompt caching saved %s)", s.Savings)
	}
	fmt.Fprintln(w)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func (p *Printer) line(v any) {
	b, err := marshal(v)
	if err != nil {
		fmt.Fprintf(p.err, "basalt: encode output: %v\n", err)
		return
	}
	p.out.Write(append(b, '\n'))
}

// Finish prints the result: the text alone, or the result object.
func (p *Printer) Finish(s harness.Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
	switch p.format {
	case FormatJSON, FormatStreamJSON:
		obj := buildResult(s, p.denials)
		if p.format == FormatJSON {
			// Indented, as basalt always printed it; the fields and their
			// order are Claude Code's.
			b, _ := marshal(obj)
			var buf bytes.Buffer
			json.Indent(&buf, b, "", "  ")
			p.out.Write(append(buf.Bytes(), '\n'))
		} else {
			p.line(obj)
		}
	default:
		// Only an answer goes to stdout: a script must not take the text of
		// a run that failed or stopped at a limit for its result.
		if !p.progress && s.Result != "" && s.Subtype == harness.Success {
			fmt.Fprintln(p.out, s.Result)
		}
	}
	if p.verbose && !p.progress {
		fmt.Fprintf(p.err, "session %s: %d requests, %s, cache hit %.0f%%\n",
			s.SessionID, s.Turns, usageLine(s.Usage, s.Cost), 100*s.Usage.CacheHitRatio())
	}
}

func roundUSD(v float64) float64 {
	return float64(int64(v*1e6+0.5)) / 1e6
}
