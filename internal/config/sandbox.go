package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// The "sandbox" object is Claude Code's (its settings reference and
// sandboxTypes schema are the authority): whether Bash commands run inside
// the operating system's sandbox, what they may reach there, and how that
// changes the questions asked. This file parses it per file and merges it
// across the levels; internal/harness turns the result into a
// sandbox.Policy.
//
// Merging follows Claude Code: a scalar comes from the highest level that
// sets it (the managed policy first), lists are the union of every level's.
// Two of Claude Code's managed-only switches narrow that union:
// network.allowManagedDomainsOnly keeps the managed policy's domains only,
// filesystem.allowManagedReadPathsOnly its allowRead paths only.

// SandboxSettings is the "sandbox" object of one settings file. Nil
// pointers and slices were absent from the file.
type SandboxSettings struct {
	Enabled                   *bool
	FailIfUnavailable         *bool
	AutoAllowBashIfSandboxed  *bool
	AllowUnsandboxedCommands  *bool
	ExcludedCommands          []string
	EnableWeakerNestedSandbox *bool
	// IgnoreViolations maps a command pattern ("*" for all) to the
	// paths or hosts whose refusals are not reported for it.
	IgnoreViolations map[string][]string

	AllowedDomains          []string
	DeniedDomains           []string
	AllowManagedDomainsOnly *bool
	AllowUnixSockets        []string
	AllowAllUnixSockets     *bool
	AllowLocalBinding       *bool
	HTTPProxyPort           *int
	SOCKSProxyPort          *int

	AllowWrite                []string
	DenyWrite                 []string
	DenyRead                  []string
	AllowRead                 []string
	AllowManagedReadPathsOnly *bool

	// basalt's own: run hooks' commands and MCP stdio servers inside the
	// sandbox too (Claude Code has no such switch).
	BasaltHooks      *bool
	BasaltMCPServers *bool
}

// SandboxConfig is the merged "sandbox" of every level. Each value keeps
// its source so /sandbox, config show and doctor can say where it lives.
type SandboxConfig struct {
	// Enabled turns the sandbox on for Bash (default false).
	Enabled Value[bool]
	// Locked: the managed policy sets sandbox.enabled, so /sandbox may not
	// switch it for the session.
	Locked bool
	// FailIfUnavailable: when the sandbox is on but cannot start, Bash
	// refuses instead of running commands unsandboxed.
	FailIfUnavailable Value[bool]
	// AutoAllowBashIfSandboxed: a command that runs inside the sandbox
	// needs no question (default true, except for a sandbox only an
	// untrusted repository turned on: then false).
	AutoAllowBashIfSandboxed Value[bool]
	// AllowUnsandboxedCommands: the model may ask to run a command outside
	// the sandbox (dangerouslyDisableSandbox), and excludedCommands run
	// outside it (default true).
	AllowUnsandboxedCommands  Value[bool]
	ExcludedCommands          []Value[string]
	EnableWeakerNestedSandbox Value[bool]
	IgnoreViolations          map[string][]string

	AllowedDomains      []Value[string]
	AllowUnixSockets    []Value[string]
	AllowAllUnixSockets Value[bool]
	AllowLocalBinding   Value[bool]
	// HTTPProxyPort and SOCKSProxyPort are Claude Code's "bring your own
	// proxy" ports. basalt accepts them but always runs its own proxy: a
	// proxy it does not run cannot report what it refused.
	HTTPProxyPort  Value[int]
	SOCKSProxyPort Value[int]

	// BasaltHooks and BasaltMCPServers (sandbox.basaltHooks,
	// sandbox.basaltMcpServers) run hooks' commands and MCP stdio servers
	// inside the sandbox too, when it is on (default false: a hook that
	// posts to a chat, a server that needs the network, would fail).
	BasaltHooks      Value[bool]
	BasaltMCPServers Value[bool]

	// Paths as written; internal/harness resolves them.
	AllowWrite []Value[string]
	DenyWrite  []Value[string]
	DenyRead   []Value[string]
	AllowRead  []Value[string]
}

// sandboxKeys are the keys of the "sandbox" object basalt reads, dotted
// below "sandbox.".
var sandboxKeys = []string{
	"enabled", "failIfUnavailable", "autoAllowBashIfSandboxed", "allowUnsandboxedCommands",
	"excludedCommands", "enableWeakerNestedSandbox", "ignoreViolations", "network", "filesystem",
	"network.allowedDomains", "network.deniedDomains", "network.allowManagedDomainsOnly",
	"network.allowUnixSockets", "network.allowAllUnixSockets", "network.allowLocalBinding",
	"network.httpProxyPort", "network.socksProxyPort",
	"filesystem.allowWrite", "filesystem.denyWrite", "filesystem.denyRead", "filesystem.allowRead",
	"filesystem.allowManagedReadPathsOnly", "basaltHooks", "basaltMcpServers",
}

