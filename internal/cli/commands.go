package cli

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/headless"
	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// checkHeadlessCommand refuses, before anything is printed, a -p prompt
// that is a /name no custom command or skill answers to: the user meant
// a command (a typo, a file not in .claude/commands), and sending
// "/reveiw src/" to the model as a question would spend a turn on
// nothing. A prompt that only starts with a path ("/tmp/x is big") is not
// a command (slashcmd.ParseInvocation). Exit 2, with a "did you mean".
func checkHeadlessCommand(s *harness.Session, prompt string) error {
	name, _, ok := slashcmd.ParseInvocation(strings.TrimSpace(prompt))
	if !ok || s.IsCommand(name) {
		return nil
	}
	if strings.HasPrefix(name, "mcp__") && len(s.MCPServers()) > 0 {
		// A server's prompt: its server may still be starting, so the
		// turn expands it, and an unknown one is refused there.
		return nil
	}
	return &UsageError{Err: s.UnknownCommand(name), Hint: "custom commands live in .claude/commands/NAME.md and skills in .claude/skills/NAME/SKILL.md; `basalt -p` runs those, not the interactive built-ins"}
}

// runPrompt runs one headless prompt: a custom command or skill is
// expanded first (its `!` lines run, its @files attach) and runs with its
// allowed-tools and model; anything else goes to the model as typed.
func runPrompt(ctx context.Context, s *harness.Session, p *headless.Printer, on func(agent.Event), prompt string) (*agent.Result, error) {
	line := strings.TrimSpace(prompt)
	if name, _, ok := slashcmd.ParseInvocation(line); ok && s.IsCommand(name) {
		return runCommandLine(ctx, s, p, on, line)
	}
	return s.Run(ctx, prompt, on)
}

// runCommandLine expands and runs one /command line. When a `!` line is
// refused or fails, nothing reaches the model: like Claude Code 2.1.197,
// basalt prints a user line with <local-command-stderr> (stream-json
// consumers parse it), but unlike it, the result is an error and the exit
// code says why (2: refused, a configuration fix; 1: the command failed).
func runCommandLine(ctx context.Context, s *harness.Session, p *headless.Printer, on func(agent.Event), line string) (*agent.Result, error) {
	inv, _, err := s.ExpandCommand(ctx, line)
	var se *slashcmd.ShellError
	if errors.As(err, &se) {
		msg, _ := json.Marshal(map[string]string{"role": "user", "content": "<local-command-stderr>" + se.LocalCommandStderr() + "</local-command-stderr>"})
		p.Event(agent.Event{Kind: agent.EventToolResults, Message: msg})
		if se.Denied() {
			return &agent.Result{}, &UsageError{Err: se, Hint: "allow the command with --allowedTools or the command file's allowed-tools front matter"}
		}
		return &agent.Result{}, se
	}
	if err != nil {
		return &agent.Result{}, &UsageError{Err: err}
	}
	return s.RunCommand(ctx, inv, on)
}

// commandBlocks is runInputStream's expansion of a user message whose
// text is a /command line: the expanded blocks, or the blocks as they
// came when the text is no command of this session.
func commandBlocks(ctx context.Context, s *harness.Session, p *headless.Printer, blocks []anthropic.ContentBlockParamUnion) (res *agent.Result, handled bool, err error) {
	if len(blocks) != 1 || blocks[0].OfText == nil {
		return nil, false, nil
	}
	line := strings.TrimSpace(blocks[0].OfText.Text)
	name, _, ok := slashcmd.ParseInvocation(line)
	if !ok || !s.IsCommand(name) {
		return nil, false, nil
	}
	res, err = runCommandLine(ctx, s, p, p.Event, line)
	return res, true, err
}
