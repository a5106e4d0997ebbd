package slashcmd

import (
	"context"
	"strings"
	"testing"
)

// FuzzExpand runs whole expansions (placeholders, ! commands, @mentions)
// over arbitrary bodies and arguments: nothing panics, every command the
// runner sees is one line, a body with none of the special characters
// comes back as it was, and arguments are never lost.
func FuzzExpand(f *testing.F) {
	f.Add("ALL=[$ARGUMENTS] $0 $1\nStatus: !`git status $0`\nFile: @notes.txt\n", "alpha 'beta gamma'")
	f.Add("plain body\n", "")
	f.Add("!`a` !`b`!`c` @\"x y\" @", `"unclosed`)
	f.Add("$ARGUMENTS[", "$ARGUMENTS")
	f.Fuzz(func(t *testing.T, body, args string) {
		c := &Command{Name: "f", Path: "f.md", BodyLine: 1, Body: body, Arguments: []string{"name"}}
		opts := Options{
			Run: func(_ context.Context, cmd string) (string, error) {
				if strings.Contains(cmd, "\n") && !strings.Contains(args, "\n") {
					t.Fatalf("multi-line command %q from body %q", cmd, body)
				}
				return "<ran>", nil
			},
			Read: func(_ context.Context, p string) (string, error) {
				if p == "" {
					t.Fatalf("empty mention read")
				}
				return "content", nil
			},
		}
		e, err := Expand(context.Background(), c, args, opts)
		if err != nil {
			t.Fatalf("expand: %v", err)
		}
		if !strings.ContainsAny(body, "$!@") && strings.TrimSpace(args) == "" && e.Prompt != body {
			t.Fatalf("body %q came back as %q", body, e.Prompt)
		}
		if a := strings.TrimSpace(args); a != "" && !strings.ContainsAny(body, "$!") && !strings.HasSuffix(e.Prompt, "\n\nARGUMENTS: "+a) {
			t.Fatalf("arguments %q lost: %q", a, e.Prompt)
		}
	})
}
