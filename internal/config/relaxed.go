package config

// A settings file with a // comment or a trailing comma is not JSON, and
// Claude Code skips it whole. basalt skips it too, except for what it can
// keep without allowing more than the file says: its deny and ask rules.
// relaxedJSON is how it reads them: comments and trailing commas become
// spaces, so every other byte keeps its offset and a rule's line is the
// line in the file.

// relaxedJSON returns data with // and /* */ comments outside strings, and
// commas that directly precede a closing brace or bracket, replaced by
// spaces (newlines are kept).
func relaxedJSON(data []byte) []byte {
	out := append([]byte(nil), data...)
	blank := func(from, to int) {
		for i := from; i < to && i < len(out); i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	lastComma := -1 // offset of a comma seen with only space and comments after it
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case c == '"':
			lastComma = -1
			for i++; i < len(out) && out[i] != '"'; i++ {
				if out[i] == '\\' {
					i++
				}
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			end := i
			for end < len(out) && out[end] != '\n' {
				end++
			}
			blank(i, end)
			i = end - 1
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			end := i + 2
			for end+1 < len(out) && !(out[end] == '*' && out[end+1] == '/') {
				end++
			}
			blank(i, end+2)
			i = end + 1
		case c == ',':
			lastComma = i
		case c == '}' || c == ']':
			if lastComma >= 0 {
				out[lastComma] = ' '
			}
			lastComma = -1
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			lastComma = -1
		}
	}
	return out
}

// restrictions reads the deny and ask rules of a file that is not JSON,
// or returns nil when it has none or cannot be read even leniently.
func restrictions(path string, data []byte) *Settings {
	s, err := ParseSettings(path, relaxedJSON(data))
	if err != nil || s.Permissions == nil || len(s.Permissions.Deny)+len(s.Permissions.Ask) == 0 {
		return nil
	}
	return &Settings{
		Permissions: &Permissions{Deny: s.Permissions.Deny, Ask: s.Permissions.Ask},
		Lines:       s.Lines,
	}
}
