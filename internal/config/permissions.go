package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/basalt-dev/basalt/internal/rulespec"
)

// PermissionModes are the valid values of defaultMode and --permission-mode:
// basalt's four, and Claude Code's others, which basalt maps onto them
// (see [Config.Permissions]).
var PermissionModes = []string{"default", "acceptEdits", "plan", "bypassPermissions", "dontAsk", "manual", "auto"}

// modeBypass is the mode permissions.disableBypassPermissionsMode forbids.
const modeBypass = "bypassPermissions"

// resolvePermissions merges the rules of every file and flag, reads each
// one with the permission checker's own verdict (rulespec.Check) and
// warns, naming file and line, about every rule kept in a weaker form;
// resolves the mode and the bypass lock.
func (c *Config) resolvePermissions(p *problems) {
	pc := &c.Permissions
	files := c.filesByPrecedence()
	if m := c.managedFile(); m != nil {
		files = append([]*File{m}, files...)
	}
	for _, f := range c.Files {
		// A skipped file's restrictions still apply (relaxed.go).
		if f.Status == StatusSkipped && f.Settings != nil {
			files = append(files, f)
		}
	}
	homeKnown := c.Getenv("HOME") != ""
	unknownTools := map[string][]string{} // source file → tools basalt does not have
	unavailable := map[string][]string{}  // source file \x00 why → rules for tools basalt cannot offer
	add := func(kind rulespec.Kind, dst *[]Rule, texts []string, src Source, locs []ruleLoc) {
		for i, s := range texts {
			r, syntaxErr := splitRule(s)
			r.Source = src
			if i < len(locs) {
				r.Line, r.Col = locs[i].line, locs[i].col
			}
			if syntaxErr != nil && r.Tool == "" {
				c.warnf("%s: %s rule %q is empty; it is ignored", r.Where(), kind, s)
				continue
			}
			v := rulespec.Check(kind, r.Tool, r.Specifier, r.HasSpec, syntaxErr, homeKnown)
			if !v.OK() {
				r.Problem = v.Problem + "; kept: " + v.Effect
				c.warnf("%s: %s rule %s: %s", r.Where(), kind, r, r.Problem)
			} else if why, ok := UnavailableTools[r.Tool]; ok {
				key := src.Name
				if key == "" {
					key = src.String()
				}
				unavailable[key+"\x00"+why] = append(unavailable[key+"\x00"+why], r.String())
			} else if t, _ := rulespec.ParseTool(r.Tool); !isKnownTool(r.Tool) {
				name := r.Tool
				if t.Prefix != "" && !strings.HasSuffix(name, "*") {
					name += " (all its tools)"
				}
				key := src.Name
				if key == "" {
					key = src.String()
				}
				if !slices.Contains(unknownTools[key], name) {
					unknownTools[key] = append(unknownTools[key], name)
				}
			}
			*dst = append(*dst, r)
		}
	}
	for _, f := range files {
		perm := f.Settings.Permissions
		if perm == nil {
			continue
		}
		locs := ruleLocations(f.Settings)
		add(rulespec.Allow, &pc.Allow, perm.Allow, f.source("permissions.allow"), locs["allow"])
		add(rulespec.Ask, &pc.Ask, perm.Ask, f.source("permissions.ask"), locs["ask"])
		add(rulespec.Deny, &pc.Deny, perm.Deny, f.source("permissions.deny"), locs["deny"])
		for _, d := range perm.AdditionalDirectories {
			if !filepath.IsAbs(d) {
				d = filepath.Join(filepath.Dir(filepath.Dir(f.Path)), d)
			}
			pc.AdditionalDirectories = append(pc.AdditionalDirectories, Value[string]{Value: d, Source: f.source("permissions.additionalDirectories"), Set: true})
		}
	}
	for _, d := range c.flags.AddDirs {
		if !filepath.IsAbs(d) {
			d = filepath.Join(c.WorkDir, d)
		}
		if info, err := os.Stat(d); err != nil || !info.IsDir() {
			p.add(fmt.Errorf("--add-dir %s: not a directory", d))
			continue
		}
		pc.AdditionalDirectories = append(pc.AdditionalDirectories, Value[string]{Value: filepath.Clean(d), Source: Source{Kind: SourceFlag, Name: "--add-dir"}, Set: true})
	}
	for _, list := range c.flags.AllowedTools {
		rules, err := ParseRuleList(list)
		if err != nil {
			p.add(fmt.Errorf("--allowed-tools: %w", err))
		}
		add(rulespec.Allow, &pc.Allow, ruleStrings(rules), Source{Kind: SourceFlag, Name: "--allowed-tools"}, nil)
	}
	for _, list := range c.flags.DisallowedTools {
		rules, err := ParseRuleList(list)
		if err != nil {
			p.add(fmt.Errorf("--disallowed-tools: %w", err))
		}
		add(rulespec.Deny, &pc.Deny, ruleStrings(rules), Source{Kind: SourceFlag, Name: "--disallowed-tools"}, nil)
	}
	keys := make([]string, 0, len(unknownTools))
	for k := range unknownTools {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c.warnf("%s: rules for tools basalt does not have are kept but never match until it has them: %s", k, strings.Join(unknownTools[k], ", "))
	}
	keys = keys[:0]
	for k := range unavailable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		src, why, _ := strings.Cut(k, "\x00")
		c.warnf("%s: %s: kept, but never matches: %s", src, strings.Join(unavailable[k], ", "), why)
	}
	c.resolveMode(p)
}

