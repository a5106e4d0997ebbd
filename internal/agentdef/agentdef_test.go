package agentdef

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		file      string
		want      Definition
		wantOK    bool
		wantWarns []string // substrings, in order
	}{
		{
			name:   "comma list and alias",
			file:   "---\nname: reviewer\ndescription: Reviews code\ntools: Read, Grep\nmodel: haiku\n---\nYou review code.\n",
			want:   Definition{Name: "reviewer", Description: "Reviews code", Tools: []string{"Read", "Grep"}, Model: "haiku", Prompt: "You review code."},
			wantOK: true,
		},
		{
			name:   "yaml list, Task read as Agent, pattern cut",
			file:   "---\nname: r\ndescription: d\ntools:\n  - Read\n  - Task\n  - Bash(git diff:*)\n---\nP\n",
			want:   Definition{Name: "r", Description: "d", Tools: []string{"Read", "Agent", "Bash"}, Prompt: "P"},
			wantOK: true, wantWarns: []string{`"Bash(git diff:*)" restricts the agent to the Bash tool`},
		},
		{
			name:   "no tools inherits",
			file:   "---\nname: r\ndescription: d\nmodel: inherit\n---\nP\n",
			want:   Definition{Name: "r", Description: "d", Model: "inherit", Prompt: "P"},
			wantOK: true,
		},
		{
			name:   "no name: file stem, warned",
			file:   "---\ndescription: d\n---\nP\n",
			want:   Definition{Name: "helper", Description: "d", Prompt: "P"},
			wantOK: true, wantWarns: []string{`agent.md:1: no name in the front matter; the agent is called "helper"`},
		},
		{
			name:   "no description: the prompt's first line",
			file:   "---\nname: r\n---\nFirst line.\nSecond.\n",
			want:   Definition{Name: "r", Description: "First line.", Prompt: "First line.\nSecond."},
			wantOK: true, wantWarns: []string{"no description"},
		},
		{
			name:      "empty body skipped",
			file:      "---\nname: r\ndescription: d\n---\n\n",
			want:      Definition{Name: "r", Description: "d"},
			wantWarns: []string{"agent skipped"},
		},
		{
			name:   "disallowedTools and permissionMode",
			file:   "---\nname: r\ndescription: d\ndisallowedTools: Write, Edit\npermissionMode: bypassPermissions\n---\nP\n",
			want:   Definition{Name: "r", Description: "d", Exclude: []string{"Write", "Edit"}, Prompt: "P"},
			wantOK: true, wantWarns: []string{"agent.md:5: permissionMode is not applied"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := "agent.md"
			if tt.want.Name == "helper" {
				path = "helper.md"
				for i := range tt.wantWarns {
					tt.wantWarns[i] = strings.Replace(tt.wantWarns[i], "agent.md", "helper.md", 1)
				}
			}
			got, ok, warns := ParseFile(path, []byte(tt.file), SourceProject)
			tt.want.Source, tt.want.Path = SourceProject, path
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("definition mismatch (-want +got):\n%s", diff)
			}
			if len(warns) != len(tt.wantWarns) {
				t.Fatalf("warnings = %v, want %d", warns, len(tt.wantWarns))
			}
			for i, w := range tt.wantWarns {
				if !strings.Contains(warns[i].Error(), w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warns[i].Error(), w)
				}
			}
		})
	}
}

func TestAllows(t *testing.T) {
	t.Parallel()
	explore := Builtins()[1]
	restricted := Definition{Tools: []string{"Read", "Agent"}}
	tests := []struct {
		d    Definition
		tool string
		want bool
	}{
		{Definition{}, "Bash", true},
		{Definition{}, "Agent", false}, // no recursion
		{Definition{}, "Task", false},
		{restricted, "Read", true},
		{restricted, "Bash", false},
		{restricted, "Agent", false}, // even when listed
		{explore, "Grep", true},
		{explore, "Edit", false},
		{explore, "Write", false},
	}
	for _, tt := range tests {
		if got := tt.d.Allows(tt.tool); got != tt.want {
			t.Errorf("%s.Allows(%s) = %v, want %v", tt.d.ToolsLabel(), tt.tool, got, tt.want)
		}
	}
}

