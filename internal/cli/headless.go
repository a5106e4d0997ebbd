package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/headless"
)

// maxStdinPrompt bounds a prompt read from stdin; beyond it the user is
// better served by a file the agent reads.
const maxStdinPrompt = 10 << 20

// prompt is the headless prompt: the arguments, then stdin when it is not
// a terminal (`git diff | basalt -p "review this"`).
func (a *App) prompt(opts *rootOptions) (string, error) {
	p := opts.Prompt
	if !a.IO.StdinIsTTY && a.IO.In != nil {
		b, err := io.ReadAll(io.LimitReader(a.IO.In, maxStdinPrompt+1))
		if err != nil {
			return "", fmt.Errorf("read the prompt from stdin: %w", err)
		}
		if len(b) > maxStdinPrompt {
			return "", usageErrorf("save it to a file and ask basalt to read it", "the prompt on stdin is over %d MiB", maxStdinPrompt>>20)
		}
		if s := strings.TrimSpace(string(b)); s != "" {
			if p != "" {
				p += "\n\n"
			}
			p += s
		}
	}
	if strings.TrimSpace(p) == "" {
		return "", usageErrorf("for example: basalt -p \"explain this repository\"", "no prompt: give one as an argument or on stdin")
	}
	return p, nil
}

// runHeadless is basalt -p.
func runHeadless(ctx context.Context, app *App, opts *rootOptions) error {
	stream := opts.InputFormat == headless.InputStreamJSON
	var prompt string
	if !stream {
		var err error
		if prompt, err = app.prompt(opts); err != nil {
			return err
		}
	}
	gc := &startupGC{}
	if holdsStartupGC(opts, prompt) {
		gc = holdStartupGC()
	}
	defer gc.release()
	start := time.Now()
	format, out := opts.OutputFormat, io.Writer(app.IO.Out)
	if format == "json" && app.Flags.Verbose {
		// Claude Code's json --verbose: every message, in one array.
		arr := newJSONArrayWriter(app.IO.Out)
		defer arr.Close()
		format, out = "stream-json", arr
	}
	p := headless.New(headless.Options{Format: format, Out: out, Err: app.IO.ErrOut, Verbose: app.Flags.Verbose, PartialMessages: opts.PartialMessages})
	// Metrics (off unless configured) see every event on its way to the
	// printer.
	tel := app.startTelemetry(ctx, app.IO.ErrOut)
	defer app.stopTelemetry(ctx, tel)
	s, notices, err := app.openSession(ctx, opts, harness.Options{Headless: true, Telemetry: tel, RefreshOutput: app.refreshToStderr, FallbackModel: opts.FallbackModel, JSONSchema: opts.JSONSchema, HookRun: app.verboseHookLines(), AgentProgress: app.verboseAgentLines()})
	if err != nil {
		return err
	}
	defer s.Close()
	for _, n := range notices {
		p.Event(agent.Event{Kind: agent.EventNotice, Text: n})
	}
	if stream {
		defer app.cleanupSessions(s)
		return runInputStream(ctx, app, s, p)
	}
	if err := checkHeadlessCommand(s, prompt); err != nil {
		return err
	}
	p.Start(s.Info())
	res, runErr := runPrompt(ctx, s, p, gc.releaseOnReply(p.Event), prompt) // commands.go
	sum := s.Summary(start, res, runErr)
	p.Finish(sum)
	// cleanupPeriodDays applies when the answer is out, so that start-up
	// never waits on it. A transcript that could not be removed is not
	// the user's emergency: it goes to the log.
	app.cleanupSessions(s)
	if runErr == nil && sum.Guardrail {
		return &guardrailError{}
	}
	return runErr
}

// cleanupSessions applies cleanupPeriodDays once the answer is out.
func (a *App) cleanupSessions(s *harness.Session) {
	if n, err := s.Cleanup(); err != nil || n > 0 {
		a.Log.Info("old sessions removed", "removed", n, "err", err)
	}
}

// refreshToStderr shows what awsAuthRefresh prints (a device code, a
// URL) on stderr, where a headless run's diagnostics go.
func (a *App) refreshToStderr(line string) {
	fmt.Fprintf(a.IO.ErrOut, "awsAuthRefresh: %s\n", line)
}

// guardrailError ends a headless run whose answer a guardrail replaced:
// the output is printed, and the exit code says it was not an answer.
type guardrailError struct{}

func (*guardrailError) Error() string {
	return "a Bedrock guardrail blocked the request; the text above is the guardrail's message, not the model's"
}