// resolveMode picks the permission mode: managed policy, then
// --permission-mode, then the files. Claude Code's modes basalt has no
// equivalent for are mapped, never refused: manual is default; auto (its
// classifier-approved mode) runs as default, with one notice that basalt
// asks instead; dontAsk is kept (the checker refuses what would ask).
// permissions.disableBypassPermissionsMode "disable" in any file refuses
// bypassPermissions: a flag asking for it is an error, a file asking for
// it falls back to default with a warning.
func (c *Config) resolveMode(p *problems) {
	pc := &c.Permissions
	pc.DisableBypass = defaultValue(false)
	for _, f := range c.Files {
		if f.Status != StatusLoaded || f.Settings.Permissions == nil || f.Settings.Permissions.DisableBypassPermissionsMode == nil {
			continue
		}
		switch v := *f.Settings.Permissions.DisableBypassPermissionsMode; v {
		case "disable":
			if !pc.DisableBypass.Value || f.Level == LevelManaged {
				pc.DisableBypass = Value[bool]{Value: true, Source: f.source("permissions.disableBypassPermissionsMode"), Set: true}
			}
		default:
			c.warnf("%s: permissions.disableBypassPermissionsMode %q: the only value is \"disable\"; it is ignored", f.Path, v)
		}
	}

	if c.flags.DangerouslySkipPermissions {
		switch c.flags.PermissionMode {
		case "":
			c.flags.PermissionMode = modeBypass
		case modeBypass:
		default:
			p.add(fmt.Errorf("--dangerously-skip-permissions means --permission-mode %s, but --permission-mode %s was given too; give one of them", modeBypass, c.flags.PermissionMode))
			return
		}
	}
	pc.DefaultMode = defaultValue("default")
	mode, src, ok := c.fileValue(func(s *Settings) any {
		if s.Permissions == nil || s.Permissions.DefaultMode == nil {
			return nil
		}
		return *s.Permissions.DefaultMode
	}, "permissions.defaultMode")
	switch {
	case ok && src.Kind == SourceManaged:
		pc.DefaultMode = Value[string]{Value: mode.(string), Source: src, Set: true}
	case c.flags.PermissionMode != "":
		name := "--permission-mode"
		if c.flags.DangerouslySkipPermissions {
			name = "--dangerously-skip-permissions"
		}
		pc.DefaultMode = Value[string]{Value: c.flags.PermissionMode, Source: Source{Kind: SourceFlag, Name: name}, Set: true}
	case ok:
		pc.DefaultMode = Value[string]{Value: mode.(string), Source: src, Set: true}
	}
	m := &pc.DefaultMode
	switch m.Value {
	case "manual":
		m.Value = "default"
	case "auto":
		m.Value = "default"
		c.warnf("permission mode \"auto\" (%s): basalt has no classifier that approves calls on its own, so it runs in default mode and asks before edits and commands instead", m.Source)
	case modeBypass:
		if pc.DisableBypass.Value {
			if m.Source.Kind == SourceFlag {
				flag := m.Source.Name
				if flag == "--permission-mode" {
					flag += " bypassPermissions"
				}
				p.add(fmt.Errorf("%s is disabled by permissions.disableBypassPermissionsMode (%s); run without it", flag, pc.DisableBypass.Source))
				return
			}
			c.warnf("permission mode bypassPermissions (%s) is disabled by permissions.disableBypassPermissionsMode (%s); basalt runs in default mode", m.Source, pc.DisableBypass.Source)
			m.Value = "default"
		}
	}
	if slices.Contains(PermissionModes, m.Value) {
		return
	}
	if m.Source.Kind == SourceFlag {
		p.add(fmt.Errorf("permission mode %q (%s): want one of %s", m.Value, m.Source, strings.Join(PermissionModes, ", ")))
		return
	}
	// A mode in a file that basalt does not know (a newer Claude Code's, a
	// typo) must not stop the session: default asks before everything
	// that is not a read, so it never allows more than the file meant.
	where := m.Source.String()
	for _, f := range c.Files {
		if f.Path == m.Source.Name && f.Settings != nil {
			if line := f.Settings.Lines["permissions.defaultMode"]; line > 0 {
				where = fmt.Sprintf("%s:%d", f.Path, line)
			}
		}
	}
	c.warnf("%s: permissions.defaultMode %q is not a mode basalt knows (%s); it runs in default mode", where, m.Value, strings.Join(PermissionModes, ", "))
	*m = Value[string]{Value: "default", Source: m.Source, Set: true}
}

func ruleStrings(rules []Rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.String()
	}
	return out
}

// ruleLoc is where one rule of a permissions list is written.
type ruleLoc struct{ line, col int }

// ruleLocations finds the line (and, when the rule starts a line of its
// own, the column) of every string in permissions.allow, ask and deny,
// from the raw JSON of "permissions" and the line its value starts on.
// When a key appears twice, the last one is what the settings hold.
func ruleLocations(s *Settings) map[string][]ruleLoc {
	raw, base := s.Raw["permissions"], s.Lines["permissions"]
	if len(raw) == 0 || base == 0 {
		return nil
	}
	out := map[string][]ruleLoc{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return out
		}
		key, _ := t.(string)
		if key != "allow" && key != "ask" && key != "deny" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return out
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return out
		}
		var locs []ruleLoc
		for dec.More() {
			off := int(dec.InputOffset())
			for off < len(raw) && strings.IndexByte(" \t\r\n,", raw[off]) >= 0 {
				off++
			}
			var v json.RawMessage
			if dec.Decode(&v) != nil {
				return out
			}
			before := raw[:off]
			loc := ruleLoc{line: base + bytes.Count(before, []byte{'\n'})}
			if nl := bytes.LastIndexByte(before, '\n'); nl >= 0 {
				loc.col = len([]rune(string(before[nl+1:]))) + 1
			}
			locs = append(locs, loc)
		}
		if _, err := dec.Token(); err != nil {
			return out
		}
		out[key] = locs
	}
	return out
}
