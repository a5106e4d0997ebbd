package tool

import (
	"fmt"
	"slices"
	"strings"
)

// fileTypes maps Grep's type names (ripgrep's names for the same types) to
// file-name globs. Both search paths use this table, rg through
// --type-add, so they select the same files whatever rg's version knows.
func fileTypes() map[string][]string {
	return map[string][]string{
		"asm":      {"*.S", "*.asm", "*.s"},
		"c":        {"*.[chH]", "*.[chH].in", "*.cats"},
		"clojure":  {"*.clj", "*.cljc", "*.cljs", "*.cljx"},
		"cmake":    {"*.cmake", "CMakeLists.txt"},
		"cpp":      {"*.[ChH]", "*.[ChH].in", "*.[ch]pp", "*.[ch]pp.in", "*.[ch]xx", "*.[ch]xx.in", "*.cc", "*.cc.in", "*.hh", "*.hh.in", "*.inl"},
		"csharp":   {"*.cs"},
		"css":      {"*.css", "*.scss"},
		"dart":     {"*.dart"},
		"docker":   {"*Dockerfile*"},
		"elixir":   {"*.eex", "*.ex", "*.exs"},
		"erlang":   {"*.erl", "*.hrl"},
		"go":       {"*.go"},
		"gradle":   {"*.gradle"},
		"haskell":  {"*.c2hs", "*.cpphs", "*.hs", "*.hsc", "*.lhs"},
		"html":     {"*.ejs", "*.htm", "*.html"},
		"java":     {"*.java", "*.jsp", "*.jspx", "*.properties"},
		"js":       {"*.js", "*.jsx", "*.vue", "*.mjs", "*.cjs"},
		"json":     {"*.json", "composer.lock"},
		"jsonl":    {"*.jsonl"},
		"kotlin":   {"*.kt", "*.kts"},
		"lua":      {"*.lua"},
		"make":     {"*.mak", "*.mk", "[Gg][Nn][Uu]makefile", "[Mm]akefile", "[Mm]akefile.am", "[Mm]akefile.in"},
		"markdown": {"*.markdown", "*.md", "*.mdown", "*.mkdn"},
		"md":       {"*.markdown", "*.md", "*.mdown", "*.mkdn"},
		"objc":     {"*.h", "*.m"},
		"ocaml":    {"*.ml", "*.mli", "*.mll", "*.mly"},
		"perl":     {"*.PL", "*.perl", "*.pl", "*.plh", "*.plx", "*.pm", "*.t"},
		"php":      {"*.php", "*.php3", "*.php4", "*.php5", "*.phtml"},
		"protobuf": {"*.proto"},
		"py":       {"*.py", "*.pyi"},
		"r":        {"*.R", "*.Rmd", "*.Rnw", "*.r"},
		"rst":      {"*.rst"},
		"ruby":     {"*.gemspec", "*.rb", "*.rbw", ".irbrc", "Gemfile", "Rakefile", "config.ru"},
		"rust":     {"*.rs"},
		"scala":    {"*.sbt", "*.scala"},
		"sh":       {"*.bash", "*.bashrc", "*.csh", "*.ksh", "*.sh", "*.tcsh", "*.zsh", ".bash_profile", ".bashrc", ".profile", ".zshrc", ".zprofile"},
		"sql":      {"*.psql", "*.sql"},
		"swift":    {"*.swift"},
		"tex":      {"*.bib", "*.cls", "*.sty", "*.tex"},
		"tf":       {"*.tf", "*.tfvars"},
		"toml":     {"*.toml", "Cargo.lock"},
		"ts":       {"*.ts", "*.tsx", "*.mts", "*.cts"},
		"txt":      {"*.txt"},
		"xml":      {"*.dtd", "*.xml", "*.xsd", "*.xsl", "*.xslt", "*.xhtml"},
		"yaml":     {"*.yaml", "*.yml"},
		"zig":      {"*.zig"},
	}
}

// typeFilter matches file names against one type's globs.
type typeFilter struct {
	name  string
	globs []string
	match []*pathGlob
}

func newTypeFilter(name string) (*typeFilter, error) {
	if name == "" {
		return nil, nil
	}
	types := fileTypes()
	globs, ok := types[name]
	if !ok {
		names := make([]string, 0, len(types))
		for n := range types {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("unknown type %q; the types are: %s. Use glob for anything else", name, strings.Join(names, ", "))
	}
	f := &typeFilter{name: name, globs: globs}
	for _, g := range globs {
		c, err := compileGlob(g, false)
		if err != nil {
			return nil, err
		}
		f.match = append(f.match, c)
	}
	return f, nil
}

// matches reports whether a file called name is of the type.
func (f *typeFilter) matches(name string) bool {
	for _, g := range f.match {
		if g.match(name) {
			return true
		}
	}
	return false
}
