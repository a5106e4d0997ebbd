package config

import (
	"fmt"
	"strings"
)

// Header is one extra request header from ANTHROPIC_CUSTOM_HEADERS.
type Header struct {
	Name  string
	Value string
}

// ParseCustomHeaders parses ANTHROPIC_CUSTOM_HEADERS: one "Name: value"
// per line. Blank lines are skipped. A malformed line is an error naming
// its line number, so a guardrail header that silently fails to apply
// cannot happen. Errors never quote a line or a value (a gateway's token
// may be on it); they name the header only once its name is known to be
// one.
func ParseCustomHeaders(s string) ([]Header, error) {
	var out []Header
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok {
			return nil, fmt.Errorf("line %d: want 'Name: value'", i+1)
		}
		if !validHeaderName(name) {
			return nil, fmt.Errorf("line %d: the text before ':' is not a header name (letters, digits and !#$%%&'*+-.^_`|~ only)", i+1)
		}
		value = strings.TrimSpace(value)
		if strings.ContainsAny(value, "\x00\r\n") {
			return nil, fmt.Errorf("line %d: header %s has a control character in its value", i+1, name)
		}
		out = append(out, Header{Name: name, Value: value})
	}
	return out, nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.ContainsRune("!#$%&'*+-.^_`|~", c):
		default:
			return false
		}
	}
	return true
}
