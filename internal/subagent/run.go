package subagent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/agentdef"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/tool"
)

// Display is the Agent call's Result.Display: what a frontend shows on
// the call's line once it ends.
type Display struct {
	AgentID, AgentType, Description string
	Model                           string
	ToolUses, Requests              int
	Usage                           cost.Usage
	Cost                            cost.Cost
	Duration                        time.Duration
}

// RunCall runs one subagent to its final message. A problem the model
// can act on (an unknown type, a model that does not resolve, the
// subagent's own failure) is an error result; cancellation returns the
// interrupted result with ctx.Err().
func (t *Tool) RunCall(ctx context.Context, _ *tool.Session, call *agent.ToolCall) (tool.Result, error) {
	in, def, bad, ok := t.decode(call.Input)
	if !ok {
		return bad, nil
	}
	parent := t.session()
	if parent == nil {
		return tool.Result{}, errors.New("agent tool: no session attached")
	}
	select {
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		return tool.Result{Content: "Interrupted by the user before the agent started.", IsError: true}, ctx.Err()
	}
	defer func() { <-t.slots }()

	opts := parent.SubagentOptions()
	m, err := t.pickModel(ctx, def, in, opts.Models)
	if err != nil {
		return errorResult("The %s agent cannot start: its model: %v", def.Name, err), nil
	}
	opts.Models = provider.Models{Primary: m, SmallFast: opts.Models.SmallFast, SmallFastRegion: opts.Models.SmallFastRegion}
	fitOutput(&opts, m)
	opts.Tools = restrict(opts.Tools, def)
	opts.SystemPrompt = def.Prompt
	if t.cfg.NewToolSession != nil {
		if opts.ToolSession, err = t.cfg.NewToolSession(); err != nil {
			return tool.Result{}, fmt.Errorf("agent tool: tool session: %w", err)
		}
	}
	if ask := opts.Ask; ask != nil {
		opts.Ask = func(ctx context.Context, c *agent.ToolCall, d permission.Decision) (agent.Answer, error) {
			t.ask.Lock()
			defer t.ask.Unlock()
			return ask(ctx, c, d)
		}
	}
	id := newAgentID()
	opts.Sidechain = &agent.Sidechain{Parent: parent, AgentID: id, AgentType: def.Name}

	start := time.Now()
	child, err := agent.New(ctx, opts)
	if err != nil {
		if opts.ToolSession != nil && t.cfg.NewToolSession != nil {
			opts.ToolSession.Close()
		}
		return tool.Result{}, fmt.Errorf("agent tool: start %s agent: %w", def.Name, err)
	}
	d := &Display{AgentID: id, AgentType: def.Name, Description: in.Description, Model: m.ID, Cost: cost.Cost{Known: true}}
	progress := func(line string, done bool) {
		if t.cfg.Progress != nil {
			t.cfg.Progress(Progress{CallID: call.ID, Agent: def.Name, Line: line, Done: done})
		}
	}
	progress("starting on "+m.ID, false)
	res, runErr := child.Run(ctx, in.Prompt, func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventToolStart:
			d.ToolUses++
			progress(strings.TrimSpace(ev.Tool.Name+" "+ev.Tool.Summary()), false)
		case agent.EventUsage:
			d.Requests++
			d.Usage = d.Usage.Add(ev.Usage.Turn)
			d.Cost = d.Cost.Add(ev.Usage.TurnCost)
		case agent.EventRetry:
			progress("retrying: "+ev.Retry.Reason, false)
		}
	})
	d.Duration = time.Since(start)
	closeErr := child.Close()
	noteErr := parent.NoteSubagent(call.ID, child, m.ID, d.Usage, d.Cost)
	progress(fmt.Sprintf("done (%d tool uses, %s)", d.ToolUses, d.Duration.Round(100*time.Millisecond)), true)
	if closeErr != nil || noteErr != nil {
		// The answer is not lost for a transcript that could not be
		// written: the model gets it, and the harness fails the turn.
		return t.result(res, d), fmt.Errorf("agent tool: %s transcript: %w", def.Name, errors.Join(closeErr, noteErr))
	}
	switch {
	case ctx.Err() != nil:
		text := "Interrupted by the user: the agent was stopped before it finished."
		if res != nil && res.Text != "" {
			text += " Its last message:\n" + res.Text
		}
		return tool.Result{Content: text, IsError: true, Display: d}, ctx.Err()
	case runErr != nil:
		return tool.Result{Content: fmt.Sprintf("The %s agent stopped: %v", def.Name, runErr), IsError: true, Display: d}, nil
	}
	return t.result(res, d), nil
}

// result is the tool result of a finished subagent: its final message
// and, as Claude Code appends, its ID and what it took.
func (t *Tool) result(res *agent.Result, d *Display) tool.Result {
	text := ""
	if res != nil {
		text = strings.TrimSpace(res.Text)
	}
	if text == "" {
		text = "The agent finished without a final message."
	}
	tokens := d.Usage.TotalInput() + d.Usage.OutputTokens
	text += fmt.Sprintf("\n\nagentId: %s\n<usage>subagent_tokens: %d\ntool_uses: %d\nduration_ms: %d</usage>", d.AgentID, tokens, d.ToolUses, d.Duration.Milliseconds())
	return tool.Result{Content: text, Display: d}
}

// pickModel is the subagent's model: CLAUDE_CODE_SUBAGENT_MODEL, else the
// call's, else the agent type's; "inherit" and "" are the session's.
func (t *Tool) pickModel(ctx context.Context, def agentdef.Definition, in Input, ms provider.Models) (model.Resolved, error) {
	name := strings.TrimSpace(t.cfg.ModelOverride)
	if name == "" {
		name = strings.TrimSpace(in.Model)
	}
	if name == "" {
		name = def.Model
	}
	switch name {
	case "", agentdef.ModelInherit:
		return ms.Primary, nil
	case agentdef.ModelSmallFast:
		if ms.SmallFast.ID == "" {
			return ms.Primary, nil
		}
		return ms.SmallFast, nil
	}
	if t.cfg.ResolveModel == nil {
		return ms.Primary, nil
	}
	return t.cfg.ResolveModel(ctx, name)
}

// restrict is the session's tools the agent type may use, in the
// session's order (so agents of one type share a cached prefix).
func restrict(all []tool.Tool, def agentdef.Definition) []tool.Tool {
	var out []tool.Tool
	for _, tl := range all {
		if def.Allows(tl.Name()) {
			out = append(out, tl)
		}
	}
	return out
}

// fitOutput keeps the session's output limits within the subagent's
// model, which may be smaller.
func fitOutput(o *agent.Options, m model.Resolved) {
	if m.Model == nil || m.Model.MaxOutput <= 0 {
		return
	}
	if o.MaxTokens > m.Model.MaxOutput {
		o.MaxTokens = m.Model.MaxOutput
	}
	if o.ThinkingBudget > 0 && o.MaxTokens > 0 && o.ThinkingBudget >= o.MaxTokens {
		o.ThinkingBudget = 0
	}
}

// newAgentID is an agent ID of Claude Code's form: "a" and 16 hex digits.
func newAgentID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return "a" + hex.EncodeToString(b[:])
}
