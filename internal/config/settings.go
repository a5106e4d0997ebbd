package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Settings is the content of one settings file. Pointer and nil fields
// were absent from the file.
type Settings struct {
	Env                 map[string]string
	Model               *string
	AWSAuthRefresh      *string
	AWSCredentialExport *string
	// OTelHeadersHelper is Claude Code's otelHeadersHelper: a command
	// whose stdout is a JSON object of headers for the OTLP exports.
	OTelHeadersHelper *string
	Permissions       *Permissions
	ModelOverrides    map[string]string
	CleanupPeriodDays *int
	BashEnvironment   *string          // "inherit" or "clean"; see bashenv.go
	OutputStyle       *string          // see outputstyle.go
	StatusLine        *StatusLine      // see statusline.go
	Sandbox           *SandboxSettings // see sandbox.go

	// Warnings are values basalt cannot use, located in the file; the
	// rest of the file applies (DESIGN.md §4: be lenient).
	Warnings []error

	// Unknown lists the keys basalt does not understand, as dotted paths.
	// They are kept (a Claude Code setting we do not use yet is not an
	// error) and reported by config show and doctor.
	Unknown []string

	// Lines maps the dotted path of every key of the file's objects
	// ("env.AWS_REGION", "permissions.allow") to the line of its value,
	// so that a finding about it can point at it.
	Lines map[string]int
	// Raw holds the JSON of every top-level value as written, so that the
	// trust check can see (and fingerprint) keys basalt does not model.
	Raw map[string]json.RawMessage
}

// Permissions is the "permissions" object of a settings file.
type Permissions struct {
	Allow                 []string
	Ask                   []string
	Deny                  []string
	DefaultMode           *string
	AdditionalDirectories []string
	// DisableBypassPermissionsMode is "disable" to forbid bypassPermissions.
	DisableBypassPermissionsMode *string
}

// ParseError locates a problem in a settings file. Its message has the
// form "PATH:LINE:COL: what is wrong", which editors can jump to.
type ParseError struct {
	Path      string
	Line, Col int
	Key       string // dotted key path, when the problem is a value
	Msg       string
	// Skipped is set on a warning whose value basalt left out (a wrong
	// type): harmless in the user's files, a reason to refuse in the
	// managed policy, which must apply whole or not at all.
	Skipped bool
}

func (e *ParseError) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.Path, e.Line, e.Col)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %q: %s", loc, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// utf8BOM is the byte-order mark some Windows editors put first in a
// UTF-8 file. JSON forbids it; Claude Code reads such files anyway.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseSettings decodes a settings file. path is used in messages only.
//
// It is as lenient as Claude Code (DESIGN.md §4): a byte-order mark is
// skipped, a duplicate key is a warning and the last one wins, numbers and
// booleans in "env" become strings, and a value of the wrong type is left
// out with a warning. All of these land in [Settings].Warnings as
// *ParseError values naming line and column. The error is only for a file
// that is not a JSON object at all (a *ParseError with the position of
// the first syntax error): the caller decides whether to skip the file.
func ParseSettings(path string, data []byte) (*Settings, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	p := &settingsParser{path: path, data: data, lines: map[string]int{}}
	s := &Settings{Lines: p.lines, Raw: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(data)) == 0 {
		// An empty file is a common editor artefact; treat it as {}.
		return s, nil
	}
	members, err := p.object(data, 0, "")
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		s.Raw[m.key] = m.raw
		if err := p.setting(s, m); err != nil {
			p.skip(err)
		}
	}
	sort.Strings(s.Unknown)
	s.Warnings = append(s.Warnings, p.warnings...)
	return s, nil
}

type settingsParser struct {
	path     string
	data     []byte
	lines    map[string]int // dotted key path → line of its value
	warnings []error
}

// warn records a warning about the file; the value it names is used.
func (p *settingsParser) warn(err error) { p.warnings = append(p.warnings, err) }

// skip records that the values err names were left out.
func (p *settingsParser) skip(err error) {
	var each []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		each = j.Unwrap()
	} else {
		each = []error{err}
	}
	for _, e := range each {
		var pe *ParseError
		if errors.As(e, &pe) {
			pe.Skipped = true
			if !strings.HasSuffix(pe.Msg, "left out") {
				pe.Msg += "; left out"
			}
		}
		p.warnings = append(p.warnings, e)
	}
}

