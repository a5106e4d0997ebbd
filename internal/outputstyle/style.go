package outputstyle

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/basalt-dev/basalt/internal/frontmatter"
	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// Style is one output style.
type Style struct {
	// Name is what `outputStyle` names it by (front matter `name`, else the
	// file name without .md).
	Name        string
	Description string
	// Text is added to the end of the system prompt; empty for default.
	Text string
	// KeepCodingInstructions keeps the software-engineering part of the
	// system prompt. Custom styles drop it unless their front matter sets
	// keep-coding-instructions: true, as in Claude Code.
	KeepCodingInstructions bool
	Builtin                bool
	// Path is the file a custom style came from.
	Path  string
	Scope slashcmd.Scope
}

// IsDefault reports whether s leaves the system prompt unchanged.
func (s Style) IsDefault() bool { return s.Builtin && s.Name == DefaultName }

// Adjustment is how a style changes the system prompt.
type Adjustment struct {
	// Section goes at the end of the system prompt: "# Output Style: NAME"
	// and the style's text, the form Claude Code 2.1.197 sends
	// (slashcmd/testdata/claude-code/facts.json). Empty for default.
	Section string
	// KeepCodingInstructions: leave the coding part of the system prompt in.
	KeepCodingInstructions bool
	// KeepConcisenessInstructions: leave in the push for short answers.
	// Only the default style does; every other style sets its own voice.
	KeepConcisenessInstructions bool
	// Reminder is a line to repeat to the model as the conversation grows
	// (Claude Code reminds the model of a non-default style); empty for
	// default.
	Reminder string
}

// Adjustment returns how s changes the system prompt.
func (s Style) Adjustment() Adjustment {
	if s.IsDefault() {
		return Adjustment{KeepCodingInstructions: true, KeepConcisenessInstructions: true}
	}
	return Adjustment{
		Section:                "# Output Style: " + s.Name + "\n" + strings.TrimSpace(s.Text) + "\n",
		KeepCodingInstructions: s.KeepCodingInstructions,
		Reminder:               fmt.Sprintf("The %s output style is active: keep following its instructions in the system prompt.", s.Name),
	}
}

// Load returns the built-in styles followed by the custom ones found in
// dirs (slashcmd.Paths.Dirs("output-styles"), in increasing precedence: a
// later file of the same name replaces an earlier one). A custom style may
// not take a built-in's name; problems are warnings and the rest load.
func Load(dirs []slashcmd.Dir) ([]Style, []frontmatter.Warning) {
	var warns []frontmatter.Warning
	custom := map[string]Style{}
	builtin := map[string]bool{}
	for _, b := range builtins() {
		builtin[strings.ToLower(b.Name)] = true
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(d.Path)
		if err != nil {
			if !os.IsNotExist(err) {
				warns = append(warns, frontmatter.Warning{Path: d.Path, Msg: "read output styles: " + err.Error()})
			}
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".md") {
				continue
			}
			path := filepath.Join(d.Path, e.Name())
			data, err := os.ReadFile(path)
			if err != nil {
				warns = append(warns, frontmatter.Warning{Path: path, Msg: "read: " + err.Error()})
				continue
			}
			doc, body, _, ws := frontmatter.Parse(path, data)
			warns = append(warns, ws...)
			s := Style{
				Name:        strings.TrimSpace(doc.String("name")),
				Description: strings.TrimSpace(doc.String("description")),
				Text:        body,
				Path:        path,
				Scope:       d.Scope,
			}
			if s.Name == "" {
				s.Name = strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
			}
			keep, w := doc.Bool("keep-coding-instructions", false)
			if w != nil {
				warns = append(warns, *w)
			}
			s.KeepCodingInstructions = keep
			if builtin[strings.ToLower(s.Name)] {
				warns = append(warns, frontmatter.Warning{Path: path, Line: doc.Line("name"), Msg: fmt.Sprintf("%q is a built-in style's name; this file is ignored (rename it)", s.Name)})
				continue
			}
			if strings.TrimSpace(body) == "" {
				warns = append(warns, frontmatter.Warning{Path: path, Msg: "the style has no text after its front matter; it changes nothing but drops the coding instructions unless keep-coding-instructions: true"})
			}
			custom[strings.ToLower(s.Name)] = s
		}
	}
	out := builtins()
	var names []string
	for k := range custom {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		out = append(out, custom[k])
	}
	return out, warns
}

// UnknownError is returned by [Resolve] for a name no style has.
type UnknownError struct {
	Name      string
	Available []string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("output style %q not found; using default. Available: %s", e.Name, strings.Join(e.Available, ", "))
}

// Resolve finds the style the `outputStyle` setting names, matching an
// exact name first and then ignoring case ("explanatory" finds
// "Explanatory"). Empty means default. An unknown name returns the default
// style and an *UnknownError listing the available names, for the caller
// to show as a warning: a typo must not stop a session.
func Resolve(styles []Style, name string) (Style, error) {
	name = strings.TrimSpace(name)
	if len(styles) == 0 {
		styles = builtins()
	}
	def := styles[0]
	for _, s := range styles {
		if s.IsDefault() {
			def = s
		}
	}
	if name == "" {
		return def, nil
	}
	for _, s := range styles {
		if s.Name == name {
			return s, nil
		}
	}
	for _, s := range styles {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	e := &UnknownError{Name: name}
	for _, s := range styles {
		e.Available = append(e.Available, s.Name)
	}
	return def, e
}
