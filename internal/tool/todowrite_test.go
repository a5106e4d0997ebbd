package tool

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTodoWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   any
		isError bool
		want    []string
	}{
		{"valid", map[string]any{"todos": []map[string]any{
			{"content": "Run tests", "status": "in_progress", "activeForm": "Running tests"},
			{"content": "Fix bug", "status": "pending", "activeForm": "Fixing bug"},
			{"content": "Read code", "status": "completed", "activeForm": "Reading code"},
		}}, false, []string{"1 pending, 1 in progress, 1 completed"}},
		{"empty list clears", map[string]any{"todos": []any{}}, false, []string{"0 pending"}},
		{"older shape with id and priority", map[string]any{"todos": []map[string]any{
			{"content": "A", "status": "pending", "activeForm": "Doing A", "id": "1", "priority": "high"},
		}}, false, nil},
		{"two in progress is a warning", map[string]any{"todos": []map[string]any{
			{"content": "A", "status": "in_progress", "activeForm": "Doing A"},
			{"content": "B", "status": "in_progress", "activeForm": "Doing B"},
		}}, false, []string{"More than one task is in progress"}},
		{"bad status", map[string]any{"todos": []map[string]any{{"content": "A", "status": "done", "activeForm": "Doing A"}}}, true,
			[]string{`todo 1: status "done" is not one of pending, in_progress, completed`}},
		{"missing fields", map[string]any{"todos": []map[string]any{{"content": "", "status": "pending", "activeForm": "x"}, {"content": "B", "status": "pending"}}}, true,
			[]string{"todo 1: content is empty", `todo 2 ("B"): activeForm is empty`}},
		{"todos required", map[string]any{}, true, []string{"todos is required"}},
		{"unknown field", map[string]any{"todos": []map[string]any{{"content": "A", "status": "pending", "activeForm": "a", "owner": "me"}}}, true,
			[]string{`unknown field "owner"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			res := call(t, s, TodoWrite{}, tt.input)
			wantResult(t, res, tt.isError, tt.want...)
		})
	}
}

func TestTodoWriteStoresList(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	call(t, s, TodoWrite{}, map[string]any{"todos": []map[string]any{{"content": "A", "status": "pending", "activeForm": "Doing A"}}})
	res := call(t, s, TodoWrite{}, map[string]any{"todos": []map[string]any{{"content": "B", "status": "completed", "activeForm": "Doing B"}}})
	want := []Todo{{Content: "B", Status: TodoCompleted, ActiveForm: "Doing B"}}
	if diff := cmp.Diff(want, s.Todos()); diff != "" {
		t.Errorf("Todos mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, res.Display); diff != "" {
		t.Errorf("Display mismatch (-want +got):\n%s", diff)
	}
	// An invalid call leaves the list as it was.
	call(t, s, TodoWrite{}, map[string]any{"todos": []map[string]any{{"content": "C", "status": "?", "activeForm": "c"}}})
	if diff := cmp.Diff(want, s.Todos()); diff != "" {
		t.Errorf("Todos after a refused call mismatch (-want +got):\n%s", diff)
	}
}
