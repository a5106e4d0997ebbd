package hooks

import "testing"

func TestMatcher(t *testing.T) {
	t.Parallel()
	tests := []struct {
		matcher string
		value   string
		want    bool
	}{
		{"", "Bash", true},
		{"*", "mcp__github__create_issue", true},
		{"Bash", "Bash", true},
		{"Bash", "BashOutput", false}, // plain names match exactly, not as a prefix
		{"Edit|Write", "Write", true},
		{"Edit|Write", "MultiEdit", false},
		{"Edit|MultiEdit|Write", "MultiEdit", true},
		{"Notebook.*", "NotebookEdit", true},
		{"Notebook.*", "Read", false},
		{"mcp__github__.*", "mcp__github__create_issue", true},
		{"mcp__github__.*", "mcp__gitlab__create_issue", false},
		{"mcp__.*__write.*", "mcp__fs__write_file", true},
		{"Write.*", "MultiEdit", false},
		{".*Edit", "MultiEdit", true}, // a regular expression is searched, unanchored
		{"Edit", "MultiEdit", false},
		{"^Edit$", "Edit", true},
		{"startup|resume", "resume", true},
		{"startup, resume", "resume", true},
		{"startup,clear", "compact", false},
		{"Task", "Agent", true}, // legacy names reach the current tool
		{"Agent", "Task", true},
		{"KillBash", "KillShell", true},
		{"BashOutput", "BashOutput", true},
		{"Bash(Output)?", "BashOutput", true},
	}
	for _, tt := range tests {
		m, err := compileMatcher(tt.matcher)
		if err != nil {
			t.Fatalf("compileMatcher(%q): %v", tt.matcher, err)
		}
		if got := m.match(tt.value); got != tt.want {
			t.Errorf("matcher %q on %q = %v, want %v", tt.matcher, tt.value, got, tt.want)
		}
	}
}

func TestMatcherBadRegexpMatchesNothing(t *testing.T) {
	t.Parallel()
	m, err := compileMatcher("Edit(?=x)") // a JavaScript lookahead RE2 cannot read
	if err == nil {
		t.Fatal("no error for a matcher basalt cannot compile")
	}
	if m.match("Edit") || m.match("Editx") {
		t.Error("a matcher that does not compile matched")
	}
}