// member is one key of a JSON object with the offset of its value in the
// whole file, so that type errors can point at the value.
type member struct {
	key    string
	path   string
	raw    json.RawMessage
	offset int
}

// object splits a JSON object into members. base is the offset of raw in
// the file.
func (p *settingsParser) object(raw []byte, base int, prefix string) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, p.syntax(err, base, dec)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, p.errAt(base+p.skipSpace(raw, 0), prefix, "want a JSON object, got "+describe(raw))
	}
	var out []member
	seen := map[string]int{} // key → index in out
	for dec.More() {
		keyOff := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, p.syntax(err, base, dec)
		}
		key, _ := tok.(string)
		path := key
		if prefix != "" {
			path = prefix + "." + key
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, p.syntax(err, base, dec)
		}
		valEnd := int(dec.InputOffset())
		valOff := valEnd - len(v)
		m := member{key: key, path: path, raw: v, offset: base + valOff}
		p.lines[path], _ = lineCol(p.data, base+valOff)
		if i, dup := seen[key]; dup {
			// JavaScript's JSON.parse, and so Claude Code, keeps the last.
			firstLine := p.lineOf(out[i].offset)
			p.warn(p.errAt(base+p.skipSpace(raw, keyOff), path, fmt.Sprintf("duplicate key (also on line %d); the last one is used", firstLine)))
			out[i] = m
			continue
		}
		seen[key] = len(out)
		out = append(out, m)
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.syntax(err, base, dec)
	}
	// Anything after the closing brace is a syntax error too.
	if tok, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, p.errAt(base+int(dec.InputOffset()), "", fmt.Sprintf("unexpected %v after the top-level object", tok))
		}
		return nil, p.syntax(err, base, dec)
	}
	return out, nil
}

func (p *settingsParser) setting(s *Settings, m member) error {
	switch m.key {
	case "env":
		env, err := p.stringMap(m)
		if err != nil {
			return err
		}
		s.Env = env
	case "model":
		return p.str(m, &s.Model)
	case "awsAuthRefresh":
		return p.str(m, &s.AWSAuthRefresh)
	case "awsCredentialExport":
		return p.str(m, &s.AWSCredentialExport)
	case "otelHeadersHelper":
		return p.str(m, &s.OTelHeadersHelper)
	case "modelOverrides":
		mo, err := p.stringMap(m)
		if err != nil {
			return err
		}
		s.ModelOverrides = mo
	case "cleanupPeriodDays":
		var n json.Number
		if err := json.Unmarshal(m.raw, &n); err != nil {
			return p.errAt(m.offset, m.path, "want a whole number of days, got "+describe(m.raw))
		}
		v, err := n.Int64()
		if err != nil || v < 0 || v > 1<<31-1 {
			return p.errAt(m.offset, m.path, "want a whole number of days ≥ 0, got "+string(m.raw))
		}
		d := int(v)
		s.CleanupPeriodDays = &d
	case "permissions":
		return p.permissions(s, m)
	case "bashEnvironment":
		p.bashEnvironment(s, m)
	case "outputStyle":
		return p.str(m, &s.OutputStyle)
	case "statusLine":
		return p.statusLine(s, m)
	case "sandbox":
		return p.sandbox(s, m)
	case "hooks", "allowManagedHooksOnly", "disableAllHooks":
		// internal/hooks reads them from Raw, where it can place each
		// problem at its column.
	case "enableAllProjectMcpServers", "enabledMcpjsonServers", "disabledMcpjsonServers", "allowedMcpServers", "deniedMcpServers":
		// The MCP configuration (mcp.go, mcppolicy.go) reads them from
		// the file again with the servers.
	default:
		s.Unknown = append(s.Unknown, m.path)
	}
	return nil
}

