package rulespec

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// CheckPath reports why a Read/Edit-family specifier (already
// [Unescape]d) cannot be compiled, or nil. homeKnown says whether the
// home directory is known, which ~/ patterns need.
func CheckPath(spec string, homeKnown bool) error {
	s := spec
	switch {
	case strings.HasPrefix(s, "!"):
		return errors.New("negated patterns are not supported; a deny or ask rule says what to exclude")
	case strings.HasPrefix(s, "//"):
		s = strings.TrimLeft(s, "/")
	case s == "~" || strings.HasPrefix(s, "~/"):
		if !homeKnown {
			return errors.New("the home directory is not known, so ~/ cannot be resolved")
		}
		s = strings.TrimPrefix(strings.TrimPrefix(s, "~"), "/")
	case strings.HasPrefix(s, "~"):
		return errors.New("only ~/ (your own home directory) is supported")
	case strings.HasPrefix(s, "/"):
		s = strings.TrimLeft(s, "/")
	case strings.HasPrefix(s, "./"):
		s = strings.TrimLeft(strings.TrimPrefix(s, "./"), "/")
	}
	s = strings.TrimRight(s, "/")
	if s == "" {
		return nil
	}
	for _, e := range strings.Split(s, "/") {
		switch e {
		case "":
			return errors.New("empty path component (double slash)")
		case ".", "..":
			return fmt.Errorf("%q components are not allowed; write the path it leads to", e)
		}
		if e != "**" {
			if _, err := path.Match(e, ""); err != nil {
				return fmt.Errorf("component %q: %w", e, err)
			}
		}
	}
	return nil
}

// WidenPath gives a deny or ask path specifier basalt cannot compile a
// pattern it can, which matches every path the specifier could name and
// more: the components after its last "..", "~user" or empty component,
// at any depth ("../secrets/**" becomes "//**/secrets/**", so any path
// with a secrets directory in it). ok is false when no such pattern
// exists (a negation, nothing after the last "..", a malformed glob):
// then the rule covers every call of its family.
func WidenPath(spec string) (pattern string, ok bool) {
	if strings.HasPrefix(spec, "!") {
		return "", false
	}
	comps := strings.Split(strings.TrimPrefix(spec, "~"), "/")
	if strings.HasPrefix(spec, "~") {
		comps = comps[1:] // ~user or ~: what follows is below some home
	}
	var tail []string
	for _, c := range comps {
		switch c {
		case "..":
			tail = nil
		case "", ".":
		default:
			tail = append(tail, c)
		}
	}
	if len(tail) == 0 {
		return "", false
	}
	p := "//**/" + strings.Join(tail, "/")
	if strings.HasSuffix(spec, "/") {
		p += "/"
	}
	if CheckPath(p, true) != nil {
		return "", false
	}
	return p, true
}
