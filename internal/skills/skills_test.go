package skills

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/slashcmd"
)

const recorded = "../slashcmd/testdata/claude-code"

type factsFile map[string]struct {
	Init struct {
		SlashCommands []string `json:"slash_commands"`
		Skills        []string `json:"skills"`
	} `json:"init"`
	Messages []struct {
		LocalEntries []string       `json:"local_entries"`
		Block        map[string]any `json:"block"`
	} `json:"messages"`
	SkillToolInputSchema map[string]any `json:"skill_tool_input_schema"`
}

// recordedSet loads the project Claude Code was recorded with, and returns
// it with the recording, the project's absolute path standing for /WORK.
func recordedSet(t *testing.T) (*slashcmd.Set, []slashcmd.Warning, factsFile, string) {
	t.Helper()
	work, err := filepath.Abs(filepath.Join(recorded, "project"))
	if err != nil {
		t.Fatal(err)
	}
	p := slashcmd.Paths{Root: work}
	sk, warns := Load(p.Dirs("skills"))
	cmds, _ := slashcmd.LoadCommands(p.Dirs("commands"))
	data, err := os.ReadFile(filepath.Join(recorded, "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.ReplaceAll(string(data), "/WORK", work))
	var f factsFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return slashcmd.NewSet(sk, cmds), warns, f, work
}

func TestLoadWarnings(t *testing.T) {
	t.Parallel()
	_, warns, _, work := recordedSet(t)
	var got []string
	for _, w := range warns {
		got = append(got, strings.TrimPrefix(w.Error(), work+"/"))
	}
	want := []string{
		`.claude/skills/Bad_Skill/SKILL.md: skill name "Bad_Skill" is not lowercase letters, digits and single hyphens (at most 64); loaded as is, as Claude Code does`,
		`.claude/skills/Bad_Skill/SKILL.md:2: name "Bad Skill" differs from the directory; the skill is invoked as /Bad_Skill (the directory name), as in Claude Code`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestInitLists(t *testing.T) {
	t.Parallel()
	set, _, f, _ := recordedSet(t)
	if diff := cmp.Diff(f["command"].Init.SlashCommands, set.InitSlashCommands()); diff != "" {
		t.Errorf("slash_commands mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(f["command"].Init.Skills, set.InitSkills()); diff != "" {
		t.Errorf("skills mismatch (-want +got):\n%s", diff)
	}
}

func TestListingMatchesRecording(t *testing.T) {
	t.Parallel()
	set, _, f, _ := recordedSet(t)
	var want []string
	for _, m := range f["command"].Messages {
		want = append(want, m.LocalEntries...)
	}
	// Claude Code lists both the skill "plain" and the command it hides;
	// basalt lists only the one /plain and the Skill tool reach.
	want = slicesDelete(want, "- plain: Plain command with no front matter.")
	text, omitted := Listing(set, DefaultBudget)
	if omitted != 0 {
		t.Errorf("omitted %d", omitted)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if lines[0] != listingHeader || lines[1] != "" {
		t.Errorf("header %q", lines[:2])
	}
	if diff := cmp.Diff(want, lines[2:]); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
}

func slicesDelete(s []string, v string) []string {
	var out []string
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func TestToolMatchesRecording(t *testing.T) {
	t.Parallel()
	set, _, f, _ := recordedSet(t)
	tl := NewTool(set, slashcmd.Options{})
	var schema, want map[string]any
	if err := json.Unmarshal(tl.InputSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	want = f["command"].SkillToolInputSchema
	delete(want, "$schema")
	// Same fields, types and requirements; the descriptions are our words.
	strip := cmp.FilterPath(func(p cmp.Path) bool {
		mi, ok := p.Last().(cmp.MapIndex)
		return ok && mi.Key().String() == "description"
	}, cmp.Ignore())
	if diff := cmp.Diff(want, schema, strip); diff != "" {
		t.Errorf("schema mismatch (-want +got):\n%s", diff)
	}
	msgs := f["skill"].Messages
	var results, texts []map[string]any
	for _, m := range msgs {
		switch m.Block["type"] {
		case "tool_result":
			results = append(results, m.Block)
		case "text":
			if s, _ := m.Block["text"].(string); strings.HasPrefix(s, "Base directory") {
				texts = append(texts, m.Block)
			}
		}
	}
	calls := []string{`{"args":"x 'y z'","skill":"myskill"}`, `{"skill":"hidden"}`, `{"skill":"nosuch"}`}
	for i, in := range calls {
		res, err := tl.Run(t.Context(), nil, json.RawMessage(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		wantContent := strings.TrimSuffix(strings.TrimPrefix(results[i]["content"].(string), "<tool_use_error>"), "</tool_use_error>")
		wantErr, _ := results[i]["is_error"].(bool)
		if res.Content != wantContent || res.IsError != wantErr {
			t.Errorf("%s: got %q error=%v, want %q error=%v", in, res.Content, res.IsError, wantContent, wantErr)
		}
		if i == 0 {
			e, ok := res.Display.(*slashcmd.Expansion)
			if !ok || e.Prompt != texts[0]["text"] {
				t.Errorf("body block:\n got %#v\nwant %q", res.Display, texts[0]["text"])
			}
		}
	}
}

func TestUserInvocationMatchesRecording(t *testing.T) {
	t.Parallel()
	set, _, f, _ := recordedSet(t)
	e, ok, err := set.ExpandInput(t.Context(), "/plain one two", slashcmd.Options{})
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	var got []string
	for _, m := range f["clash"].Messages {
		if s, _ := m.Block["text"].(string); strings.HasPrefix(s, "<command-message>") || strings.HasPrefix(s, "Base directory") {
			got = append(got, s)
		}
	}
	if diff := cmp.Diff(got, []string{e.Header(), e.Prompt}); diff != "" {
		t.Errorf("mismatch (-recorded +basalt):\n%s", diff)
	}
}

func TestToolInputErrors(t *testing.T) {
	t.Parallel()
	set := slashcmd.NewSet([]slashcmd.Command{{Name: "sh", Kind: slashcmd.KindSkill, Dir: "/s", Body: "x !`false`", UserInvocable: true}}, nil)
	tl := NewTool(set, slashcmd.Options{})
	for in, want := range map[string]string{
		`{"skill":""}`:         "invalid input: skill is empty",
		`{"name":"x"}`:         "invalid input: json: unknown field",
		`{"skill":"/nope"}`:    "Unknown skill: nope",
		`{"skill":"sh"}`:       "skill sh runs shell commands, which are not available here",
		`{"skill": 3}`:         "invalid input: json: cannot unmarshal",
		`{"skill":"sh","x":1}`: "invalid input: json: unknown field",
	} {
		res, err := tl.Run(t.Context(), nil, json.RawMessage(in))
		if err != nil || !res.IsError || !strings.HasPrefix(res.Content, want) {
			t.Errorf("%s: %q %v %v", in, res.Content, res.IsError, err)
		}
	}
	denied := NewTool(set, slashcmd.Options{Run: func(context.Context, string) (string, error) {
		return "", os.ErrPermission
	}})
	res, _ := denied.Run(t.Context(), nil, json.RawMessage(`{"skill":"sh"}`))
	if !res.IsError || !strings.Contains(res.Content, "skill sh did not load: ") || !strings.Contains(res.Content, "permission denied") {
		t.Errorf("denied: %q", res.Content)
	}
}

func TestListingBudget(t *testing.T) {
	t.Parallel()
	var sk []slashcmd.Command
	for i := range 60 {
		sk = append(sk, slashcmd.Command{Name: "skill-" + string(rune('a'+i/26)) + string(rune('a'+i%26)), Kind: slashcmd.KindSkill, Description: strings.Repeat("word ", 30)})
	}
	sk = append(sk, slashcmd.Command{Name: "zz-long", Kind: slashcmd.KindSkill, Description: strings.Repeat("é", 2000), WhenToUse: "never"})
	set := slashcmd.NewSet(sk, nil)
	text, omitted := Listing(set, 2000)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	last := lines[len(lines)-1]
	if omitted == 0 || !strings.HasPrefix(last, "(") || !strings.Contains(last, "more not listed") {
		t.Fatalf("omitted %d, last line %q", omitted, last)
	}
	if body := len(text) - len(last) - 1; body > 2000 {
		t.Errorf("entries take %d characters, budget 2000", body)
	}
	if listed := len(lines) - 3; listed+omitted != 61 {
		t.Errorf("listed %d + omitted %d != 61", listed, omitted)
	}
	full, omitted := Listing(set, 1<<20)
	if omitted != 0 || !strings.Contains(full, "- zz-long: "+strings.Repeat("é", 10)) {
		t.Errorf("unbounded listing omitted %d", omitted)
	}
	for _, l := range strings.Split(full, "\n") {
		if len(l) > len("- zz-long: ")+MaxEntryDescription {
			t.Errorf("entry of %d bytes", len(l))
		}
	}
	if n, err := BudgetFromEnv(func(string) string { return "abc" }); err == nil || n != DefaultBudget {
		t.Errorf("bad env: %d %v", n, err)
	}
	if n, err := BudgetFromEnv(func(string) string { return "1234" }); err != nil || n != 1234 {
		t.Errorf("env: %d %v", n, err)
	}
}

// TestUserLevelMatchesRecording: with user-level entries of the same
// names, Claude Code runs the user's (the "user" run of record.sh).
func TestUserLevelMatchesRecording(t *testing.T) {
	t.Parallel()
	work, err := filepath.Abs(filepath.Join(recorded, "project"))
	if err != nil {
		t.Fatal(err)
	}
	home, err := filepath.Abs(filepath.Join(recorded, "home"))
	if err != nil {
		t.Fatal(err)
	}
	p := slashcmd.Paths{Root: work, Home: home}
	sk, _ := Load(p.Dirs("skills"))
	cmds, _ := slashcmd.LoadCommands(p.Dirs("commands"))
	set := slashcmd.NewSet(sk, cmds)
	_, _, f, _ := recordedSet(t)
	var want []string
	var listed []string
	for _, m := range f["user"].Messages {
		if s, _ := m.Block["text"].(string); strings.HasPrefix(s, "<command-message>") || len(want) == 1 {
			want = append(want, s)
		}
		listed = append(listed, m.LocalEntries...)
	}
	e, ok, err := set.ExpandInput(t.Context(), "/mycmd q", slashcmd.Options{})
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	if diff := cmp.Diff(want, []string{e.Header(), e.Prompt}); diff != "" {
		t.Errorf("mismatch (-recorded +basalt):\n%s", diff)
	}
	// Claude Code lists the shadowed project entries too; basalt lists what runs.
	text, _ := Listing(set, DefaultBudget)
	for _, l := range listed {
		if strings.Contains(l, "USER") && !strings.Contains(text, l+"\n") {
			t.Errorf("listing lacks %q", l)
		}
	}
	if strings.Contains(text, "- mycmd: My test command") || strings.Contains(text, "- myskill: Does my skill things") {
		t.Errorf("listing shows a shadowed entry:\n%s", text)
	}
}
