package permission

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// differentialCases are texts that bash may read differently from the
// parser. Each must be asked under allow rules that cover every command
// the parser sees, and the canary command must never be allowed.
var differentialCases = []struct {
	class string
	name  string
	cmd   string
}{
	{"control", "carriage return before a comment", "ls\r#$(touch canary)"},
	{"control", "carriage return as a blank", "ls\r-la"},
	{"control", "CRLF line ends", "ls\r\necho ok\r\n"},
	{"control", "NUL", "ls\x00; touch canary"},
	{"control", "vertical tab", "ls\v#$(touch canary)"},
	{"control", "form feed", "ls\f#$(touch canary)"},
	{"control", "escape", "ls \x1b[2K"},
	{"control", "DEL", "ls \x7f"},
	{"encoding", "invalid UTF-8", "ls \xff#$(touch canary)"},
	{"encoding", "overlong encoding of /", "ls \xc0\xaf"},
	{"encoding", "lone surrogate", "ls \xed\xa0\x80"},
	{"unicode", "no-break space", "ls\u00a0#$(touch canary)"},
	{"unicode", "ideographic space", "ls\u3000-la"},
	{"unicode", "line separator", "ls\u2028touch canary"},
	{"unicode", "right-to-left override", "ls \u202e txt.exe"},
	{"unicode", "zero-width space", "l\u200bs"},
	{"unicode", "byte order mark", "\ufeffls"},
	{"unicode", "private use", "ls \ue000"},
	{"comment", "comment ending in a backslash", "ls # note \\\ntouch canary"},
	{"comment", "bare # and backslash", "ls #\\\ntouch canary"},
	{"comment", "comment after a word", "echo a #b\\\ntouch canary"},
	{"backslash", "trailing backslash", "ls \\"},
	{"continuation", "continuation inside $#", "ls $\\\n#"},
	{"continuation", "continuation inside $(", "ls $\\\n(touch canary)"},
	{"continuation", "continuation inside &&", "ls &\\\n& touch canary"},
	{"continuation", "continuation inside a name", "l\\\ns"},
	{"continuation", "continuation inside ${", "ls $\\\n{x}"},
	{"backslash", "three trailing backslashes", "ls \\\\\\"},
	{"heredoc", "backslash-newline in the delimiter line", "cat <<EOF\nx\nE\\\nOF\ntouch canary\nEOF"},
	{"heredoc", "backslash-newline anywhere in an unquoted body", "cat <<EOF\nx \\\ny\nEOF"},
	{"heredoc", "delimiter followed by a parenthesis", "echo \"$(cat <<EOF\nx\nEOF)\ntouch canary\nEOF\n)\""},
	{"heredoc", "indented delimiter", "cat <<EOF\n  EOF\ntouch canary\nEOF"},
	{"heredoc", "delimiter with trailing text", "cat <<EOF\nEOF \ntouch canary\nEOF"},
	{"heredoc", "partly quoted delimiter", "cat <<E\"O\"F\nx\nEOF\nls"},
	{"heredoc", "delimiter with an expansion", "cat <<$X\nx\n$X\nls"},
	{"heredoc", "here-document in backquotes", "echo `cat <<EOF\nx ` ; touch canary ; `\nEOF`"},
	{"quotes", "single quotes in a double-quoted default", "echo \"${x:-'$(touch canary)'}\""},
	{"quotes", "single quotes in a double-quoted pattern", "echo \"${x#'$(touch canary)'}\""},
	{"quotes", "dollar-single quotes in a double-quoted default", "echo \"${x:-$'$(touch canary)'}\""},
	{"extglob", "substitution in a [[ pattern", "[[ x = !($(touch canary)) ]]"},
	{"extglob", "backquotes in a [[ pattern", "[[ x == @(`touch canary`) ]]"},
	{"nesting", "deeply nested substitutions", strings.Repeat("$(", 3000) + strings.Repeat(")", 3000)},
	{"nesting", "long arithmetic chain", "echo $((" + strings.Repeat("1+", 5000) + "1))"},
}

