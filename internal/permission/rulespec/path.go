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
