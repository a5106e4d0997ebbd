package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Claude Code's command line, as far as basalt accepts it: camelCase
// aliases, the flags that only make sense there, and the message for the
// ones basalt does not have. The reference is `claude --help` (recorded
// in testdata/claude-code-help.txt).

// claudeFlagAliases maps Claude Code's camelCase spellings to basalt's.
var claudeFlagAliases = map[string]string{
	"allowedTools":    "allowed-tools",
	"disallowedTools": "disallowed-tools",
}

func normalizeClaudeFlag(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	if n, ok := claudeFlagAliases[name]; ok {
		return pflag.NormalizedName(n)
	}
	return pflag.NormalizedName(name)
}

// variadicFlags take several values after one flag in Claude Code
// (`--allowedTools Read "Bash(git diff:*)"`, its `<tools...>`): the words
// after the flag, up to the next one starting with "-", are its values.
// As there, a prompt must come before such a flag or after another flag.
var variadicFlags = map[string]bool{
	"allowed-tools": true, "allowedTools": true,
	"disallowed-tools": true, "disallowedTools": true,
	"add-dir": true, "mcp-config": true,
}

// expandVariadic rewrites Claude Code's several-values form into repeated
// flags, which cobra parses: `--add-dir a b` becomes `--add-dir a
// --add-dir b`. Nothing after "--" is touched.
func expandVariadic(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "--" {
			return append(out, args[i+1:]...)
		}
		name, ok := strings.CutPrefix(a, "--")
		if !ok || !variadicFlags[name] || i+1 >= len(args) {
			continue
		}
		i++
		out = append(out, args[i]) // the first value, whatever it looks like
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			i++
			out = append(out, a, args[i])
		}
	}
	return out
}

// claudeOnlyFlags are Claude Code's flags basalt does not have, each with
// the nearest thing basalt offers ("" when there is none). Keys are the
// long names without dashes; single letters are its shorthands.
var claudeOnlyFlags = map[string]string{
	"agent":                                  "",
	"allow-dangerously-skip-permissions":     "--permission-mode bypassPermissions (or --dangerously-skip-permissions)",
	"ax-screen-reader":                       "",
	"bg":                                     "",
	"background":                             "",
	"bare":                                   "--settings FILE and --system-prompt to give the context explicitly",
	"betas":                                  "",
	"brief":                                  "",
	"chrome":                                 "",
	"no-chrome":                              "",
	"debug":                                  "--verbose (debug log in basalt's state directory)",
	"d":                                      "--verbose (debug log in basalt's state directory)",
	"debug-file":                             "--verbose (debug log in basalt's state directory)",
	"disable-slash-commands":                 "",
	"effort":                                 "",
	"exclude-dynamic-system-prompt-sections": "",
	"file":                                   "",
	"from-pr":                                "--resume ID",
	"ide":                                    "",
	"include-hook-events":                    "",
	"include-partial-messages":               "",
	"name":                                   "",
	"n":                                      "",
	"plugin-dir":                             "",
	"plugin-url":                             "",
	"prompt-suggestions":                     "",
	"remote-control":                         "",
	"remote-control-session-name-prefix":     "",
	"replay-user-messages":                   "",
	"safe-mode":                              "",
	"setting-sources":                        "--settings FILE (one extra settings file)",
	"tmux":                                   "",
	"tools":                                  "--disallowed-tools to deny the tools you do not want",
	"worktree":                               "",
	"w":                                      "",
}

// flagError is the usage error for a flag cobra could not parse. A flag
// of Claude Code's that basalt lacks is named as such, with the nearest
// basalt flag: a script moved from claude should say what to change.
func flagError(err error) error {
	name := unknownFlagName(err.Error())
	if name == "" {
		return &UsageError{Err: err, Hint: "run `basalt --help` for the flags"}
	}
	nearest, ok := claudeOnlyFlags[name]
	if !ok {
		return &UsageError{Err: err, Hint: "run `basalt --help` for the flags"}
	}
	dashes := "--"
	if len(name) == 1 {
		dashes = "-"
	}
	hint := "basalt has nothing like it yet; run `basalt --help` for the flags"
	if nearest != "" {
		hint = "the nearest in basalt: " + nearest
	}
	return &UsageError{Err: fmt.Errorf("unknown flag: %s%s is a Claude Code flag basalt does not have", dashes, name), Hint: hint}
}

// unknownFlagName extracts the flag name from pflag's "unknown flag:
// --x" and "unknown shorthand flag: 'x' in -xyz" messages; "" otherwise.
func unknownFlagName(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		name, _, _ := strings.Cut(rest, "=")
		return name
	}
	if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: '"); ok {
		if r := []rune(rest); len(r) > 1 && r[1] == '\'' {
			return string(r[0])
		}
	}
	return ""
}

// uuidPattern is the textual form of a UUID, which Claude Code requires
// of --session-id ("must be a valid UUID"); it also keeps the ID a safe
// file name.
var uuidPattern = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// validateClaudeFlags checks the flags basalt took from Claude Code and
// reads the system prompt files.
func (o *rootOptions) validateClaudeFlags(cmd *cobra.Command, workDir string) error {
	if o.SessionID != "" {
		if !uuidPattern().MatchString(o.SessionID) {
			return usageErrorf("for example: --session-id $(uuidgen)", "--session-id %q: not a valid UUID", o.SessionID)
		}
		o.SessionID = strings.ToLower(o.SessionID)
		if (o.Continue || o.Resume != "") && !o.ForkSession {
			return usageErrorf("add --fork-session to continue the conversation in a new session with this ID", "--session-id with --resume or --continue needs --fork-session: a resumed session keeps its own ID")
		}
	}
	if o.NoSessionPersistence && !o.Print {
		return usageErrorf("add -p for a headless run", "--no-session-persistence only applies to headless runs (-p)")
	}
	var err error
	if o.SystemPrompt, err = promptFlag(cmd, workDir, "system-prompt", o.SystemPrompt, o.SystemPromptFile); err != nil {
		return err
	}
	if o.AppendSystemPrompt, err = promptFlag(cmd, workDir, "append-system-prompt", o.AppendSystemPrompt, o.AppendSystemPromptFile); err != nil {
		return err
	}
	return nil
}

// promptFlag is the text of --NAME or --NAME-file, which exclude each
// other. Empty text is refused: it would silently drop basalt's
// instructions, or add nothing.
func promptFlag(cmd *cobra.Command, workDir, name, text, file string) (string, error) {
	fileGiven := cmd.Flags().Changed(name + "-file")
	if cmd.Flags().Changed(name) && fileGiven {
		return "", usageErrorf("", "--%s and --%s-file are alternatives: give one", name, name)
	}
	if fileGiven {
		path := file
		if !filepath.IsAbs(path) {
			path = filepath.Join(workDir, path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return "", usageErrorf("", "--%s-file %s: cannot read it: %v", name, file, err)
		}
		text = string(b)
		if strings.TrimSpace(text) == "" {
			return "", usageErrorf("", "--%s-file %s: the file is empty", name, file)
		}
		return text, nil
	}
	if cmd.Flags().Changed(name) && strings.TrimSpace(text) == "" {
		return "", usageErrorf("", "--%s: empty text", name)
	}
	return text, nil
}

// printShortVersion is --version: one line in Claude Code's shape
// ("2.1.0 (Claude Code)"), which scripts cut at the first space.
func printShortVersion(app *App) error {
	_, err := fmt.Fprintf(app.IO.Out, "%s (basalt)\n", currentVersion().Version)
	return err
}
