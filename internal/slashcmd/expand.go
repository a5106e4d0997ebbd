package slashcmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Runner runs one `!` command line of a prompt and returns its output.
// The harness implements it with the Bash tool behind the permission
// check, granting the command's AllowedTools for this call only. A denial
// is an error wrapping [ErrDenied] with the reason; a command that fails
// is an error whose text is its stderr (or exit status). It must honour
// ctx.
type Runner func(ctx context.Context, command string) (string, error)

// Reader returns what the model should see of the file an @path names
// (as the Read tool would show it), or an error when it cannot be read or
// may not be: the mention then stays plain text, as in Claude Code.
type Reader func(ctx context.Context, path string) (string, error)

// Options are the caller's side of an expansion.
type Options struct {
	// Run runs `!` command lines. Nil makes a prompt that has one fail
	// with an error naming the file and line (nothing runs unasked).
	Run Runner
	// Read resolves @file mentions into attachments. Nil leaves them as
	// text (the Skill tool's case: a tool result carries no attachments).
	Read Reader
	// SessionID is substituted for ${CLAUDE_SESSION_ID}.
	SessionID string
}

// Attachment is a file an @mention in the prompt named.
type Attachment struct {
	// Path is the mention as written, without the @ ("src/main.go").
	Path string
	// Content is what the Reader returned.
	Content string
}

// Expansion is one invocation turned into what the model receives.
type Expansion struct {
	Command *Command
	// Args is the argument string as the user typed it.
	Args string
	// Prompt is the expanded body: the text block that follows Header in
	// the user message (for a skill it starts with its base directory).
	Prompt string
	// Attachments are the files @mentions named, in order, each once.
	Attachments []Attachment
	// AllowedTools are permission rules granted for this prompt only.
	AllowedTools []string
	// Model overrides the session's model for this prompt; empty keeps it.
	Model string
}

// Header is the text block Claude Code puts before an invoked command's
// prompt in the same user message, so the transcript shows what was typed.
func (e Expansion) Header() string {
	return "<command-message>" + e.Command.Name + "</command-message>\n" +
		"<command-name>/" + e.Command.Name + "</command-name>\n" +
		"<command-args>" + e.Args + "</command-args>\n"
}

// ErrNoRunner is wrapped by the error of a prompt with a `!` command when
// [Options.Run] is nil.
var ErrNoRunner = errors.New("no runner for ! commands")

// ErrDenied is what a [Runner] wraps when the permission check refuses a
// `!` command (as opposed to the command failing).
var ErrDenied = errors.New("permission denied")

// ShellError is the error of an expansion whose `!` command was refused or
// failed. The prompt is then not sent at all (Claude Code 2.1.197 does the
// same: no request, only a <local-command-stderr> message).
type ShellError struct {
	Path    string
	Line    int
	Pattern string // the !`…` text as written in the file
	Command string // what ran, placeholders replaced
	Err     error
}

func (e *ShellError) Error() string {
	return fmt.Sprintf("%s:%d: !`%s`: %v", e.Path, e.Line, e.Command, e.Err)
}

func (e *ShellError) Unwrap() error { return e.Err }

// Denied reports whether the permission check refused the command.
func (e *ShellError) Denied() bool { return errors.Is(e.Err, ErrDenied) }

// LocalCommandStderr is the text Claude Code shows (and prints in
// stream-json as a user line wrapped in <local-command-stderr>) for this
// failure, as recorded in testdata/claude-code/facts.json ("failing",
// "denied").
func (e *ShellError) LocalCommandStderr() string {
	what := "failed"
	if e.Denied() {
		what = "permission check failed"
	}
	reason := strings.TrimPrefix(e.Err.Error(), ErrDenied.Error()+": ")
	return fmt.Sprintf("Error: Shell command %s for pattern \"!`%s`\": %s", what, e.Pattern, reason)
}

