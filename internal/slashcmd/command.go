package slashcmd

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/basalt-dev/basalt/internal/frontmatter"
)

// Kind tells a command file from a skill directory.
type Kind int

const (
	KindCommand Kind = iota // a .md file under commands/
	KindSkill               // a SKILL.md under skills/<name>/
)

// Scope is where an entry was found.
type Scope string

const (
	ScopeProject Scope = "project"
	ScopeUser    Scope = "user"
)

// Warning is a problem in one file; the file is skipped or loaded as well
// as it could be, and the others load.
type Warning = frontmatter.Warning

// Command is one invocable prompt: a custom command or a skill.
type Command struct {
	// Name is what follows the slash: "review", or "frontend:build" for
	// commands/frontend/build.md.
	Name  string
	Kind  Kind
	Scope Scope
	// Path is the file the prompt came from.
	Path string
	// Dir is a skill's directory (its "base directory"); empty for commands.
	Dir string
	// Description is the front matter's description, else the body's
	// first non-empty line.
	Description string
	// WhenToUse is a skill's when_to_use, appended to its description in
	// the model's listing.
	WhenToUse    string
	ArgumentHint string
	// Arguments are the names of positional arguments (front matter
	// `arguments`), usable as $name in the body.
	Arguments []string
	// AllowedTools are permission rules granted while this prompt runs
	// (front matter `allowed-tools`), e.g. "Bash(git diff:*)".
	AllowedTools []string
	// Model overrides the model for this prompt; empty means the session's.
	Model string
	// DisableModelInvocation keeps the entry out of the model's listing and
	// the Skill tool: only the user can run it.
	DisableModelInvocation bool
	// UserInvocable is false for a skill the user cannot run with /name
	// (front matter `user-invocable: false`).
	UserInvocable bool
	// Body is the prompt template, after the front matter.
	Body string
	// BodyLine is the line of Path the body starts on, for error messages.
	BodyLine int
}

// Namespace is the part of Name before its last colon ("frontend" for
// "frontend:build"), empty for a top-level command.
func (c *Command) Namespace() string {
	if i := strings.LastIndexByte(c.Name, ':'); i >= 0 {
		return c.Name[:i]
	}
	return ""
}

// Label is the source shown beside a command in /help and completion, as
// Claude Code shows it: "(project)", "(user)", "(project:frontend)".
func (c *Command) Label() string {
	if ns := c.Namespace(); ns != "" {
		return "(" + string(c.Scope) + ":" + ns + ")"
	}
	return "(" + string(c.Scope) + ")"
}

// Usage is the command as /help and completion show it: "/name" and its
// argument hint, e.g. "/review [pr-number]".
func (c *Command) Usage() string {
	if c.ArgumentHint == "" {
		return "/" + c.Name
	}
	return "/" + c.Name + " " + c.ArgumentHint
}

// Dir is one directory commands or skills are read from.
type Dir struct {
	Path  string
	Scope Scope
}

// Paths are the places a session reads its configuration from.
type Paths struct {
	// Root is the project root (where .claude/ and .basalt/ live).
	Root string
	// Home is the user's home directory (~/.claude).
	Home string
	// ConfigHome is basalt's user directory: $XDG_CONFIG_HOME/basalt, else
	// ~/.config/basalt, as config.Load finds the user settings.
	ConfigHome string
}

// PathsFromEnv builds Paths the way internal/config finds the user
// settings file: XDG_CONFIG_HOME, else HOME/.config.
func PathsFromEnv(root string, getenv func(string) string) Paths {
	home := getenv("HOME")
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	p := Paths{Root: root, Home: home}
	if xdg != "" {
		p.ConfigHome = filepath.Join(xdg, "basalt")
	}
	return p
}

// Dirs returns the directories named sub ("commands", "skills",
// "output-styles") in increasing precedence: project Claude Code, project
// basalt, user Claude Code, user basalt. A later directory's entry wins a
// name clash: Claude Code lets a user entry override a project one
// (observed with 2.1.197), and basalt's own directory overrides Claude
// Code's at the same level, as its settings files do.
func (p Paths) Dirs(sub string) []Dir {
	var out []Dir
	add := func(path string, s Scope) {
		if path != "" {
			out = append(out, Dir{Path: path, Scope: s})
		}
	}
	if p.Root != "" {
		add(filepath.Join(p.Root, ".claude", sub), ScopeProject)
		add(filepath.Join(p.Root, ".basalt", sub), ScopeProject)
	}
	if p.Home != "" {
		add(filepath.Join(p.Home, ".claude", sub), ScopeUser)
	}
	if p.ConfigHome != "" {
		add(filepath.Join(p.ConfigHome, sub), ScopeUser)
	}
	return out
}

// maxFileSize bounds a prompt file: a larger one is almost certainly not a
// prompt, and would flood the context.
const maxFileSize = 512 << 10