func (p *settingsParser) permissions(s *Settings, m member) error {
	members, err := p.object(m.raw, m.offset, m.path)
	if err != nil {
		return err
	}
	perm := &Permissions{}
	var errs []error
	for _, pm := range members {
		var err error
		switch pm.key {
		case "allow":
			perm.Allow, err = p.strings(pm)
		case "ask":
			perm.Ask, err = p.strings(pm)
		case "deny":
			perm.Deny, err = p.strings(pm)
		case "additionalDirectories":
			perm.AdditionalDirectories, err = p.strings(pm)
		case "defaultMode":
			err = p.str(pm, &perm.DefaultMode)
		case "disableBypassPermissionsMode":
			err = p.str(pm, &perm.DisableBypassPermissionsMode)
		default:
			s.Unknown = append(s.Unknown, pm.path)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	s.Permissions = perm
	return errors.Join(errs...)
}

func (p *settingsParser) str(m member, dst **string) error {
	var v string
	if err := json.Unmarshal(m.raw, &v); err != nil {
		return p.errAt(m.offset, m.path, "want a string, got "+describe(m.raw))
	}
	*dst = &v
	return nil
}

// strings decodes an array of strings. A lone string is taken as a list
// of one, and an entry that is not a string is left out with a warning,
// so that the rest of a deny list still applies.
func (p *settingsParser) strings(m member) ([]string, error) {
	var one string
	if err := json.Unmarshal(m.raw, &one); err == nil {
		p.warn(p.errAt(m.offset, m.path, "want an array of strings, got a string; read as a list of one"))
		return []string{one}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(m.raw, &items); err != nil || items == nil {
		return nil, p.errAt(m.offset, m.path, "want an array of strings, got "+describe(m.raw))
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		var v string
		if err := json.Unmarshal(it, &v); err != nil {
			p.skip(p.errAt(m.offset, fmt.Sprintf("%s[%d]", m.path, i), "want a string, got "+describe(it)))
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// stringMap decodes an object of strings. For "env", numbers and booleans
// become their JSON text ("MAX_THINKING_TOKENS": 8000 is "8000"), as
// Claude Code does, with a warning so the author can quote them; other
// values are left out.
func (p *settingsParser) stringMap(m member) (map[string]string, error) {
	members, err := p.object(m.raw, m.offset, m.path)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(members))
	var errs []error
	for _, e := range members {
		var v string
		if err := json.Unmarshal(e.raw, &v); err == nil {
			out[e.key] = v
			continue
		}
		switch kind := describe(e.raw); {
		case m.key == "env" && (kind == "a number" || kind == "a boolean"):
			text := string(bytes.TrimSpace(e.raw))
			out[e.key] = text
			p.warn(p.errAt(e.offset, e.path, fmt.Sprintf("want a string, got %s; used as %q (quote it to silence this)", kind, text)))
		default:
			errs = append(errs, p.errAt(e.offset, e.path, "want a string, got "+kind))
		}
	}
	if len(errs) > 0 {
		p.skip(errors.Join(errs...))
	}
	return out, nil
}

// syntax reports a JSON syntax error at its exact place. The streaming
// decoder's offsets are approximate, so the whole file is checked again
// with json.Unmarshal, whose SyntaxError.Offset points just past the
// offending byte.
func (p *settingsParser) syntax(err error, base int, dec *json.Decoder) error {
	var v any
	full := json.Unmarshal(p.data, &v)
	var se *json.SyntaxError
	switch {
	case errors.As(full, &se):
		off := int(se.Offset) - 1
		msg := se.Error()
		if strings.HasPrefix(msg, "unexpected end of JSON input") {
			off, msg = len(p.data), "unexpected end of file"
		}
		return p.errAt(off, "", "invalid JSON: "+msg)
	case full != nil:
		return p.errAt(base+int(dec.InputOffset()), "", "invalid JSON: "+strings.TrimPrefix(full.Error(), "json: "))
	}
	return p.errAt(base+int(dec.InputOffset()), "", "invalid JSON: "+strings.TrimPrefix(err.Error(), "json: "))
}

func (p *settingsParser) errAt(offset int, key, msg string) error {
	line, col := lineCol(p.data, offset)
	return &ParseError{Path: p.path, Line: line, Col: col, Key: key, Msg: msg}
}

// skipSpace skips whitespace and the comma between members.
func (p *settingsParser) skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == ',') {
		i++
	}
	return i
}

func (p *settingsParser) lineOf(offset int) int {
	line, _ := lineCol(p.data, offset)
	return line
}

// lineCol turns a byte offset into 1-based line and column (in runes).
func lineCol(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	if offset < 0 {
		offset = 0
	}
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	lastNL := bytes.LastIndexByte(before, '\n')
	col = len([]rune(string(before[lastNL+1:]))) + 1
	return line, col
}

// describe names the JSON type of raw for messages.
func describe(raw []byte) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}