// claudeCodeSandboxKeys are Claude Code's sandbox keys basalt does not
// implement: macOS-only switches and its credential masking.
var claudeCodeSandboxKeys = []string{
	"enableWeakerNetworkIsolation", "ripgrep", "enabledPlatforms", "credentials",
	"network.allowMachLookup",
}

// sandbox parses the "sandbox" object. A value of the wrong type is left
// out with a warning naming its place (the rest of the object applies).
func (p *settingsParser) sandbox(s *Settings, m member) error {
	members, err := p.object(m.raw, m.offset, m.path)
	if err != nil {
		return err
	}
	sb := &SandboxSettings{}
	var errs []error
	for _, sm := range members {
		var err error
		switch sm.key {
		case "enabled":
			err = p.boolean(sm, &sb.Enabled)
		case "failIfUnavailable":
			err = p.boolean(sm, &sb.FailIfUnavailable)
		case "autoAllowBashIfSandboxed":
			err = p.boolean(sm, &sb.AutoAllowBashIfSandboxed)
		case "allowUnsandboxedCommands":
			err = p.boolean(sm, &sb.AllowUnsandboxedCommands)
		case "enableWeakerNestedSandbox":
			err = p.boolean(sm, &sb.EnableWeakerNestedSandbox)
		case "basaltHooks":
			err = p.boolean(sm, &sb.BasaltHooks)
		case "basaltMcpServers":
			err = p.boolean(sm, &sb.BasaltMCPServers)
		case "excludedCommands":
			sb.ExcludedCommands, err = p.strings(sm)
		case "ignoreViolations":
			sb.IgnoreViolations, err = p.stringLists(sm)
		case "network":
			err = p.sandboxNetwork(s, sb, sm)
		case "filesystem":
			err = p.sandboxFilesystem(s, sb, sm)
		default:
			s.Unknown = append(s.Unknown, sm.path)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	s.Sandbox = sb
	return errors.Join(errs...)
}

func (p *settingsParser) sandboxNetwork(s *Settings, sb *SandboxSettings, m member) error {
	members, err := p.object(m.raw, m.offset, m.path)
	if err != nil {
		return err
	}
	var errs []error
	for _, nm := range members {
		var err error
		switch nm.key {
		case "allowedDomains":
			sb.AllowedDomains, err = p.strings(nm)
		case "deniedDomains":
			sb.DeniedDomains, err = p.strings(nm)
		case "allowManagedDomainsOnly":
			err = p.boolean(nm, &sb.AllowManagedDomainsOnly)
		case "allowUnixSockets":
			sb.AllowUnixSockets, err = p.strings(nm)
		case "allowAllUnixSockets":
			err = p.boolean(nm, &sb.AllowAllUnixSockets)
		case "allowLocalBinding":
			err = p.boolean(nm, &sb.AllowLocalBinding)
		case "httpProxyPort":
			err = p.port(nm, &sb.HTTPProxyPort)
		case "socksProxyPort":
			err = p.port(nm, &sb.SOCKSProxyPort)
		default:
			s.Unknown = append(s.Unknown, nm.path)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (p *settingsParser) sandboxFilesystem(s *Settings, sb *SandboxSettings, m member) error {
	members, err := p.object(m.raw, m.offset, m.path)
	if err != nil {
		return err
	}
	var errs []error
	for _, fm := range members {
		var err error
		switch fm.key {
		case "allowWrite":
			sb.AllowWrite, err = p.strings(fm)
		case "denyWrite":
			sb.DenyWrite, err = p.strings(fm)
		case "denyRead":
			sb.DenyRead, err = p.strings(fm)
		case "allowRead":
			sb.AllowRead, err = p.strings(fm)
		case "allowManagedReadPathsOnly":
			err = p.boolean(fm, &sb.AllowManagedReadPathsOnly)
		default:
			s.Unknown = append(s.Unknown, fm.path)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (p *settingsParser) boolean(m member, dst **bool) error {
	var v bool
	if err := json.Unmarshal(m.raw, &v); err != nil {
		return p.errAt(m.offset, m.path, "want true or false, got "+describe(m.raw))
	}
	*dst = &v
	return nil
}

// port reads a TCP port number, 1 to 65535.
func (p *settingsParser) port(m member, dst **int) error {
	var n json.Number
	if err := json.Unmarshal(m.raw, &n); err != nil {
		return p.errAt(m.offset, m.path, "want a port number, got "+describe(m.raw))
	}
	v, err := n.Int64()
	if err != nil || v < 1 || v > 65535 {
		return p.errAt(m.offset, m.path, "want a port number from 1 to 65535, got "+string(m.raw))
	}
	d := int(v)
	*dst = &d
	return nil
}

// stringLists reads an object of string arrays (ignoreViolations).
func (p *settingsParser) stringLists(m member) (map[string][]string, error) {
	members, err := p.object(m.raw, m.offset, m.path)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	var errs []error
	for _, e := range members {
		l, err := p.strings(e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[e.key] = l
	}
	return out, errors.Join(errs...)
}

// resolveSandbox merges the "sandbox" of every level.
func (c *Config) resolveSandbox() {
	sc := &c.Sandbox
	*sc = SandboxConfig{}
	get := func(pick func(*SandboxSettings) *bool, key string, def bool) Value[bool] {
		v, src, ok := c.fileValue(func(s *Settings) any {
			if s.Sandbox == nil {
				return nil
			}
			if b := pick(s.Sandbox); b != nil {
				return *b
			}
			return nil
		}, "sandbox."+key)
		if !ok {
			return defaultValue(def)
		}
		return Value[bool]{Value: v.(bool), Source: src, Set: true}
	}
	getPort := func(pick func(*SandboxSettings) *int, key string) Value[int] {
		v, src, ok := c.fileValue(func(s *Settings) any {
			if s.Sandbox == nil {
				return nil
			}
			if n := pick(s.Sandbox); n != nil {
				return *n
			}
			return nil
		}, "sandbox."+key)
		if !ok {
			return defaultValue(0)
		}
		return Value[int]{Value: v.(int), Source: src, Set: true}
	}
	sc.Enabled = get(func(s *SandboxSettings) *bool { return s.Enabled }, "enabled", false)
	sc.Locked = sc.Enabled.Set && sc.Enabled.Source.Kind == SourceManaged
	sc.FailIfUnavailable = get(func(s *SandboxSettings) *bool { return s.FailIfUnavailable }, "failIfUnavailable", false)
	sc.AllowUnsandboxedCommands = get(func(s *SandboxSettings) *bool { return s.AllowUnsandboxedCommands }, "allowUnsandboxedCommands", true)
	sc.EnableWeakerNestedSandbox = get(func(s *SandboxSettings) *bool { return s.EnableWeakerNestedSandbox }, "enableWeakerNestedSandbox", false)
	sc.BasaltHooks = get(func(s *SandboxSettings) *bool { return s.BasaltHooks }, "basaltHooks", false)
	sc.BasaltMCPServers = get(func(s *SandboxSettings) *bool { return s.BasaltMCPServers }, "basaltMcpServers", false)
	sc.AllowAllUnixSockets = get(func(s *SandboxSettings) *bool { return s.AllowAllUnixSockets }, "network.allowAllUnixSockets", false)
	sc.AllowLocalBinding = get(func(s *SandboxSettings) *bool { return s.AllowLocalBinding }, "network.allowLocalBinding", false)
	sc.HTTPProxyPort = getPort(func(s *SandboxSettings) *int { return s.HTTPProxyPort }, "network.httpProxyPort")
	sc.SOCKSProxyPort = getPort(func(s *SandboxSettings) *int { return s.SOCKSProxyPort }, "network.socksProxyPort")
	// A sandbox that only an untrusted repository turned on confines its
	// commands but does not silence the questions: running them unasked is
	// the user's choice to make, not the repository's.
	autoDefault := !(sc.Enabled.Source.Kind == SourceProject && !c.Trust.Explicit)
	sc.AutoAllowBashIfSandboxed = get(func(s *SandboxSettings) *bool { return s.AutoAllowBashIfSandboxed }, "autoAllowBashIfSandboxed", autoDefault)

	managed := c.managedFile()
	managedOnly := func(pick func(*SandboxSettings) *bool) bool {
		return managed != nil && managed.Settings.Sandbox != nil && pick(managed.Settings.Sandbox) != nil && *pick(managed.Settings.Sandbox)
	}
	onlyManagedDomains := managedOnly(func(s *SandboxSettings) *bool { return s.AllowManagedDomainsOnly })
	onlyManagedReads := managedOnly(func(s *SandboxSettings) *bool { return s.AllowManagedReadPathsOnly })

	// Lists: the union of every level, managed first, each entry once.
	files := c.filesByPrecedence()
	if managed != nil {
		files = append([]*File{managed}, files...)
	}
	var denied []string
	add := func(dst *[]Value[string], items []string, f *File, key string) {
		for _, it := range items {
			if slices.ContainsFunc(*dst, func(v Value[string]) bool { return v.Value == it }) {
				continue
			}
			*dst = append(*dst, Value[string]{Value: it, Source: f.source("sandbox." + key), Set: true})
		}
	}
	for _, f := range files {
		s := f.Settings.Sandbox
		if s == nil {
			continue
		}
		isManaged := f.Level == LevelManaged
		add(&sc.ExcludedCommands, s.ExcludedCommands, f, "excludedCommands")
		if !onlyManagedDomains || isManaged {
			add(&sc.AllowedDomains, s.AllowedDomains, f, "network.allowedDomains")
		}
		denied = append(denied, s.DeniedDomains...)
		add(&sc.AllowUnixSockets, s.AllowUnixSockets, f, "network.allowUnixSockets")
		add(&sc.AllowWrite, s.AllowWrite, f, "filesystem.allowWrite")
		add(&sc.DenyWrite, s.DenyWrite, f, "filesystem.denyWrite")
		add(&sc.DenyRead, s.DenyRead, f, "filesystem.denyRead")
		if !onlyManagedReads || isManaged {
			add(&sc.AllowRead, s.AllowRead, f, "filesystem.allowRead")
		}
		for pat, l := range s.IgnoreViolations {
			if sc.IgnoreViolations == nil {
				sc.IgnoreViolations = map[string][]string{}
			}
			sc.IgnoreViolations[pat] = append(sc.IgnoreViolations[pat], l...)
		}
	}
	sc.AllowedDomains = c.withoutDenied(sc.AllowedDomains, denied)
	if v := sc.HTTPProxyPort; v.Set {
		c.warnf("sandbox.network.httpProxyPort (%s): basalt always runs its own proxy, so that it can report what it refused; the port is ignored", v.Source)
	}
	if v := sc.SOCKSProxyPort; v.Set {
		c.warnf("sandbox.network.socksProxyPort (%s): basalt always runs its own proxy, so that it can report what it refused; the port is ignored", v.Source)
	}
	if v := sc.EnableWeakerNestedSandbox; v.Value {
		c.warnf("sandbox.enableWeakerNestedSandbox (%s): basalt has no weaker mode; the sandbox runs as usual or, where it cannot start, not at all", v.Source)
	}
}

// withoutDenied drops the allowed domains that cover a denied one. The
// proxy knows allowed domains only, so "*.example.com" allowed beside
// "evil.example.com" denied can only be kept by allowing the denied one
// too: the pattern goes, with a warning, so nothing denied is reachable.
func (c *Config) withoutDenied(allowed []Value[string], denied []string) []Value[string] {
	if len(denied) == 0 {
		return allowed
	}
	var out []Value[string]
	for _, a := range allowed {
		covered := ""
		for _, d := range denied {
			if DomainCovers(a.Value, d) {
				covered = d
				break
			}
		}
		if covered != "" {
			c.warnf("sandbox.network.allowedDomains %q (%s) is left out: it covers %q, which sandbox.network.deniedDomains denies, and basalt's proxy can only allow", a.Value, a.Source, covered)
			continue
		}
		out = append(out, a)
	}
	return out
}

// DomainCovers reports whether an allowedDomains pattern ("example.com",
// "*.example.com", "*") matches host. A "*." pattern matches subdomains
// only, as in Claude Code.
func DomainCovers(pattern, host string) bool {
	switch {
	case pattern == "*":
		return true
	case len(pattern) > 2 && pattern[:2] == "*.":
		suffix := pattern[1:]
		return len(host) > len(suffix) && host[len(host)-len(suffix):] == suffix
	}
	return pattern == host
}

// sandboxFinding says what a sandbox setting of a project file would do,
// "" when it only restricts and so applies in any folder.
func sandboxFinding(s *SandboxSettings) func(key string) string {
	return func(key string) string { return sandboxRisk(s, key) }
}

func sandboxRisk(s *SandboxSettings, key string) string {
	isTrue := func(b *bool) bool { return b != nil && *b }
	isFalse := func(b *bool) bool { return b != nil && !*b }
	switch key {
	case "enabled":
		if isFalse(s.Enabled) {
			return "turns your sandbox off: commands run without its walls"
		}
	case "failIfUnavailable":
		if isFalse(s.FailIfUnavailable) {
			return "lets commands run unsandboxed where the sandbox cannot start"
		}
	case "autoAllowBashIfSandboxed":
		if isTrue(s.AutoAllowBashIfSandboxed) {
			return "runs sandboxed commands without asking you"
		}
	case "allowUnsandboxedCommands":
		if isTrue(s.AllowUnsandboxedCommands) {
			return "lets commands run outside the sandbox"
		}
	case "excludedCommands":
		return "runs these commands outside the sandbox"
	case "enableWeakerNestedSandbox":
		if isTrue(s.EnableWeakerNestedSandbox) {
			return "weakens the sandbox"
		}
	case "ignoreViolations":
		return "hides what the sandbox refuses"
	case "basaltHooks":
		if isFalse(s.BasaltHooks) {
			return "runs hooks' commands outside the sandbox"
		}
	case "basaltMcpServers":
		if isFalse(s.BasaltMCPServers) {
			return "runs MCP servers outside the sandbox"
		}
	case "network.allowedDomains":
		return "lets sandboxed commands reach these hosts"
	case "network.allowUnixSockets":
		return "lets sandboxed commands use these sockets"
	case "network.allowAllUnixSockets":
		if isTrue(s.AllowAllUnixSockets) {
			return "lets sandboxed commands use every Unix socket (a Docker socket is a way out)"
		}
	case "network.allowLocalBinding":
		if isTrue(s.AllowLocalBinding) {
			return "lets sandboxed commands listen on local ports"
		}
	case "network.httpProxyPort", "network.socksProxyPort":
		return "sends sandboxed commands' traffic to this proxy port"
	case "filesystem.allowWrite":
		return "lets sandboxed commands write here"
	case "filesystem.allowRead":
		return "lets sandboxed commands read inside places denyRead hides"
	}
	return ""
}

// classifySandbox splits a project file's sandbox into its risky
// settings (reported through add) and what applies in any folder.
func classifySandbox(s *SandboxSettings, add func(setting, raw, effect string)) *SandboxSettings {
	if s == nil {
		return nil
	}
	risk := sandboxFinding(s)
	safe := &SandboxSettings{
		DenyWrite: s.DenyWrite, DenyRead: s.DenyRead, DeniedDomains: s.DeniedDomains,
		// Managed-only switches: inert in a project file.
		AllowManagedDomainsOnly: nil, AllowManagedReadPathsOnly: nil,
	}
	boolKey := func(key string, src *bool, dst **bool) {
		if src == nil {
			return
		}
		if e := risk(key); e != "" {
			add("sandbox."+key, fmt.Sprint(*src), e)
			return
		}
		*dst = src
	}
	boolKey("enabled", s.Enabled, &safe.Enabled)
	boolKey("failIfUnavailable", s.FailIfUnavailable, &safe.FailIfUnavailable)
	boolKey("autoAllowBashIfSandboxed", s.AutoAllowBashIfSandboxed, &safe.AutoAllowBashIfSandboxed)
	boolKey("allowUnsandboxedCommands", s.AllowUnsandboxedCommands, &safe.AllowUnsandboxedCommands)
	boolKey("enableWeakerNestedSandbox", s.EnableWeakerNestedSandbox, &safe.EnableWeakerNestedSandbox)
	boolKey("network.allowAllUnixSockets", s.AllowAllUnixSockets, &safe.AllowAllUnixSockets)
	boolKey("network.allowLocalBinding", s.AllowLocalBinding, &safe.AllowLocalBinding)
	boolKey("basaltHooks", s.BasaltHooks, &safe.BasaltHooks)
	boolKey("basaltMcpServers", s.BasaltMCPServers, &safe.BasaltMCPServers)
	list := func(key string, l []string) {
		for _, it := range l {
			add("sandbox."+key, it, risk(key))
		}
	}
	list("excludedCommands", s.ExcludedCommands)
	list("network.allowedDomains", s.AllowedDomains)
	list("network.allowUnixSockets", s.AllowUnixSockets)
	list("filesystem.allowWrite", s.AllowWrite)
	list("filesystem.allowRead", s.AllowRead)
	for _, pat := range sortedNames(s.IgnoreViolations) {
		for _, it := range s.IgnoreViolations[pat] {
			add("sandbox.ignoreViolations."+pat, it, risk("ignoreViolations"))
		}
	}
	for key, n := range map[string]*int{"network.httpProxyPort": s.HTTPProxyPort, "network.socksProxyPort": s.SOCKSProxyPort} {
		if n != nil {
			add("sandbox."+key, fmt.Sprint(*n), risk(key))
		}
	}
	return safe
}
