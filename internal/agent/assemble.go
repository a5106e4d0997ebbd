package agent

import (
	"context"

	"github.com/anthropics/anthropic-sdk-go"
)

// assemble turns the run into one result block per call, in the model's
// order. The API refuses a conversation where a tool_use has no
// tool_result, so a call that never ran still gets one saying why: basalt
// failed on an earlier call, or the user interrupted the turn. The error
// is the harness failure if there was one, else ctx's.
func (r *callRun) assemble(ctx context.Context) ([]anthropic.ContentBlockParamUnion, error) {
	blocks := make([]anthropic.ContentBlockParamUnion, len(r.calls))
	for i, call := range r.calls {
		res := r.results[i]
		switch {
		case !r.done[i] && r.harnessErr != nil:
			res = callResult{content: "Not run: basalt failed on an earlier call of this turn.", isError: true}
		case !r.done[i]:
			res = callResult{content: interruptedResult, isError: true}
		}
		if res.content == "" {
			// The API refuses an empty tool_result text.
			res.content = "(no output)"
		}
		blocks[i] = toolResultBlock(call.ID, res)
	}
	for i, res := range r.results {
		if x, ok := res.display.(ResultExtra); ok && r.done[i] && !res.isError {
			blocks = append(blocks, x.ToolResultExtra()...)
		}
	}
	blocks = r.skillBlocks(blocks)
	if r.harnessErr != nil {
		return blocks, r.harnessErr
	}
	return blocks, ctx.Err()
}
