package permission

import (
	"path/filepath"
	"testing"
)

// TestNotebookEdit: NotebookEdit is an edit of its notebook_path, as in
// Claude Code: the modes treat it like Edit, Edit(path) rules cover it,
// and NotebookEdit(path) rules name it alone.
func TestNotebookEdit(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	nb := filepath.Join(tr.root, "src/analysis.ipynb")
	out := filepath.Join(tr.outside, "x.ipynb")
	tests := []struct {
		name  string
		mode  Mode
		rules ruleLists
		path  string
		want  Behavior
	}{
		{"default mode asks", ModeDefault, ruleLists{}, nb, Ask},
		{"acceptEdits allows inside", ModeAcceptEdits, ruleLists{}, nb, Allow},
		{"acceptEdits asks outside", ModeAcceptEdits, ruleLists{}, out, Ask},
		{"plan refuses", ModePlan, ruleLists{}, nb, Deny},
		{"an Edit rule allows it", ModeDefault, ruleLists{allow: []string{"Edit(src/**)"}}, nb, Allow},
		{"a NotebookEdit rule allows it", ModeDefault, ruleLists{allow: []string{"NotebookEdit(**/*.ipynb)"}}, nb, Allow},
		{"an Edit deny rule denies it", ModeAcceptEdits, ruleLists{deny: []string{"Edit(**/*.ipynb)"}}, nb, Deny},
		{"a bare NotebookEdit deny", ModeBypass, ruleLists{deny: []string{"NotebookEdit"}}, nb, Deny},
		{"a NotebookEdit ask rule", ModeAcceptEdits, ruleLists{ask: []string{"NotebookEdit(src/**)"}}, nb, Ask},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tr.checker(t, tt.mode, tt.rules).Decide(toolReq("NotebookEdit", "notebook_path", tt.path, "new_source", "x"))
			if d.Behavior != tt.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, tt.want)
			}
		})
	}
	d := tr.checker(t, ModeAcceptEdits, ruleLists{}).Decide(toolReq("NotebookEdit", "new_source", "x"))
	if d.Behavior != Deny || d.Reason == "" {
		t.Errorf("no notebook_path: got %s (%s), want a denial", d.Behavior, d.Reason)
	}
}
