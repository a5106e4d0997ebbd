package hooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Decision is a PreToolUse or PermissionRequest verdict on a tool call.
type Decision string

// The decisions, strongest first: when hooks disagree the strongest wins
// (Claude Code: deny > defer > ask > allow).
const (
	DecisionNone  Decision = ""
	DecisionAllow Decision = "allow"
	DecisionAsk   Decision = "ask"
	DecisionDefer Decision = "defer"
	DecisionDeny  Decision = "deny"
)

func (d Decision) rank() int {
	return map[Decision]int{DecisionNone: 0, DecisionAllow: 1, DecisionAsk: 2, DecisionDefer: 3, DecisionDeny: 4}[d]
}

// Outcome is what the hooks of one event decided, combined. The zero
// Outcome (no hook ran) changes nothing. What each field means for each
// event is in WIRING.md; in short:
type Outcome struct {
	Event   Event
	Results []Result // one per hook that ran, in settings order

	// Blocked: a hook exited 2, or answered decision "block" or
	// permissionDecision "deny" — on an event that can be blocked
	// (PreToolUse: the call does not run; PostToolUse/Failure: Reasons go
	// to the model; UserPromptSubmit: the prompt is erased; Stop and
	// SubagentStop: the turn goes on with Reasons as the model's next
	// input; PreCompact: no compaction; PermissionRequest: denied).
	// On other events exit 2 is a non-blocking error (Errors).
	Blocked bool
	// Reasons are the blocking reasons in hook order: "[command]: stderr"
	// for exit 2, the JSON reason otherwise. See [Outcome.Message].
	Reasons []string

	// Decision is the strongest permissionDecision of PreToolUse hooks
	// (deny when Blocked), with the reason of the hook that gave it.
	Decision       Decision
	DecisionReason string
	// UpdatedInput replaces the tool input: from a hook whose decision is
	// the winning allow or ask, or from a hook that gave no decision.
	UpdatedInput json.RawMessage

	// PermissionRequest is a PermissionRequest hook's answer in place of
	// the user's (deny wins over allow).
	PermissionRequest *PermissionRequestDecision

	// UpdatedToolOutput replaces what the model sees of a tool's result
	// (PostToolUse).
	UpdatedToolOutput json.RawMessage

	// Stop is set when a hook answered continue: false: the turn (or
	// session start, prompt, …) stops after this event, StopReason shown
	// to the user and not to the model.
	Stop       bool
	StopReason string

	// Context is text for the model: additionalContext, and the plain
	// stdout of exit-0 hooks of UserPromptSubmit and SessionStart; for
	// PreCompact, plain stdout is extra compaction instructions.
	Context []string
	// SystemMessages are shown to the user (systemMessage).
	SystemMessages []string
	// Errors are non-blocking failures shown to the user: other exit
	// codes, timeouts, hooks that could not start, JSON Claude Code would
	// refuse.
	Errors []string
	// Verbose is the stdout of hooks that succeeded, for --verbose and the
	// transcript view, unless they asked suppressOutput.
	Verbose []string
}

// blockable lists the events on which exit 2 (or decision "block")
// blocks; elsewhere Claude Code shows it as a plain error.
var blockable = map[Event]bool{
	PreToolUse: true, PostToolUse: true, PostToolUseFailure: true, PostToolBatch: true,
	PermissionRequest: true, UserPromptSubmit: true, UserPromptExpansion: true,
	Stop: true, SubagentStop: true, PreCompact: true, TeammateIdle: true,
	TaskCreated: true, TaskCompleted: true, Elicitation: true, ElicitationResult: true,
	ConfigChange: true,
}

// stdoutIsContext lists the events whose exit-0 plain stdout the model
// reads.
var stdoutIsContext = map[Event]bool{UserPromptSubmit: true, SessionStart: true, PreCompact: true, Setup: true, SubagentStart: true, UserPromptExpansion: true}

// missingScript is how a shell says a hook script is missing: Claude Code
// does not let that block a Stop hook forever.
var missingScript = lazyre.New(`(?i)no such file|can't open`)

func combine(ev Event, results []Result) Outcome {
	o := Outcome{Event: ev, Results: results}
	var inputs []proposal
	for _, r := range results {
		cmd := r.Hook.Command
		switch {
		case r.Err != nil:
			o.Errors = append(o.Errors, fmt.Sprintf("%s hook %q failed to run: %v", ev, cmd, r.Err))
			continue
		case r.TimedOut:
			o.Errors = append(o.Errors, fmt.Sprintf("%s hook %q timed out after %s and was stopped", ev, cmd, r.Hook.timeout().Round(time.Millisecond)))
			continue
		case r.Canceled:
			o.Errors = append(o.Errors, fmt.Sprintf("%s hook %q was cancelled", ev, cmd))
			continue
		}
		out, isJSON, err := parseOutput(ev, r.Stdout)
		if err != nil {
			o.Errors = append(o.Errors, fmt.Sprintf("%s hook %q: %v", ev, cmd, err))
			if r.ExitCode == 2 {
				// Claude Code drops the exit code with the answer it
				// refused, so a guard printing {"decision":"deny"} and
				// exiting 2 lets the call run there (measured with
				// v2.1.197 against the emulator: the Bash call ran). The exit code alone
				// says "block": basalt does not allow more than it says.
				o.block(ev, exit2Reason(r))
			}
			continue
		}
		if isJSON {
			blocked := o.applyJSON(ev, out, &inputs)
			if r.ExitCode == 2 && !blocked {
				o.block(ev, exit2Reason(r))
			}
			if r.ExitCode == 0 && !out.SuppressOutput {
				o.Verbose = append(o.Verbose, r.Stdout)
			}
			continue
		}
		switch r.ExitCode {
		case 0:
			if out := strings.TrimSpace(r.Stdout); out != "" {
				if stdoutIsContext[ev] {
					o.Context = append(o.Context, out)
				}
				o.Verbose = append(o.Verbose, r.Stdout)
			}
		case 2:
			if (ev == Stop || ev == SubagentStop) && strings.TrimSpace(r.Stdout) == "" && missingScript().MatchString(r.Stderr) {
				o.Errors = append(o.Errors, fmt.Sprintf("%s hook script appears to be missing: %q exited 2 with: %s", ev, cmd, strings.TrimSpace(r.Stderr)))
				continue
			}
			o.block(ev, exit2Reason(r))
		default:
			msg := strings.TrimSpace(r.Stderr)
			if msg == "" {
				msg = "No stderr output"
			}
			o.Errors = append(o.Errors, fmt.Sprintf("%s hook %q failed with non-blocking status code %d: %s", ev, cmd, r.ExitCode, msg))
		}
	}
	if o.Blocked && ev == PreToolUse && o.Decision != DecisionDeny {
		// An exit 2 (or decision "block") denies whatever others allowed.
		o.Decision, o.DecisionReason = DecisionDeny, strings.Join(o.Reasons, "\n")
	}
	o.UpdatedInput = pickInput(o.Decision, inputs)
	return o
}