// LoadCommands reads every *.md under each dir (recursively; a subfolder
// becomes a "folder:" prefix of the name). dirs are in increasing
// precedence (see [Paths.Dirs]). A missing directory is not an error; a
// file that cannot be read or has bad front matter is a warning.
func LoadCommands(dirs []Dir) ([]Command, []Warning) {
	byName := map[string]Command{}
	var warns []Warning
	for _, d := range dirs {
		// WalkDir does not follow a symlinked root, and a commands
		// directory linked from a dotfiles checkout is common.
		root := d.Path
		if r, err := filepath.EvalSymlinks(root); err == nil {
			root = r
		}
		_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				if path != root || !os.IsNotExist(err) {
					warns = append(warns, Warning{Path: path, Msg: "read commands: " + err.Error()})
				}
				return nil
			}
			if e.IsDir() {
				if path != root && strings.HasPrefix(e.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.EqualFold(filepath.Ext(path), ".md") {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			name := commandName(rel)
			if msg := checkName(name); msg != "" {
				warns = append(warns, Warning{Path: path, Msg: msg + "; skipped"})
				return nil
			}
			data, w := readPrompt(path)
			if w != nil {
				warns = append(warns, *w)
				return nil
			}
			c, ws := parseCommand(path, data)
			warns = append(warns, ws...)
			c.Name, c.Kind, c.Scope, c.UserInvocable = name, KindCommand, d.Scope, true
			byName[name] = c
			return nil
		})
	}
	out := make([]Command, 0, len(byName))
	for _, c := range byName {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, warns
}

// commandName turns "frontend/build.md" into "frontend:build".
func commandName(rel string) string {
	rel = strings.TrimSuffix(rel, filepath.Ext(rel))
	return strings.Join(strings.Split(filepath.ToSlash(rel), "/"), ":")
}

// checkName says why name cannot be typed after a slash, or "".
func checkName(name string) string {
	if name == "" || strings.HasPrefix(name, ":") || strings.HasSuffix(name, ":") || strings.Contains(name, "::") {
		return fmt.Sprintf("name %q is empty or has an empty part", name)
	}
	if strings.ContainsAny(name, " \t\n\r\"'`@$") {
		return fmt.Sprintf("name %q has a blank, quote, @ or $ and cannot be typed as /%s", name, name)
	}
	return ""
}

// readPrompt reads a prompt file within [maxFileSize].
func readPrompt(path string) ([]byte, *Warning) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &Warning{Path: path, Msg: "read: " + err.Error()}
	}
	if fi.Size() > maxFileSize {
		return nil, &Warning{Path: path, Msg: fmt.Sprintf("%d bytes is more than a prompt file may hold (%d); skipped", fi.Size(), maxFileSize)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Warning{Path: path, Msg: "read: " + err.Error()}
	}
	return data, nil
}

// ParseFile reads the front matter and body shared by commands and skills.
// Name, Kind and Scope are left for the caller.
func ParseFile(path string, data []byte) (Command, []Warning) {
	return parseCommand(path, data)
}

func parseCommand(path string, data []byte) (Command, []Warning) {
	doc, body, bodyLine, warns := frontmatter.Parse(path, data)
	c := Command{
		Path:         path,
		Body:         body,
		BodyLine:     bodyLine,
		Description:  strings.TrimSpace(doc.String("description")),
		WhenToUse:    strings.TrimSpace(doc.String("when_to_use")),
		ArgumentHint: strings.TrimSpace(doc.String("argument-hint")),
		Arguments:    doc.List("arguments"),
		AllowedTools: doc.List("allowed-tools"),
		Model:        strings.TrimSpace(doc.String("model")),
	}
	if c.Model == "inherit" {
		c.Model = ""
	}
	if c.Description == "" {
		c.Description = firstLine(body)
	}
	var w *Warning
	if c.DisableModelInvocation, w = doc.Bool("disable-model-invocation", false); w != nil {
		warns = append(warns, *w)
	}
	if c.UserInvocable, w = doc.Bool("user-invocable", true); w != nil {
		warns = append(warns, *w)
	}
	for _, u := range unsupported {
		if doc.Has(u.key) && (u.value == "" || strings.TrimSpace(doc.String(u.key)) == u.value) {
			warns = append(warns, Warning{Path: path, Line: doc.Line(u.key), Msg: u.why})
		}
	}
	for _, a := range c.Arguments {
		if !isArgName(a) {
			warns = append(warns, Warning{Path: path, Line: doc.Line("arguments"), Msg: fmt.Sprintf("arguments: %q is not a name ($%s cannot be written); it still takes its position", a, a)})
		}
	}
	return c, warns
}

// unsupported are front matter keys Claude Code documents that change
// how a prompt runs and that basalt does not do yet: the file still loads
// and runs inline, and the warning says what differs.
var unsupported = []struct{ key, value, why string }{
	{"context", "fork", "context: fork (run in a subagent) is not supported yet; basalt runs this prompt in the main conversation"},
	{"hooks", "", "hooks in a command or skill are not run yet; only the hooks of settings files apply"},
}

// firstLine is the body's first non-empty line, without Markdown heading
// marks: what Claude Code lists for a command without a description.
func firstLine(body string) string {
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "#"))
		if l != "" {
			return l
		}
	}
	return ""
}
