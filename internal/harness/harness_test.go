package harness

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/model"
)

// rig is a project directory and an environment pointing at an
// in-process emulator.
type rig struct {
	emu  *emulator.Server
	env  map[string]string
	work string
}

// newRig starts an emulator playing sc in a fresh project with a
// notes.txt; extra variables are added to the environment.
func newRig(t *testing.T, sc *emulator.Scenario, extra map[string]string) *rig {
	t.Helper()
	emu := emulatortest.New(t, emulator.Options{Region: "us-east-1", Scenario: sc})

	dir := t.TempDir()
	work := filepath.Join(dir, "project")
	if err := os.MkdirAll(filepath.Join(work, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "notes.txt"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := emulatortest.ClientEnv(t, emu.URL)
	for k, v := range extra {
		env[k] = v
	}
	return &rig{emu: emu.Server, env: env, work: work}
}

// config loads the configuration of the rig's project.
func (r *rig) config(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(t.Context(), config.Input{Env: r.env, WorkDir: r.work, ManagedPaths: []string{}})
	// A model name config cannot resolve is one of Load's problems, and
	// the configuration comes back with it: the model tests check that
	// ResolveModels gives the same verdict.
	if err != nil && !errors.Is(err, model.ErrInvalidModel) {
		t.Fatal(err)
	}
	return cfg
}

// open opens a session as o says, on the rig's configuration.
func (r *rig) open(t *testing.T, o Options) (*Session, []string) {
	t.Helper()
	o.Config = r.config(t)
	s, notices, err := Open(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, notices
}

// answerOf runs a prompt and returns the assistant's text.
func answerOf(t *testing.T, s *Session, prompt string) string {
	t.Helper()
	var sb strings.Builder
	_, err := s.Run(t.Context(), prompt, func(ev agent.Event) {
		if ev.Kind == agent.EventText {
			sb.WriteString(ev.Text)
		}
	})
	if err != nil {
		t.Fatalf("run %q: %v", prompt, err)
	}
	return sb.String()
}

// The emulator answers the k-th request of a conversation with the k-th
// turn, so an answer tells how many exchanges the request carried.
var countingScenario = &emulator.Scenario{Turns: []emulator.Turn{{Text: "First answer."}, {Text: "Second answer."}, {Text: "Third answer."}}}

// TestClearAndResume: /clear starts an empty conversation in a new
// session; /resume restores a stored one, whose next request carries its
// earlier exchange; resuming the session already open keeps it.
func TestClearAndResume(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{})
	first := s.Info().SessionID
	if got := answerOf(t, s, "remember the word basalt"); got != "First answer." {
		t.Fatalf("first answer %q", got)
	}
	info, err := s.Reset(t.Context(), "") // /clear
	if err != nil {
		t.Fatal(err)
	}
	if info.SessionID == first || info.SessionID == "" {
		t.Fatalf("/clear kept session %s", first)
	}
	if got := answerOf(t, s, "hello"); got != "First answer." {
		t.Errorf("after /clear: %q, want a conversation that starts afresh", got)
	}
	list, err := s.Sessions()
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions of the project = %d, %v; want 2", len(list), err)
	}
	if info, err = s.Reset(t.Context(), first[:len(first)-2]); err != nil { // /resume by prefix
		t.Fatal(err)
	}
	if info.SessionID != first {
		t.Errorf("resumed session %s, want %s", info.SessionID, first)
	}
	if got := answerOf(t, s, "which word?"); got != "Second answer." {
		t.Errorf("after /resume: %q, want the second answer of the restored conversation", got)
	}
	info, err = s.Reset(t.Context(), first)
	if err != nil || info.SessionID != first || len(info.Notices) != 1 || !strings.Contains(info.Notices[0], "already in session") {
		t.Errorf("resuming the open session: %s %q %v", info.SessionID, info.Notices, err)
	}
}

// TestContinueAndFork: -c opens the latest session; --fork-session goes
// on in a new session with the same history and leaves the original's
// transcript untouched.
func TestContinueAndFork(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{})
	first := s.ID()
	answerOf(t, s, "remember the word basalt")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	transcript := filepath.Join(r.config(t).StateDir, "projects")
	before := readTree(t, transcript)

	forked, _ := r.open(t, Options{Continue: true, Fork: true})
	if forked.ID() == first {
		t.Fatalf("the fork kept the ID %s", first)
	}
	if got := answerOf(t, forked, "which word?"); got != "Second answer." {
		t.Errorf("fork: %q, want the second answer (the history came along)", got)
	}
	forked.Close()
	after := readTree(t, transcript)
	for path, content := range before {
		if after[path] != content {
			t.Errorf("the fork changed the original transcript %s", path)
		}
	}

	cont, _ := r.open(t, Options{Resume: first})
	if cont.ID() != first {
		t.Errorf("-r %s opened %s", first, cont.ID())
	}
	if got := answerOf(t, cont, "and now?"); got != "Second answer." {
		t.Errorf("resume: %q, want the second answer", got)
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".jsonl") {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOpenUsageErrors: what a changed request would cure is a
// *UsageError with the message and hint of before.
func TestOpenUsageErrors(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	tests := []struct {
		name string
		o    Options
		want string
		hint string
	}{
		{"continue without sessions", Options{Continue: true}, "no earlier session in", "start one with `basalt -p PROMPT`"},
		{"unknown ID", Options{Resume: "nope"}, "nope", "`basalt -c` continues the most recent session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Config = r.config(t)
			_, _, err := Open(t.Context(), o)
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) || ue.Hint != tt.hint {
				t.Errorf("err = %v (%T), want a usage error with %q and hint %q", err, err, tt.want, tt.hint)
			}
		})
	}

	// A session open in this process is locked: a second one is refused,
	// and --fork-session is the way out.
	s, _ := r.open(t, Options{})
	answerOf(t, s, "hello")
	o := Options{Config: r.config(t), Resume: s.ID()}
	_, _, err := Open(t.Context(), o)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "in use by another basalt process") || !strings.Contains(ue.Hint, "--fork-session") {
		t.Errorf("resuming a locked session: %v", err)
	}
}

