package cli

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/headless"
)

// validateHeadlessExtras checks --input-format, --json-schema and
// --fallback-model against each other and the output format, as Claude
// Code does: a stream of input messages needs a stream of results to
// answer each one.
func (o *rootOptions) validateHeadlessExtras() error {
	if o.InputFormat != "" && !slices.Contains(headless.InputFormats, o.InputFormat) {
		return usageErrorf("", "--input-format %q: want one of %s", o.InputFormat, strings.Join(headless.InputFormats, ", "))
	}
	if o.InputFormat == headless.InputStreamJSON {
		if o.OutputFormat != headless.FormatStreamJSON {
			return usageErrorf("add --output-format stream-json", "--input-format stream-json requires --output-format stream-json (a result line follows each message)")
		}
		if strings.TrimSpace(o.Prompt) != "" {
			return usageErrorf(`send it as the first line: {"type":"user","message":{"role":"user","content":"..."}}`, "--input-format stream-json takes the messages from stdin, not a prompt argument")
		}
	}
	if o.JSONSchema != "" {
		if _, err := harness.CompileSchema(o.JSONSchema); err != nil {
			return &UsageError{Err: err, Hint: `give the schema inline, e.g. --json-schema '{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}'`}
		}
	}
	if o.FallbackModel != "" && strings.TrimSpace(o.FallbackModel) == "" {
		return usageErrorf("", "--fallback-model is empty")
	}
	return nil
}

// runInputStream is basalt -p --input-format stream-json: each message on
// stdin is one turn of the same session, answered by its own result
// line, until stdin ends. A turn that fails does not end the stream (the
// result line says so), but the exit code reports the first failure. A
// malformed line ends the run with exit code 2 and its line number; the
// turns before it stay answered and stored.
func runInputStream(ctx context.Context, app *App, s *harness.Session, p *headless.Printer) error {
	next := readMessages(ctx, headless.NewInputReader(app.IO.In))
	var first error
	for {
		var m message
		select {
		case <-ctx.Done():
			// Waiting on stdin is not a reason to ignore Ctrl-C.
			return ctx.Err()
		case m = <-next:
		}
		prompt, err := m.msg, m.err
		if errors.Is(err, io.EOF) {
			return first
		}
		var ie *headless.InputError
		if errors.As(err, &ie) {
			return &UsageError{Err: err, Hint: `each line must be {"type":"user","message":{"role":"user","content":"..."}}`}
		}
		if err != nil {
			return err
		}
		if prompt.Control != nil {
			if err := headless.AnswerControlWith(app.IO.Out, *prompt.Control, s.Info()); err != nil {
				return err
			}
			continue
		}
		start := time.Now()
		p.Start(s.Info())
		res, isCommand, runErr := commandBlocks(ctx, s, p, prompt.Blocks) // commands.go
		if !isCommand {
			res, runErr = s.RunContent(ctx, prompt.Blocks, p.Event)
		}
		sum := s.Summary(start, res, runErr)
		p.Finish(sum)
		if ctx.Err() != nil || errors.Is(runErr, agent.ErrInterrupted) {
			return runErr
		}
		if first == nil {
			if runErr == nil && sum.Guardrail {
				first = &guardrailError{}
			} else {
				first = runErr
			}
		}
	}
}

// message is one read from stdin: a prompt or the error that ends input.
type message struct {
	msg headless.Message
	err error
}

// readMessages reads stdin on its own goroutine, one message ahead of the
// turns, so that an interrupt is seen while basalt waits for input. It
// stops after the first error (io.EOF included) or when ctx ends; a read
// blocked on stdin then ends with the process.
func readMessages(ctx context.Context, in *headless.InputReader) <-chan message {
	ch := make(chan message)
	go func() {
		for {
			m, err := in.Next()
			select {
			case ch <- message{m, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}
