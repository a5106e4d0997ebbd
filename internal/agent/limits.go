package agent

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
)

// MaxContinuations bounds how many times one answer cut at max_tokens is
// continued: 8 continuations at the default 4096 tokens is about 36K
// tokens (some 140 KB of text), more than any answer a person reads, and
// a model that never ends on its own stops costing money there.
const MaxContinuations = 8

// maxCutCalls bounds how many answers in a row may end inside a tool call
// that did not fit even at the model's maximum output: each one gets an
// error result telling the model to split the work, and a model that
// keeps trying the same thing is stopped.
const maxCutCalls = 3

// continuationPrompt asks the model to go on with an answer cut at
// max_tokens. The cut answer stays in the conversation just before it,
// so the model sees where it stopped. Claude Code sends a hidden message
// of the same intent ("Output token limit hit. Resume directly …").
const continuationPrompt = "Your previous answer was cut off because it reached the output token limit (max_tokens). " +
	"Continue exactly where it stopped, mid-word or mid-sentence if that is where it ended: " +
	"do not repeat anything already written, do not apologise, do not recap, add no preamble."

// defaultMaxOutput is the ceiling of a retry when the catalog does not
// know the model's maximum output.
const defaultMaxOutput = 32_000

// maxOutput is the largest max_tokens the model accepts, from the catalog.
func (s *Session) maxOutput() int {
	if s.model.Model != nil && s.model.Model.MaxOutput > 0 {
		return s.model.Model.MaxOutput
	}
	return defaultMaxOutput
}

// addContinuation puts the request to go on after the cut answer. It is
// a user message of its own kind in the transcript (Entry.Continuation),
// so a resume sends it again but a frontend need not show it as typed.
func (s *Session) addContinuation() {
	blocks := []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(continuationPrompt)}
	m := anthropic.MessageParam{Role: anthropic.MessageParamRoleUser, Content: blocks}
	s.messages = append(s.messages, m)
	e := entryUser(marshal(m))
	e.Continuation = true
	s.append(e)
}

// cutCallResult is the error result of a tool call that did not fit in
// the model's maximum output even after the retry: it says why, and how
// to get the work done in pieces.
func cutCallResult(c *ToolCall, limit int) string {
	how := "Split the work into smaller calls."
	switch c.Name {
	case "Write":
		how = "Write the file in parts: Write a first part of the content, then append each further part with Edit " +
			"(old_string: the last lines written so far; new_string: those lines followed by the next part)."
	case "Edit", "MultiEdit":
		how = "Make several smaller edits instead of one large one."
	case "Bash":
		how = "Write long scripts to a file in parts first (Write, then Edit to append), then run the file."
	}
	return fmt.Sprintf("Not run: this %s call was cut off because the answer reached the output limit (max_tokens %d, the model's maximum) before the call's input was complete. %s",
		c.Name, limit, how)
}

// cutCallResults answers every call of a cut-off answer: the cut call gets
// the reason and the way to split the work, the complete ones before it
// are not run either (the answer was not complete) and say so.
func cutCallResults(calls []*ToolCall, limit int) []anthropic.ContentBlockParamUnion {
	out := make([]anthropic.ContentBlockParamUnion, len(calls))
	for i, c := range calls {
		text := "Not run: the answer was cut off (max_tokens) after this call; make it again."
		if i == len(calls)-1 {
			text = cutCallResult(c, limit)
		}
		out[i] = anthropic.NewToolResultBlock(c.ID, text, true)
	}
	return out
}

// outputLimit is the error of a run whose last answer still ended at
// max_tokens: a text answer after MaxContinuations continuations, or tool
// calls that did not fit several times in a row. The run did not finish
// its work, so it is a limit reached, never a success.
func (s *Session) outputLimit(maxTokens int, toolCall bool) *LimitError {
	return &LimitError{Kind: LimitOutput, Limit: fmt.Sprint(maxTokens), ModelMax: s.maxOutput(), ToolCall: toolCall}
}

func (e *LimitError) outputError() string {
	if e.ToolCall {
		return fmt.Sprintf("stopped: the model's tool calls were cut off at max_tokens %s %d times in a row", e.Limit, maxCutCalls)
	}
	return fmt.Sprintf("stopped: the answer was still cut off at max_tokens %s after %d continuations", e.Limit, MaxContinuations)
}

func (e *LimitError) outputHint() string {
	var b strings.Builder
	b.WriteString("ask for less at a time (one file or one section per prompt)")
	if n, err := strconv.Atoi(e.Limit); err == nil && n < e.ModelMax {
		fmt.Fprintf(&b, ", or raise CLAUDE_CODE_MAX_OUTPUT_TOKENS (this model allows up to %d)", e.ModelMax)
	}
	b.WriteString("; `basalt -c` continues the conversation")
	return b.String()
}

// applyOutputLimits sets the session's max_tokens and thinking budget on
// a request (the configuration's, for the current model).
func (s *Session) applyOutputLimits(p *anthropic.MessageNewParams) {
	if s.o.MaxTokens > 0 {
		p.MaxTokens = int64(s.o.MaxTokens)
	}
	if b := s.o.ThinkingBudget; b > 0 && b < s.o.MaxTokens {
		p.Thinking = anthropic.ThinkingConfigParamOfEnabled(int64(b))
	}
}

// SetOutputLimits changes max_tokens and the thinking budget of the
// next requests (after a model switch). Not safe to call while Run is
// running.
func (s *Session) SetOutputLimits(maxTokens, thinkingBudget int) {
	s.o.MaxTokens, s.o.ThinkingBudget = maxTokens, thinkingBudget
}