// TestSetModelKeepsConversation: a model switch changes the model of the
// next request, which carries the conversation so far; /clear keeps the
// model the user switched to.
func TestSetModelKeepsConversation(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{})
	before := s.Info()
	if got := answerOf(t, s, "remember the word basalt"); got != "First answer." {
		t.Fatalf("first answer %q", got)
	}
	info, err := s.SetModel(t.Context(), "opus")
	if err != nil {
		t.Fatal(err)
	}
	if info.Model != "opus" || info.ModelID == before.ModelID || info.SessionID != before.SessionID {
		t.Errorf("after switching to opus: model %s (%s), session %s; before %s (%s), session %s",
			info.Model, info.ModelID, info.SessionID, before.Model, before.ModelID, before.SessionID)
	}
	if got := answerOf(t, s, "which word?"); got != "Second answer." {
		t.Errorf("after the switch: %q, want the second answer: the conversation was not kept", got)
	}
	recs := r.emu.Records()
	if last := recs[len(recs)-1]; last.Model != info.ModelID {
		t.Errorf("the request after the switch went to %s, want %s", last.Model, info.ModelID)
	}
	if _, err := s.SetModel(t.Context(), "sonet"); err == nil {
		t.Error("a misspelt model was accepted")
	}
	cleared, err := s.Reset(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if cleared.ModelID != info.ModelID || cleared.Model != "opus" {
		t.Errorf("after /clear: %s (%s), want the model switched to, %s", cleared.Model, cleared.ModelID, info.ModelID)
	}
}

// TestDisplaysForwarded: the agent forwards each result's Display with
// the event that ends the call, so frontends need no cache of their own.
func TestDisplaysForwarded(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{ToolUse: []emulator.ToolUse{{Name: "TodoWrite", Input: json.RawMessage(`{"todos":[{"content":"write tests","status":"pending","activeForm":"Writing tests"}]}`)}}},
		{Text: "Done."},
	}}
	r := newRig(t, sc, nil)
	s, _ := r.open(t, Options{})
	var display any
	if _, err := s.Run(t.Context(), "plan", func(ev agent.Event) {
		if ev.Kind == agent.EventToolEnd && ev.Result != nil {
			display = ev.Result.Display
		}
	}); err != nil {
		t.Fatal(err)
	}
	if display == nil {
		t.Error("the TodoWrite result came without its Display")
	}
}

// TestCompact: /compact summarises the conversation through the session,
// and the metrics observer passes the events on.
func TestCompact(t *testing.T) {
	sc := &emulator.Scenario{Turns: countingScenario.Turns, SideReply: "A summary of the conversation."}
	r := newRig(t, sc, nil)
	s, _ := r.open(t, Options{})
	answerOf(t, s, "remember the word basalt")
	var compacted bool
	if err := s.Compact(t.Context(), func(ev agent.Event) { compacted = compacted || ev.Kind == agent.EventCompacted }); err != nil {
		t.Fatal(err)
	}
	if !compacted {
		t.Error("no compaction event")
	}
}

// TestOpenTellsSkippedSettings: a session starts with the configuration's
// warnings as notices, a long list cut to three and a pointer to config
// show, and a clean configuration adds none.
func TestOpenTellsSkippedSettings(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	_, notices := r.open(t, Options{})
	if len(notices) != 0 {
		t.Fatalf("clean configuration: notices %q", notices)
	}

	settings := filepath.Join(r.work, ".basalt", "settings.json")
	if err := os.MkdirAll(filepath.Dir(settings), 0o755); err != nil {
		t.Fatal(err)
	}
	// Five misspelt keys: five warnings, each naming the file.
	if err := os.WriteFile(settings, []byte(`{"modle":"x","permisions":{},"enviroment":{},"clenupPeriodDays":1,"bashEnviroment":"clean"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := r.config(t)
	if len(cfg.Warnings) != 5 {
		t.Fatalf("want 5 warnings, got %q", cfg.Warnings)
	}
	_, notices = r.open(t, Options{})
	if len(notices) != 4 || notices[0] != cfg.Warnings[0] || notices[2] != cfg.Warnings[2] {
		t.Fatalf("notices %q, want the first three warnings of %q and a count", notices, cfg.Warnings)
	}
	if !strings.Contains(notices[3], "and 2 more settings warnings") || !strings.Contains(notices[3], "basalt config show") {
		t.Errorf("last notice %q, want the count and config show", notices[3])
	}
}