// Expand turns an invocation of c with args into its prompt. Placeholders
// are replaced in the template text; each !`command` is run through
// opts.Run (with the placeholders inside it replaced first) and replaced
// by its trimmed output, which is not expanded again. When the template
// names no argument at all and args is not empty, Claude Code's
// "\n\nARGUMENTS: args" is appended so the arguments are never lost.
// An error names the file and line of the failing `!` command.
func Expand(ctx context.Context, c *Command, args string, opts Options) (Expansion, error) {
	args = strings.TrimSpace(args)
	vars := map[string]string{"CLAUDE_SESSION_ID": opts.SessionID}
	if c.Kind == KindSkill {
		vars["CLAUDE_SKILL_DIR"] = c.Dir
	}
	sub := newSubstitution(args, c.Arguments, vars)
	var b strings.Builder
	used := false
	body := c.Body
	pos := 0
	for _, sh := range findShell(body) {
		text, u := sub.apply(body[pos:sh.start])
		b.WriteString(text)
		used = used || u
		cmd, u := sub.apply(sh.cmd)
		used = used || u
		line := c.BodyLine + strings.Count(body[:sh.start], "\n")
		if opts.Run == nil {
			return Expansion{}, &ShellError{Path: c.Path, Line: line, Pattern: sh.cmd, Command: sh.cmd, Err: ErrNoRunner}
		}
		out, err := opts.Run(ctx, cmd)
		if err != nil {
			return Expansion{}, &ShellError{Path: c.Path, Line: line, Pattern: sh.cmd, Command: cmd, Err: err}
		}
		b.WriteString(strings.TrimSpace(out))
		pos = sh.end
	}
	text, u := sub.apply(body[pos:])
	b.WriteString(text)
	used = used || u
	prompt := b.String()
	if !used && args != "" {
		prompt += "\n\nARGUMENTS: " + args
	}
	if c.Kind == KindSkill {
		prompt = "Base directory for this skill: " + c.Dir + "\n\n" + prompt
	}
	e := Expansion{Command: c, Args: args, Prompt: prompt, AllowedTools: c.AllowedTools, Model: c.Model}
	if opts.Read != nil {
		e.Attachments = attach(ctx, prompt, opts.Read)
	}
	return e, ctx.Err()
}

type shellSpan struct {
	start, end int // of "!`…`" in the body
	cmd        string
}

// findShell finds Claude Code's inline !`command` forms: a "!" at the start
// of a line or after a blank, then a backquoted command on one line.
func findShell(body string) []shellSpan {
	var out []shellSpan
	for i := 0; i+1 < len(body); i++ {
		if body[i] != '!' || body[i+1] != '`' {
			continue
		}
		if i > 0 && !isBlank(body[i-1]) {
			continue
		}
		end := strings.IndexAny(body[i+2:], "`\n")
		if end <= 0 || body[i+2+end] != '`' {
			continue
		}
		cmd := body[i+2 : i+2+end]
		if strings.TrimSpace(cmd) == "" {
			continue
		}
		out = append(out, shellSpan{start: i, end: i + 3 + end, cmd: cmd})
		i += 2 + end
	}
	return out
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// attach resolves the @mentions of text through read: `@path` or
// `@"path with blanks"` at the start or after a blank. A mention that does
// not resolve is retried without trailing punctuation ("see @a.go."), then
// left as text.
func attach(ctx context.Context, text string, read Reader) []Attachment {
	var out []Attachment
	seen := map[string]bool{}
	for _, forms := range MentionForms(text) {
		for _, p := range forms {
			if p == "" || seen[p] {
				break
			}
			content, err := read(ctx, p)
			if err != nil {
				continue
			}
			seen[p] = true
			out = append(out, Attachment{Path: p, Content: content})
			break
		}
	}
	return out
}

// MentionForms returns the @path mentions of text, each as the paths to
// try in order: as written, then without trailing punctuation. Every
// @file reader (a command's, a plain prompt's) uses it, so a mention
// means the same thing everywhere.
func MentionForms(text string) [][]string {
	var out [][]string
	for _, m := range mentions(text) {
		forms := []string{m}
		if t := strings.TrimRight(m, ".,;:!?)]}'\""); t != m && t != "" {
			forms = append(forms, t)
		}
		out = append(out, forms)
	}
	return out
}

func mentions(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || (i > 0 && !isBlank(text[i-1])) {
			continue
		}
		rest := text[i+1:]
		if strings.HasPrefix(rest, `"`) {
			if end := strings.IndexByte(rest[1:], '"'); end > 0 {
				out = append(out, rest[1:1+end])
				i += end + 2
			}
			continue
		}
		end := strings.IndexAny(rest, " \t\r\n")
		if end < 0 {
			end = len(rest)
		}
		if end > 0 {
			out = append(out, rest[:end])
			i += end
		}
	}
	return out
}
