package harness

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/permission"
)

// editingScenario: prompt 1 creates made.txt; prompt 2 reads and edits
// notes.txt; prompt 3 changes nothing. The emulator answers the k-th
// request of a conversation with turn k.
var editingScenario = &emulator.Scenario{Turns: []emulator.Turn{
	{ToolUse: []emulator.ToolUse{{Name: "Write", Input: json.RawMessage(`{"file_path":"made.txt","content":"made\n"}`)}}},
	{Text: "Created."},
	{ToolUse: []emulator.ToolUse{{Name: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)}}},
	{ToolUse: []emulator.ToolUse{{Name: "Edit", Input: json.RawMessage(`{"file_path":"notes.txt","old_string":"notes","new_string":"edited notes"}`)}}},
	{Text: "Edited."},
	{Text: "Nothing to change."},
}}

func allowAll(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error) {
	return agent.Answer{Allow: true}, nil
}

func fileText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "<absent>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRewindAcrossResume: the snapshots of a session survive closing it;
// a resumed session lists its prompts with the files each changed,
// restores the code (asking about files changed outside basalt), and
// rewinds the conversation so that a later resume shows the shorter one.
func TestRewindAcrossResume(t *testing.T) {
	r := newRig(t, editingScenario, nil)
	s, _ := r.open(t, Options{Ask: allowAll})
	id := s.ID()
	for _, p := range []string{"make a file", "edit the notes", "look around"} {
		answerOf(t, s, p)
	}
	made, notes := filepath.Join(r.work, "made.txt"), filepath.Join(r.work, "notes.txt")
	if fileText(t, made) != "made\n" || fileText(t, notes) != "edited notes\n" {
		t.Fatalf("the scenario did not run: %q %q", fileText(t, made), fileText(t, notes))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2, _ := r.open(t, Options{Resume: id, Ask: allowAll})
	points, err := s2.RewindPoints()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range points {
		var names []string
		for _, f := range p.Files {
			names = append(names, filepath.Base(f))
		}
		got = append(got, p.Prompt+" → "+strings.Join(names, ","))
	}
	want := []string{"look around → ", "edit the notes → notes.txt", "make a file → made.txt"}
	if !slices.Equal(got, want) {
		t.Fatalf("points\n got %q\nwant %q", got, want)
	}
	if notes := strings.Join(s2.RewindNotes(), " "); !strings.Contains(notes, "Bash") {
		t.Errorf("the notes do not say that commands' changes are not restored: %q", notes)
	}

	// The user edits the notes by hand: restoring must ask.
	if err := os.WriteFile(notes, []byte("my own notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := s2.PlanRestore(1)
	if err != nil {
		t.Fatal(err)
	}
	modified := 0
	for _, a := range plan {
		if a.Modified {
			modified++
			if a.Path != mustReal(t, notes) {
				t.Errorf("modified outside: %s", a.Path)
			}
		}
	}
	if modified != 1 {
		t.Fatalf("plan %+v: want notes.txt marked as changed outside basalt", plan)
	}
	rep, err := s2.RestoreCode(1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Deleted) != 1 || len(rep.Skipped) != 1 || fileText(t, made) != "<absent>" || fileText(t, notes) != "my own notes\n" {
		t.Fatalf("restore without consent: %+v; made %q notes %q", rep, fileText(t, made), fileText(t, notes))
	}
	if _, err := s2.RestoreCode(1, true); err != nil || fileText(t, notes) != "notes\n" {
		t.Fatalf("restore with consent: %v; notes %q", err, fileText(t, notes))
	}

	rw, err := s2.RewindConversation(2)
	if err != nil {
		t.Fatal(err)
	}
	if rw.Prompt != "edit the notes" {
		t.Errorf("prompt given back %q", rw.Prompt)
	}
	if got := historyPrompts(rw.History); !slices.Equal(got, []string{"make a file"}) {
		t.Errorf("history after the rewind: %q", got)
	}
	// The next prompt is numbered after every earlier one, and goes on
	// from the rewound conversation.
	answerOf(t, s2, "try again")
	points, err = s2.RewindPoints()
	if err != nil {
		t.Fatal(err)
	}
	if points[0].Turn != 4 || points[0].Prompt != "try again" || len(points) != 2 {
		t.Errorf("points after the rewind: %+v", points)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}

	s3, _ := r.open(t, Options{Resume: id})
	if got := historyPrompts(s3.History()); !slices.Equal(got, []string{"make a file", "try again"}) {
		t.Errorf("resumed after the rewind, history %q", got)
	}
}

func historyPrompts(items []HistoryItem) []string {
	var out []string
	for _, it := range items {
		if it.Kind == HistoryPrompt {
			out = append(out, it.Text)
		}
	}
	return out
}

func mustReal(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestForkKeepsFileHistory: a forked session can restore what the
// original changed.
func TestForkKeepsFileHistory(t *testing.T) {
	r := newRig(t, editingScenario, nil)
	s, _ := r.open(t, Options{Ask: allowAll})
	answerOf(t, s, "make a file")
	s.Close()
	f, _ := r.open(t, Options{Continue: true, Fork: true})
	rep, err := f.RestoreCode(1, false)
	if err != nil || len(rep.Deleted) != 1 {
		t.Fatalf("restore in the fork: %+v %v", rep, err)
	}
}

// TestRewindFilesHeadless is --resume ID --rewind-files N.
func TestRewindFilesHeadless(t *testing.T) {
	r := newRig(t, editingScenario, nil)
	s, _ := r.open(t, Options{Ask: allowAll})
	id := s.ID()
	answerOf(t, s, "make a file")
	answerOf(t, s, "edit the notes")
	s.Close()
	cfg := r.config(t)
	rep, err := RewindFiles(cfg.StateDir, cfg.ProjectRoot, id, 2)
	if err != nil || len(rep.Restored) != 1 || fileText(t, filepath.Join(r.work, "notes.txt")) != "notes\n" || fileText(t, filepath.Join(r.work, "made.txt")) != "made\n" {
		t.Fatalf("rewind files to 2: %+v %v", rep, err)
	}
	if _, err := RewindFiles(cfg.StateDir, cfg.ProjectRoot, id, 9); err == nil || !strings.Contains(err.Error(), "has 2 prompts") {
		t.Errorf("prompt beyond the session: %v", err)
	}
}
