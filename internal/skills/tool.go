package skills

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/slashcmd"
	"github.com/basalt-dev/basalt/internal/tool"
)

//go:embed skill.md
var description string

// ToolName is the name the model calls the tool by, as in Claude Code.
const ToolName = "Skill"

// inputSchema is Claude Code's: {skill, args?}, nothing else.
const inputSchema = `{
  "type": "object",
  "properties": {
    "skill": {"type": "string", "description": "The name of a skill or command from the list of available skills, without the slash."},
    "args": {"type": "string", "description": "Optional arguments for the skill, as typed after /name."}
  },
  "required": ["skill"],
  "additionalProperties": false
}`

// Tool is the Skill tool. It implements tool.Tool. The Set is immutable,
// so one Tool serves every conversation of a session.
type Tool struct {
	set  *slashcmd.Set
	opts slashcmd.Options
}

// NewTool returns the Skill tool over set. opts.Run runs the !`command`
// lines of a skill's body (permission-checked by the harness, with the
// skill's allowed-tools granted); opts.Read is ignored, since a tool
// result carries no attachments and the model reads files itself.
func NewTool(set *slashcmd.Set, opts slashcmd.Options) Tool {
	opts.Read = nil
	return Tool{set: set, opts: opts}
}

var _ tool.Tool = Tool{}

func (Tool) Name() string                 { return ToolName }
func (Tool) Description() string          { return description }
func (Tool) InputSchema() json.RawMessage { return json.RawMessage(inputSchema) }

// ReadOnly is false: loading a skill may run its !`command` lines and
// grants its allowed-tools for the rest of the turn, so it must not run
// beside other calls.
func (Tool) ReadOnly() bool { return false }

// Input is the tool's input.
type Input struct {
	Skill string `json:"skill"`
	Args  string `json:"args,omitempty"`
}

// Run loads one skill or command. Its Result.Content is Claude Code's
// "Launching skill: NAME", and Result.Display is the *slashcmd.Expansion:
// the agent must add Expansion.Prompt as a text block right after this
// tool_result in the same user message (that is where Claude Code puts the
// body), and apply Expansion.AllowedTools and Expansion.Model for the rest
// of the turn. An unknown name, or an entry the model may not invoke, is
// an error result with Claude Code's wording.
func (t Tool) Run(ctx context.Context, _ *tool.Session, input json.RawMessage) (tool.Result, error) {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return tool.Result{Content: "invalid input: " + err.Error() + ` (expected {"skill": "name", "args": "optional text"})`, IsError: true}, nil
	}
	name := strings.TrimPrefix(strings.TrimSpace(in.Skill), "/")
	if name == "" {
		return tool.Result{Content: "invalid input: skill is empty; give a name from the list of available skills", IsError: true}, nil
	}
	c, ok := t.set.Lookup(name)
	if !ok {
		return tool.Result{Content: "Unknown skill: " + name, IsError: true}, nil
	}
	if c.DisableModelInvocation {
		return tool.Result{Content: fmt.Sprintf("Skill %s cannot be used with Skill tool due to disable-model-invocation", name), IsError: true}, nil
	}
	e, err := slashcmd.Expand(ctx, c, in.Args, t.opts)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return tool.Result{Content: "loading skill " + name + " was interrupted", IsError: true}, ctxErr
		}
		// A `!` command that failed or was denied is for the model to see:
		// the skill did not load, and why.
		if errors.Is(err, slashcmd.ErrNoRunner) {
			return tool.Result{Content: fmt.Sprintf("skill %s runs shell commands, which are not available here: %v", name, err), IsError: true}, nil
		}
		return tool.Result{Content: fmt.Sprintf("skill %s did not load: %v", name, err), IsError: true}, nil
	}
	return tool.Result{Content: "Launching skill: " + name, Display: &e}, nil
}