// proposal is an updatedInput with the decision its hook gave.
type proposal struct {
	decision Decision
	input    json.RawMessage
}

// pickInput chooses the tool input that applies: that of the first hook
// whose decision is the winning allow or ask, else the last one given
// without a decision; none when the call is denied or deferred.
func pickInput(final Decision, ps []proposal) json.RawMessage {
	if final == DecisionDeny || final == DecisionDefer {
		return nil
	}
	if final != DecisionNone {
		for _, p := range ps {
			if p.decision == final {
				return p.input
			}
		}
	}
	var out json.RawMessage
	for _, p := range ps {
		if p.decision == DecisionNone {
			out = p.input
		}
	}
	return out
}

// exit2Reason is Claude Code's blocking message for an exit 2.
func exit2Reason(r Result) string {
	msg := r.Stderr
	if strings.TrimSpace(msg) == "" {
		msg = "No stderr output"
	}
	return "[" + r.Hook.Command + "]: " + strings.TrimRight(msg, "\n")
}

// block records a blocking reason, or on an event that cannot be blocked
// a non-blocking error.
func (o *Outcome) block(ev Event, reason string) {
	if !blockable[ev] {
		o.Errors = append(o.Errors, fmt.Sprintf("%s hook error (it cannot block): %s", ev, reason))
		return
	}
	o.Blocked = true
	o.Reasons = append(o.Reasons, reason)
}

// applyJSON folds one hook's JSON answer into o; it reports whether the
// answer blocked.
func (o *Outcome) applyJSON(ev Event, out *Output, inputs *[]proposal) bool {
	blocked := false
	if out.Continue != nil && !*out.Continue {
		o.Stop = true
		if out.StopReason != "" && o.StopReason == "" {
			o.StopReason = out.StopReason
		}
	}
	if out.SystemMessage != "" {
		o.SystemMessages = append(o.SystemMessages, out.SystemMessage)
	}
	var decision Decision
	reason := out.Reason
	switch out.Decision {
	case "approve":
		decision = DecisionAllow
	case "block":
		decision = DecisionDeny
		blocked = true
		o.block(ev, orDefault(out.Reason, "Blocked by hook"))
	}
	var updated json.RawMessage
	if s := out.HookSpecificOutput; s != nil {
		if s.AdditionalContext != "" {
			o.Context = append(o.Context, s.AdditionalContext)
		}
		switch ev {
		case PreToolUse:
			if s.PermissionDecision != "" {
				decision = Decision(s.PermissionDecision)
				reason = s.PermissionDecisionReason
				if decision == DecisionDeny && !blocked {
					blocked = true
					o.block(ev, orDefault(s.PermissionDecisionReason, orDefault(out.Reason, "Blocked by hook")))
				}
			}
			if len(s.UpdatedInput) > 0 && string(s.UpdatedInput) != "null" {
				updated = s.UpdatedInput
			}
		case PostToolUse:
			if len(s.UpdatedToolOutput) > 0 {
				o.UpdatedToolOutput = s.UpdatedToolOutput
			}
		case PermissionRequest:
			if d := s.Decision; d != nil {
				if o.PermissionRequest == nil || o.PermissionRequest.Behavior != "deny" {
					o.PermissionRequest = d
				}
				decision = DecisionAllow
				if d.Behavior == "deny" {
					decision = DecisionDeny
				}
			}
		}
	}
	if decision.rank() > o.Decision.rank() {
		o.Decision, o.DecisionReason = decision, reason
	}
	if updated != nil {
		var b bytes.Buffer
		if json.Compact(&b, updated) == nil {
			updated = b.Bytes()
		}
		*inputs = append(*inputs, proposal{decision, updated})
	}
	return blocked
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Message is the text Claude Code writes for a blocked event, given the
// value the matchers saw (the tool name for tool events; "" otherwise):
// for PreToolUse, PostToolUse and PermissionRequest it goes to the model
// as the tool's error result, for Stop and SubagentStop it is the model's
// next input, for UserPromptSubmit it is shown to the user only.
func (o Outcome) Message(matchValue string) string {
	name := string(o.Event)
	if matchValue != "" {
		name += ":" + matchValue
	}
	body := strings.Join(o.Reasons, "\n")
	switch o.Event {
	case Stop, SubagentStop:
		return string(o.Event) + " hook feedback:\n" + body
	case UserPromptSubmit:
		return "UserPromptSubmit operation blocked by hook:\n" + body
	}
	return name + " hook error: " + body
}
