package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/hooks"
)

func TestHooksReport(t *testing.T) {
	plain := func(s ...string) string { return strings.Join(s, "") }
	user := hooks.Source{Kind: config.SourceUser, Path: "/home/u/.claude/settings.json"}
	v := harness.HooksView{
		Entries: []hooks.Entry{
			{Event: hooks.PreToolUse, Matcher: "Bash", Command: "./guard.sh", Source: user, Timeout: time.Minute, Fired: true},
			{Event: hooks.PreToolUse, Command: "./log.sh", Source: user, Timeout: 10 * time.Minute, Fired: true},
			{Event: hooks.PostCompact, Command: "./after.sh", Source: user, Timeout: 10 * time.Minute},
		},
		Skipped: []string{"1 hooks of project /w/.claude/settings.json: the folder is not trusted"},
		Pending: &harness.HooksChange{Files: []string{"/w/.claude/settings.json"}, Trust: map[string]bool{"/w/.claude/settings.json": true},
			Changes: []hooks.Change{{Added: true, Entry: hooks.Entry{Event: hooks.Stop, Command: "./stop.sh", Source: user, Timeout: time.Second}}}},
	}
	got := hooksReport(v, plain)
	for _, want := range []string{
		"  PreToolUse\n    [Bash] ./guard.sh\n      user /home/u/.claude/settings.json, timeout 1m0s\n    [*] ./log.sh\n",
		"  PostCompact (not fired by basalt)\n    [*] ./after.sh",
		"Not run\n  1 hooks of project /w/.claude/settings.json: the folder is not trusted",
		"Changed in /w/.claude/settings.json since the session started (not applied: /hooks apply, or restart basalt)\n  + Stop [*] ./stop.sh",
		"`basalt trust`",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if got := hooksReport(harness.HooksView{}, plain); !strings.Contains(got, "  none") {
		t.Errorf("empty report = %q", got)
	}
	found := false
	for _, c := range commandTable() {
		found = found || c.name == "hooks"
	}
	if !found {
		t.Error("/hooks is not in the command table")
	}
}