func TestDifferentialTextIsAsked(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	allow := []string{"Bash(ls:*)", "Bash(cat:*)", "Bash(echo:*)", "Bash(touch:*)"}
	for _, tc := range differentialCases {
		t.Run(tc.class+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := scanCommand(tc.cmd, tr.root, tr.home); err == nil {
				t.Errorf("scanCommand(%q) accepted the text", tc.cmd)
			}
			if !utf8.ValidString(tc.cmd) {
				return // tool input arrives as JSON, which cannot carry it
			}
			for _, m := range []struct {
				mode  Mode
				rules ruleLists
				want  Behavior
			}{
				{ModeDefault, ruleLists{allow: allow}, Ask},
				{ModeAcceptEdits, ruleLists{allow: allow}, Ask},
				{ModeDefault, ruleLists{allow: []string{"Bash"}, deny: []string{"Bash(rm:*)"}}, Ask},
				{ModeBypass, ruleLists{deny: []string{"Bash(rm:*)"}}, Ask},
				{ModePlan, ruleLists{allow: allow}, Deny},
			} {
				d := tr.checker(t, m.mode, m.rules).Decide(bashReq(tc.cmd))
				if d.Behavior != m.want {
					t.Errorf("%s with %v: got %s (%s), want %s", m.mode, m.rules, d.Behavior, d.Reason, m.want)
				}
			}
		})
	}
}

// TestOrdinaryTextIsNotAsked guards against the lexical checks asking for
// what models write every day.
func TestOrdinaryTextIsNotAsked(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{allow: []string{"Bash(git commit:*)", "Bash(ls:*)", "Bash(cat:*)", "Bash(echo:*)", "Bash(grep:*)"}})
	for name, cmd := range map[string]string{
		"commit message here-document":  "git commit -m \"$(cat <<'EOF'\nFix the parser\n\nIt no longer trips on ünïcödé — or on “quotes”.\nEOF\n)\"",
		"unquoted here-document":        "cat <<EOF\nhello $USER\nEOF",
		"dash here-document":            "cat <<-EOF\n\thello\n\tEOF",
		"quoted body with continuation": "cat <<'EOF'\nfoo \\\n  bar\nEOF",
		"line continuation":             "ls -la \\\n  src",
		"comment":                       "ls # list the files",
		"non-ASCII in quotes":           "echo 'café ✓ 日本語'",
		"non-ASCII path":                "ls données/",
		"emoji":                         "echo '🚀'",
		"tabs":                          "ls\t-la",
		"escaped trailing backslash":    "echo a\\\\",
		"double quotes in a default":    "echo \"${x:-\"a\"}\"",
		"grep for a hash":               "grep -n '#' src/main.go",
	} {
		t.Run(name, func(t *testing.T) {
			if d := c.Decide(bashReq(cmd)); d.Behavior != Allow {
				t.Errorf("%q: got %s (%s), want allow", cmd, d.Behavior, d.Reason)
			}
		})
	}
}

func TestBraceExpansionAcrossQuotes(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	for _, cmd := range []string{"{rm,''} -rf x", "{,''rm} -rf x", `{r""m,} -rf x`, "{rm,-rf,x''}", `{rm,\"\"}`} {
		t.Run(cmd, func(t *testing.T) {
			for _, m := range []struct {
				mode  Mode
				allow []string
			}{{ModeDefault, []string{"Bash"}}, {ModeBypass, nil}} {
				c := tr.checker(t, m.mode, ruleLists{allow: m.allow, deny: []string{"Bash(rm:*)"}})
				if d := c.Decide(bashReq(cmd)); d.Behavior == Allow {
					t.Errorf("%s: %q was allowed (%s) although bash runs rm", m.mode, cmd, d.Reason)
				}
			}
		})
	}
}
