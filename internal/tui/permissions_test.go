package tui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
)

// TestPermissionsApplyAtOnce: /permissions add and remove write the local
// settings file and change the running session's rules in the same step,
// for every kind of rule.
func TestPermissionsApplyAtOnce(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 80, 24)
	dir := t.TempDir()
	m.info.WorkDir, fb.info.WorkDir = dir, dir
	m.info.LocalSettings = filepath.Join(dir, ".basalt", "settings.local.json")
	fb.settings = m.info.LocalSettings
	slash := func(line string) {
		t.Helper()
		typeText(m, line)
		m.comp = completion{}
		_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		runCmd(m, cmd)
	}
	last := func() string {
		t.Helper()
		n, ok := m.entries[len(m.entries)-1].(*noticeEntry)
		if !ok {
			t.Fatalf("last entry is %T, want a notice", m.entries[len(m.entries)-1])
		}
		return n.text
	}

	slash("/permissions add ask Bash(git push:*)")
	slash("/permissions add deny Read(./.env)")
	if got := last(); got != "Added deny rule Read(./.env) to .basalt/settings.local.json; it applies now" {
		t.Errorf("after add: %q", got)
	}
	if diff := cmp.Diff([]string{"ask Bash(git push:*)", "deny Read(./.env)"}, fb.allowed); diff != "" {
		t.Errorf("rules added to the session mismatch (-want +got):\n%s", diff)
	}
	slash("/permissions add deny Read(./.env)")
	if got := last(); !strings.Contains(got, "already has deny rule Read(./.env)") || len(fb.allowed) != 2 {
		t.Errorf("adding a rule twice: %q, session adds %v", got, fb.allowed)
	}

	slash("/permissions remove Bash(git push:*)")
	if got := last(); got != "Removed ask rule Bash(git push:*) from .basalt/settings.local.json; it applies now" {
		t.Errorf("after remove: %q", got)
	}
	if diff := cmp.Diff([]string{"ask Bash(git push:*)"}, fb.removed); diff != "" {
		t.Errorf("rules removed from the session mismatch (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(m.info.LocalSettings)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"permissions\": {\n    \"ask\": [],\n    \"deny\": [\n      \"Read(./.env)\"\n    ]\n  }\n}\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("settings file mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Rule{{Kind: "deny", Rule: "Read(./.env)", Source: "local .basalt/settings.local.json"}}, m.info.Rules); diff != "" {
		t.Errorf("rules listed mismatch (-want +got):\n%s", diff)
	}

	slash("/permissions remove Bash(git push:*)")
	if got := last(); !strings.Contains(got, "has no rule Bash(git push:*)") || len(fb.removed) != 1 {
		t.Errorf("removing a missing rule: %q, session removals %v", got, fb.removed)
	}

	// The session refuses (a managed rule of the same text): the file is
	// still changed, and the user is told the session keeps the rule.
	fb.removeErr = errors.New("remove deny rule Read(./.env): it comes from the managed policy")
	slash("/permissions remove Read(./.env)")
	frame := ansi.Strip(m.Frame())
	for _, s := range []string{"Removed deny rule Read(./.env)", "this session keeps its rules", "managed policy"} {
		if !strings.Contains(frame, s) {
			t.Errorf("frame does not say %q:\n%s", s, frame)
		}
	}
	if strings.Contains(frame, "Read(./.env) from .basalt/settings.local.json; it applies now") {
		t.Errorf("a refused removal is said to apply now:\n%s", frame)
	}
}
