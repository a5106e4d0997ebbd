package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// Answer is the user's reply to a permission question.
type Answer struct {
	Allow bool
	// Remember adds the decision's suggested rules for the rest of the
	// session (the UI also writes them to the local settings file).
	Remember bool
	// Message goes to the model with a refusal: what to do instead.
	Message string
}

// toolParams turns the tools into API definitions. Their order is fixed,
// so the definitions are the first, stable part of the cached prefix.
func toolParams(tools []tool.Tool) ([]anthropic.ToolUnionParam, error) {
	out := make([]anthropic.ToolUnionParam, 0, len(tools))
	for _, t := range tools {
		var schema map[string]any
		if err := json.Unmarshal(t.InputSchema(), &schema); err != nil {
			return nil, fmt.Errorf("tool %s: input schema: %w", t.Name(), err)
		}
		in := anthropic.ToolInputSchemaParam{Properties: schema["properties"], ExtraFields: map[string]any{}}
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if s, ok := r.(string); ok {
					in.Required = append(in.Required, s)
				}
			}
		}
		for k, v := range schema {
			if k != "properties" && k != "required" && k != "type" {
				in.ExtraFields[k] = v
			}
		}
		out = append(out, anthropic.ToolUnionParam{OfTool: &anthropic.ToolParam{
			Name: t.Name(), Description: anthropic.String(t.Description()), InputSchema: in,
		}})
	}
	return out, nil
}

// callResult is what one call produced, in the order of the calls.
type callResult struct {
	content string
	isError bool
	display any // tool.Result.Display, for the UI
}

const interruptedResult = "Interrupted by the user: the call did not complete."

// runTools decides and runs the calls of one assistant message. Calls that
// are allowed and read-only run together; the others run one at a time in
// the model's order, after everything before them. Every call gets a
// result, even when the turn is interrupted or the harness fails, so the
// conversation stays valid.
func (s *Session) runTools(ctx context.Context, calls []*ToolCall, on func(Event)) ([]anthropic.ContentBlockParamUnion, error) {
	results := make([]callResult, len(calls))
	done := make([]bool, len(calls))
	var batch []int
	var harnessErr error

	flush := func() {
		if len(batch) == 0 {
			return
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, i := range batch {
			on(Event{Kind: EventToolStart, Tool: calls[i]})
		}
		for _, i := range batch {
			wg.Go(func() {
				r, err := s.execute(ctx, calls[i])
				mu.Lock()
				defer mu.Unlock()
				results[i], done[i] = r, true
				if err != nil && !errors.Is(err, context.Canceled) && harnessErr == nil {
					harnessErr = err
				}
			})
		}
		wg.Wait()
		for _, i := range batch {
			on(Event{Kind: EventToolEnd, Tool: calls[i], Result: &tool.Result{Content: results[i].content, IsError: results[i].isError, Display: results[i].display}})
		}
		batch = batch[:0]
	}

calls:
	for i, call := range calls {
		if ctx.Err() != nil || harnessErr != nil {
			break
		}
		t, ok := s.tools[call.Name]
		if !ok {
			results[i], done[i] = callResult{content: fmt.Sprintf("There is no tool named %q. The tools are: %s.", call.Name, s.toolNames()), isError: true}, true
			continue
		}
		d := s.o.Permissions.Decide(permission.Request{Tool: call.Name, Input: call.Input, WorkDir: s.o.ToolSession.WorkDir()})
		switch d.Behavior {
		case permission.Allow:
			if t.ReadOnly() {
				batch = append(batch, i)
				continue
			}
		case permission.Deny:
			flush()
			on(Event{Kind: EventPermission, Tool: call, Decision: &d})
			results[i], done[i] = callResult{content: "Permission denied: " + d.Reason, isError: true}, true
			continue
		case permission.Ask:
			flush()
			on(Event{Kind: EventPermission, Tool: call, Decision: &d})
			ans, err := s.ask(ctx, call, d)
			if err != nil {
				break calls // cancelled while asking: the call gets the interrupted result
			}
			if !ans.Allow {
				msg := "The user did not allow this call."
				if ans.Message != "" {
					msg += " They said: " + ans.Message
				}
				results[i], done[i] = callResult{content: msg, isError: true}, true
				continue
			}
			if ans.Remember {
				for _, r := range d.Suggestions {
					_ = s.o.Permissions.AddRule(permission.Allow, r)
				}
			}
		}
		flush()
		on(Event{Kind: EventToolStart, Tool: call})
		r, err := s.execute(ctx, call)
		results[i], done[i] = r, true
		on(Event{Kind: EventToolEnd, Tool: call, Result: &tool.Result{Content: r.content, IsError: r.isError, Display: r.display}})
		if err != nil && !errors.Is(err, context.Canceled) {
			harnessErr = err
		}
	}
	if ctx.Err() == nil && harnessErr == nil {
		flush()
	}
	blocks := make([]anthropic.ContentBlockParamUnion, len(calls))
	for i, call := range calls {
		r := results[i]
		switch {
		case !done[i] && harnessErr != nil:
			r = callResult{content: "Not run: basalt failed on an earlier call of this turn.", isError: true}
		case !done[i]:
			r = callResult{content: interruptedResult, isError: true}
		}
		if r.content == "" {
			r.content = "(no output)"
		}
		blocks[i] = anthropic.NewToolResultBlock(call.ID, r.content, r.isError)
	}
	if harnessErr != nil {
		return blocks, harnessErr
	}
	return blocks, ctx.Err()
}

func (s *Session) execute(ctx context.Context, call *ToolCall) (callResult, error) {
	t := s.tools[call.Name]
	res, err := t.Run(ctx, s.o.ToolSession, call.Input)
	if err != nil && ctx.Err() == nil {
		return callResult{content: fmt.Sprintf("The tool failed inside basalt: %v", err), isError: true}, fmt.Errorf("tool %s: %w", call.Name, err)
	}
	if ctx.Err() != nil && res.Content == "" {
		res = tool.Result{Content: interruptedResult, IsError: true}
	}
	return callResult{res.Content, res.IsError, res.Display}, err
}

// ask puts a permission question to the user, or refuses when nobody can
// answer.
func (s *Session) ask(ctx context.Context, call *ToolCall, d permission.Decision) (Answer, error) {
	if s.o.Ask == nil {
		return Answer{Message: d.Reason}, nil
	}
	return s.o.Ask(ctx, call, d)
}

func (s *Session) toolNames() string {
	names := ""
	for i, t := range s.o.Tools {
		if i > 0 {
			names += ", "
		}
		names += t.Name()
	}
	return names
}
