package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

//go:embed todowrite.md
var todoWriteDescription string

// Todo is one task of the session's list.
type Todo struct {
	Content    string     `json:"content"`
	Status     TodoStatus `json:"status"`
	ActiveForm string     `json:"activeForm"`
	// ID is accepted from models trained on an older shape of the tool and
	// otherwise unused.
	ID string `json:"id,omitempty"`
}

// TodoStatus is the state of a [Todo].
type TodoStatus string

// The todo states.
const (
	TodoPending    TodoStatus = "pending"
	TodoInProgress TodoStatus = "in_progress"
	TodoCompleted  TodoStatus = "completed"
)

// TodoWrite replaces the session's task list.
type TodoWrite struct{}

type todoWriteInput struct {
	Todos []todoInput `json:"todos"`
}

// todoInput is a Todo as the model sends it; priority came with an older
// shape of the tool and is ignored.
type todoInput struct {
	Todo
	Priority string `json:"priority,omitempty"`
}

func (TodoWrite) Name() string        { return "TodoWrite" }
func (TodoWrite) Description() string { return todoWriteDescription }
func (TodoWrite) ReadOnly() bool      { return true } // changes only the session's list, never the workspace
func (TodoWrite) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "todos": {
      "type": "array",
      "description": "The complete, updated task list",
      "items": {
        "type": "object",
        "properties": {
          "content": {"type": "string", "minLength": 1, "description": "The task, in the imperative"},
          "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]},
          "activeForm": {"type": "string", "minLength": 1, "description": "The task in the present continuous, shown while it is in progress"}
        },
        "required": ["content", "status", "activeForm"],
        "additionalProperties": false
      }
    }
  },
  "required": ["todos"],
  "additionalProperties": false
}`)
}

func (TodoWrite) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in todoWriteInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if in.Todos == nil {
		return errorf("todos is required (send an empty array to clear the list)"), nil
	}
	var problems []string
	todos := make([]Todo, len(in.Todos))
	for i, t := range in.Todos {
		todos[i] = t.Todo
		switch {
		case strings.TrimSpace(t.Content) == "":
			problems = append(problems, fmt.Sprintf("todo %d: content is empty", i+1))
		case strings.TrimSpace(t.ActiveForm) == "":
			problems = append(problems, fmt.Sprintf("todo %d (%q): activeForm is empty", i+1, t.Content))
		}
		if !slices.Contains([]TodoStatus{TodoPending, TodoInProgress, TodoCompleted}, t.Status) {
			problems = append(problems, fmt.Sprintf("todo %d: status %q is not one of pending, in_progress, completed", i+1, t.Status))
		}
	}
	if len(problems) > 0 {
		return errorf("the todo list was not updated:\n%s", strings.Join(problems, "\n")), nil
	}
	s.mu.Lock()
	s.todos = todos
	s.mu.Unlock()

	var count [3]int
	for _, t := range todos {
		switch t.Status {
		case TodoPending:
			count[0]++
		case TodoInProgress:
			count[1]++
		case TodoCompleted:
			count[2]++
		}
	}
	msg := fmt.Sprintf("Todo list updated: %d pending, %d in progress, %d completed.", count[0], count[1], count[2])
	if count[1] > 1 {
		msg += " More than one task is in progress; keep one at a time where you can."
	}
	return Result{Content: msg + " Keep it current as you work.", Display: slices.Clone(todos)}, nil
}