func TestParseFlag(t *testing.T) {
	t.Parallel()
	got, err := ParseFlag(`{"reviewer":{"description":"Reviews code","prompt":"You review.","tools":["Read","Grep"],"model":"sonnet","maxTurns":3}}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Definition{{Name: "reviewer", Description: "Reviews code", Prompt: "You review.", Tools: []string{"Read", "Grep"}, Model: "sonnet", Source: SourceFlag}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	bad := []struct{ in, want string }{
		{``, "--agents: empty"},
		{`{"a":`, "--agents:1:6"},
		{"{\n \"a\": {\"description\": 3}}", "description must be a string"},
		{`{"a":{"prompt":"p"}}`, `agent "a" has no description`},
		{`{"a":{"description":"d"}}`, `agent "a" has no prompt`},
		{`{"a":{"description":"d","prompt":"p","tools":"Read"}}`, "tools must be a list of strings"},
		{`[1]`, "want an object"},
		{`null`, "want an object of agents"},
		{`{} x`, "unexpected data"},
	}
	for _, b := range bad {
		_, err := ParseFlag(b.in)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("ParseFlag(%q) = %v, want an error containing %q", b.in, err, b.want)
		}
	}
}

func TestLoadPrecedence(t *testing.T) {
	t.Parallel()
	root, home, cfg := t.TempDir(), t.TempDir(), t.TempDir()
	write := func(dir, name, desc string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		body := "---\nname: " + name + "\ndescription: " + desc + "\n---\nPrompt of " + desc + "\n"
		if err := os.WriteFile(filepath.Join(dir, desc+".md"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(home, ".claude", "agents"), "a", "user-claude")
	write(filepath.Join(cfg, "agents"), "a", "user-basalt")
	write(filepath.Join(root, ".claude", "agents"), "a", "project-claude")
	write(filepath.Join(root, ".claude", "agents"), "b", "project-claude-b")
	write(filepath.Join(root, ".basalt", "agents"), "b", "project-basalt-b")
	write(filepath.Join(home, ".claude", "agents"), "c", "user-only")
	defs, warns := Load(Dirs(root, home, cfg))
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns)
	}
	set := NewSet(Builtins(), defs)
	for name, want := range map[string]string{"a": "project-claude", "b": "project-basalt-b", "c": "user-only"} {
		if d, _ := set.Lookup(name); d.Description != want {
			t.Errorf("%s from %q, want %q", name, d.Description, want)
		}
	}
	// An untrusted folder's project agents are not read at all.
	defs, _ = Load(Dirs("", home, cfg))
	if d, _ := NewSet(defs).Lookup("a"); d.Description != "user-basalt" {
		t.Errorf("without the project, a from %q, want user-basalt", d.Description)
	}
	flag, _ := ParseFlag(`{"a":{"description":"flag","prompt":"p"}}`)
	if d, _ := NewSet(Builtins(), defs, flag).Lookup("a"); d.Description != "flag" || d.Location() != "--agents" {
		t.Errorf("--agents does not win: %+v", d)
	}
	if got := set.Names(); !cmp.Equal(got, []string{"a", "b", "c", "Explore", "general-purpose"}) {
		t.Errorf("names = %v", got)
	}
}

func TestListing(t *testing.T) {
	t.Parallel()
	set := NewSet([]Definition{{Name: "r", Description: "Reviews\n code", Tools: []string{"Read", "Grep"}}, Builtins()[1]})
	want := "- Explore: " + Builtins()[1].Description + " (Tools: All tools except ExitPlanMode, Edit, MultiEdit, Write, NotebookEdit)\n- r: Reviews code (Tools: Read, Grep)\n"
	if diff := cmp.Diff(want, set.Listing()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("---\nname: r\ndescription: d\ntools: Read, Grep\n---\nP\n", `{"a":{"description":"d","prompt":"p","tools":["Read"]}}`)
	f.Add("---\ntools:\n - [\n---\n", `{"a":[]}`)
	f.Fuzz(func(t *testing.T, file, flag string) {
		d, ok, _ := ParseFile("x.md", []byte(file), SourceUser)
		if ok && (d.Name == "" || d.Prompt == "") {
			t.Errorf("loaded an agent without name or prompt: %+v", d)
		}
		if d.Allows(ToolName) {
			t.Error("a parsed agent may start subagents")
		}
		defs, err := ParseFlag(flag)
		if err == nil {
			for _, d := range defs {
				if d.Description == "" || d.Prompt == "" || d.Allows(ToolName) {
					t.Errorf("bad --agents definition accepted: %+v", d)
				}
			}
		}
	})
}
