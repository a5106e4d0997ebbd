package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

// A repository is code from someone else. Its project settings files
// (.basalt/settings.json, .claude/settings.json) may change where
// credentials go or what runs: those risky settings apply only once the
// user has trusted the folder (DESIGN.md §4, §9). This file decides which
// settings are risky; the decisions themselves live in internal/trust.
//
// The classification fails closed:
//   - every "env" entry is risky unless it is on [HarmlessProjectEnv], so
//     a variable nobody has thought about yet is risky by default;
//   - a top-level key basalt parses but [projectKeys] does not classify is
//     risky, so a setting implemented later needs trust until someone
//     decides otherwise;
//   - keys basalt does not use at all are inert, except those listed in
//     [projectKeys] as risky already (hooks, MCP servers, helper
//     commands), so that a folder trusted today stays trusted for them
//     only if the user saw them.

// Finding is one risky setting of a project settings file.
type Finding struct {
	// Setting is the dotted key: "env.ANTHROPIC_BEDROCK_BASE_URL",
	// "awsAuthRefresh", "permissions.allow".
	Setting string
	// Value is the value as it may be printed: secrets redacted, one line,
	// long JSON shortened.
	Value string
	File  string
	Line  int
	// Effect says what the setting would do, for the user deciding.
	Effect string

	raw string // the value as written: the fingerprint's input, never printed
}

// Location is "FILE:LINE".
func (f Finding) Location() string {
	if f.Line == 0 {
		return f.File
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// Trust is what [Load] found out about the project's risky settings.
type Trust struct {
	// Root is the folder the decision is about: the project root, where
	// the project settings files live.
	Root string
	// Fingerprint is a hash over the risky settings (names and values as
	// written, not their order or line numbers): a change to an unrelated
	// setting keeps it, a changed, added or removed risky setting changes
	// it, so that a trust decision covers exactly what the user saw.
	Fingerprint string
	// Findings lists the risky settings, in file order.
	Findings []Finding
	// Trusted is true when Input.TrustProject accepted Root and
	// Fingerprint: the findings apply. When it is false the findings were
	// left out of the configuration.
	Trusted bool
	// Explicit is true when the user trusted this folder as it is now
	// (`basalt trust` or --trust), even when it has no risky settings:
	// what else a repository ships that would grant itself permissions
	// (the allowed-tools of its commands and skills) applies only then.
	Explicit bool
}

// Ignored reports whether risky project settings were found and left out
// because the folder is not trusted.
func (t Trust) Ignored() bool { return len(t.Findings) > 0 && !t.Trusted }

// HarmlessProjectEnv are the variables a project file's "env" may set in a
// folder nobody trusted, with why each is harmless. They shape requests to
// the model the user's own credentials already reach (which model, how
// many tokens, caching); none chooses an endpoint, a credential, an
// account, a region or a command. Values that name an ARN are still risky
// (see [riskyModelValue]).
var HarmlessProjectEnv = map[string]string{
	"ANTHROPIC_MODEL":                  "picks the model among those your credentials can use; shown in the status line",
	"ANTHROPIC_SMALL_FAST_MODEL":       "picks the background model among those your credentials can use",
	"ANTHROPIC_DEFAULT_OPUS_MODEL":     "what the opus alias means",
	"ANTHROPIC_DEFAULT_SONNET_MODEL":   "what the sonnet alias means",
	"ANTHROPIC_DEFAULT_HAIKU_MODEL":    "what the haiku alias means",
	"ANTHROPIC_DEFAULT_FABLE_MODEL":    "what the fable alias means",
	"CLAUDE_CODE_USE_BEDROCK":          "turning Bedrock on keeps requests in your own AWS account (turning it off could send code to the Anthropic API, so only enabling values are harmless)",
	"DISABLE_PROMPT_CACHING":           "cost only, shown per turn",
	"DISABLE_PROMPT_CACHING_OPUS":      "cost only, shown per turn",
	"DISABLE_PROMPT_CACHING_SONNET":    "cost only, shown per turn",
	"DISABLE_PROMPT_CACHING_HAIKU":     "cost only, shown per turn",
	"ENABLE_PROMPT_CACHING_1H":         "cost only, shown per turn",
	"ENABLE_PROMPT_CACHING_1H_BEDROCK": "cost only, shown per turn",
	"FORCE_PROMPT_CACHING_5M":          "cost only, shown per turn",
	"CLAUDE_CODE_MAX_OUTPUT_TOKENS":    "size of a request",
	"CLAUDE_CODE_MAX_CONTEXT_TOKENS":   "when compaction starts",
	"MAX_THINKING_TOKENS":              "size of a request",
	"CLAUDE_CODE_MAX_RETRIES":          "how often a failed request is retried",
}

// envEffect is one row of the table that describes what a risky variable
// does. Every variable not in HarmlessProjectEnv is risky; the table only
// chooses the words. Patterns are path.Match patterns over the upper-cased
// name (so http_proxy matches *PROXY*); the first match wins.
type envEffect struct {
	Pattern string
	Effect  string
}

var riskyEnvEffects = []envEffect{
	{"ANTHROPIC_BEDROCK_BASE_URL", "sends every model request, signed with your AWS credentials, to this endpoint"},
	{"ANTHROPIC_BASE_URL", "sends every model request, with your API key, to this endpoint"},
	{"CLAUDE_CODE_SKIP_BEDROCK_AUTH", "sends model requests unsigned, for a gateway that signs them"},
	{"ANTHROPIC_BEDROCK_MANTLE_BASE_URL", "sends every model request, signed with your AWS credentials, to this Mantle endpoint"},
	{"CLAUDE_CODE_USE_MANTLE", "sends model requests to Bedrock's Mantle endpoint instead of InvokeModel"},
	{"CLAUDE_CODE_SKIP_MANTLE_AUTH", "sends Mantle requests unsigned, for a gateway that signs them"},
	{"ANTHROPIC_BEDROCK_SERVICE_TIER", "changes the price of every request (priority costs 1.75× the standard rate)"},
	{"CLAUDE_CODE_CLIENT_*", "presents this client certificate to every server basalt connects to"},
	{"ANTHROPIC_CUSTOM_HEADERS", "adds these headers to every model request"},
	{"ANTHROPIC_BEDROCK_REGION_PREFIX", "chooses the geography where Bedrock processes your requests"},
	{"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", "sends background requests to this region"},
	{"NO_PROXY", "lets these hosts bypass your proxy"},
	{"*PROXY*", "routes basalt's traffic, credentials included, through this proxy"},
	{"*CA_CERT*", "trusts this certificate authority: whoever holds its key can read and change basalt's traffic"},
	{"*CA_BUNDLE*", "trusts these certificate authorities: whoever holds their keys can read and change basalt's traffic"},
	{"SSL_CERT_*", "trusts these certificate authorities: whoever holds their keys can read and change basalt's traffic"},
	{"OTEL_*HEADERS*", "sends these headers to the telemetry collector"},
	{"OTEL_*ENDPOINT*", "sends telemetry to this endpoint"},
	{"OTEL_*", "shapes what telemetry is sent and where"},
	{"CLAUDE_CODE_ENABLE_TELEMETRY", "turns on telemetry export"},
	{"AWS_*", "chooses which AWS credentials, profile, account, region or endpoint are used"},
	{"*_ENDPOINT*", "sends requests to this endpoint"},
	{"*_URL", "sends requests to this address"},
	{"*_URI", "sends requests to this address"},
	{"*_HOST", "sends requests to this host"},
	{"HOME", "moves where basalt and the AWS SDK look for your settings and credentials"},
	{"XDG_*", "moves where basalt keeps its settings, sessions and logs"},
	{"PATH", "changes which programs the credential commands run"},
}

const unknownEnvEffect = "sets a variable not known to be harmless: basalt, the AWS SDK and the credential commands read the environment"

func envVarEffect(name string) string {
	upper := strings.ToUpper(name)
	for _, e := range riskyEnvEffects {
		if ok, _ := path.Match(e.Pattern, upper); ok {
			return e.Effect
		}
	}
	return unknownEnvEffect
}

// riskyEnvValue reports whether a project file may not set name to value
// in an untrusted folder.
func riskyEnvValue(name, value string) bool {
	if _, ok := HarmlessProjectEnv[name]; !ok {
		return true
	}
	switch name {
	case "CLAUDE_CODE_USE_BEDROCK":
		on, valid := truthy(value)
		return !on || !valid
	case "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL",
		"ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL":
		return riskyModelValue(value)
	}
	return false
}

// riskyModelValue reports whether a model setting names a resource rather
// than a model: an ARN carries an account and a region, and an inference
// profile of another account could log every prompt. Aliases and model
// or inference-profile IDs only choose among the models the user's own
// credentials reach in the user's own region, so "model" and
// "modelOverrides" are harmless unless they hold an ARN.
func riskyModelValue(v string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "arn:")
}

const modelARNEffect = "sends requests for this model to the AWS resource this ARN names (its account and region)"

// keyClass says how the trust check treats a top-level key of a project
// settings file.
type keyClass int

const (
	keyRisky    keyClass = iota + 1 // risky whatever its value
	keyPerEntry                     // classified entry by entry (env, permissions, model values)
)

type keyRule struct {
	Class  keyClass
	Effect string // for keyRisky
}

// projectKeys classifies the top-level keys of a project settings file.
// A key basalt parses that is missing here is risky (fail closed); a key
// basalt does not use and is missing here is inert.
var projectKeys = sync.OnceValue(func() map[string]keyRule {
	return map[string]keyRule{
		"env":            {Class: keyPerEntry},
		"permissions":    {Class: keyPerEntry},
		"model":          {Class: keyPerEntry},
		"modelOverrides": {Class: keyPerEntry},
		// The strictest bashEnvironment of all levels applies (bashenv.go), so
		// a repository's value can only take more away from commands.
		"bashEnvironment": {Class: keyPerEntry},
		// A style changes how the model talks, not what it may do.
		"outputStyle": {Class: keyPerEntry},
		// What only restricts the sandbox applies anywhere; what widens it
		// (domains, excluded commands, writable paths, turning it off) needs
		// trust (sandbox.go).
		"sandbox": {Class: keyPerEntry},
		// Sessions of every project older than this are deleted: a repository
		// must not shorten the user's history.
		"cleanupPeriodDays": {keyRisky, "deletes the session transcripts of every project older than this many days"},

		"awsAuthRefresh":      {keyRisky, "runs this command whenever your AWS credentials expire"},
		"awsCredentialExport": {keyRisky, "runs this command and signs model requests with the credentials it prints"},
		"otelHeadersHelper":   {keyRisky, "runs this command and sends the headers it prints with telemetry"},
		// Claude Code keys basalt does not implement yet, risky already: a
		// later basalt that runs them must not inherit a trust nobody gave.
		"apiKeyHelper": {keyRisky, "runs this command to produce an API key"},
		"statusLine":   {keyRisky, "runs this command to draw the status line"},
		"hooks":        {keyRisky, "runs these commands on agent events"},
		// A repository must not turn off the user's own hooks (a guard).
		"disableAllHooks": {keyRisky, "turns off your own hooks in this folder (only the managed policy's hooks run)"},
		// It counts in the managed policy only: inert in a project file.
		"allowManagedHooksOnly":      {Class: keyPerEntry},
		"fileSuggestion":             {keyRisky, "runs this command to suggest files"},
		"enableAllProjectMcpServers": {keyRisky, "starts every MCP server of the project's .mcp.json"},
		"enabledMcpjsonServers":      {keyRisky, "starts these MCP servers from the project's .mcp.json"},
		"enabledPlugins":             {keyRisky, "enables plugins, which bring their own hooks, commands and MCP servers"},
		"extraKnownMarketplaces":     {keyRisky, "adds plugin marketplaces to install plugins from"},
	}
})

// classify returns the risky settings of one file and a copy of its
// settings without them. The copy is built from what is known to be
// harmless, so a field added to Settings later is left out by default.
func classify(f *File) ([]Finding, *Settings) {
	s := f.Settings
	safe := &Settings{Unknown: s.Unknown, Lines: s.Lines, Raw: s.Raw, Warnings: s.Warnings}
	var out []Finding
	add := func(setting, raw, shown, effect string) {
		out = append(out, Finding{Setting: setting, Value: shorten(shown), File: f.Path, Line: s.Lines[setting], Effect: effect, raw: raw})
	}
	keys := make([]string, 0, len(s.Raw))
	for k := range s.Raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rule, classified := projectKeys()[k]
		switch {
		case classified && rule.Class == keyRisky:
			add(k, compact(s.Raw[k]), rawShown(s.Raw[k]), rule.Effect)
		case classified && rule.Class == keyPerEntry:
			// Below, field by field.
		case slices.Contains(s.Unknown, k):
			// basalt does not use it: inert.
		default:
			add(k, compact(s.Raw[k]), rawShown(s.Raw[k]), "a setting basalt has not classified as harmless")
		}
	}

	if len(s.Env) > 0 {
		safe.Env = map[string]string{}
	}
	for _, name := range sortedNames(s.Env) {
		v := s.Env[name]
		if riskyEnvValue(name, v) {
			effect := envVarEffect(name)
			if _, ok := HarmlessProjectEnv[name]; ok {
				effect = modelARNEffect
				if name == "CLAUDE_CODE_USE_BEDROCK" {
					effect = "turns Amazon Bedrock off: requests may go to the Anthropic API instead of your AWS account"
				}
			}
			add("env."+name, v, RedactVar(name, v), effect)
			continue
		}
		safe.Env[name] = v
	}

	safe.BashEnvironment = s.BashEnvironment
	safe.Sandbox = classifySandbox(s.Sandbox, func(setting, raw, effect string) {
		add(setting, raw, raw, effect)
	})
	safe.OutputStyle = s.OutputStyle

	if s.Model != nil {
		if riskyModelValue(*s.Model) {
			add("model", *s.Model, *s.Model, modelARNEffect)
		} else {
			safe.Model = s.Model
		}
	}
	if len(s.ModelOverrides) > 0 {
		safe.ModelOverrides = map[string]string{}
	}
	for _, k := range sortedNames(s.ModelOverrides) {
		v := s.ModelOverrides[k]
		if riskyModelValue(v) {
			add("modelOverrides."+k, v, v, modelARNEffect)
			continue
		}
		safe.ModelOverrides[k] = v
	}

	if p := s.Permissions; p != nil {
		// Restrictions apply in any folder: they can only ask or refuse more.
		sp := &Permissions{Ask: p.Ask, Deny: p.Deny, DisableBypassPermissionsMode: p.DisableBypassPermissionsMode}
		for _, r := range p.Allow {
			add("permissions.allow", r, r, "lets the agent use this tool without asking")
		}
		if m := p.DefaultMode; m != nil {
			if *m == "default" || *m == "plan" || *m == "manual" || *m == "auto" || *m == "dontAsk" {
				sp.DefaultMode = m
			} else {
				add("permissions.defaultMode", *m, *m, "starts every session in this permission mode, which asks less")
			}
		}
		for _, d := range p.AdditionalDirectories {
			add("permissions.additionalDirectories", d, d, "lets the agent read and edit files in this directory too")
		}
		safe.Permissions = sp
	}
	return out, safe
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// rawShown prints a JSON value on one line: a string unquoted, anything
// else compacted.
func rawShown(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return compact(raw)
}

// compact is raw without insignificant white space, so that reformatting
// a file changes neither what is shown nor the fingerprint.
func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// shorten keeps a printed value to one line of reasonable length.
func shorten(s string) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if r := []rune(s); len(r) > 160 {
		return string(r[:157]) + "..."
	}
	return s
}

// fingerprint hashes the risky settings: names and values as written,
// sorted, so that reordering keys or reformatting the file keeps it.
func fingerprint(findings []Finding) string {
	pairs := make([][2]string, len(findings))
	for i, f := range findings {
		pairs[i] = [2]string{f.Setting, f.raw}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	b, _ := json.Marshal(pairs) // strings only: cannot fail
	sum := sha256.Sum256(append([]byte("basalt-trust-v1\n"), b...))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// checkTrust classifies the project files, asks trusted whether the user
// trusts the folder for these settings, and, if not, replaces each
// project file's settings by their harmless part.
func (c *Config) checkTrust(trusted func(root, fingerprint string) bool, trackedLocal func(path string) bool) {
	c.Trust = Trust{Root: c.ProjectRoot}
	type pending struct {
		f    *File
		safe *Settings
	}
	var files []pending
	for _, f := range c.Files {
		if f.Status != StatusLoaded || f.Level != LevelProject && f.Level != LevelLocal {
			continue
		}
		findings, safe := classify(f)
		// A local file is the user's own, unless the repository ships it
		// (git tracks it); the index is read only when that could matter.
		if f.Level == LevelLocal && (len(findings) == 0 || trackedLocal == nil || !trackedLocal(f.Path)) {
			continue
		}
		c.Trust.Findings = append(c.Trust.Findings, findings...)
		files = append(files, pending{f, safe})
	}
	sort.SliceStable(c.Trust.Findings, func(i, j int) bool {
		a, b := c.Trust.Findings[i], c.Trust.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	c.Trust.Fingerprint = fingerprint(c.Trust.Findings)
	c.Trust.Explicit = trusted != nil && trusted(c.Trust.Root, c.Trust.Fingerprint)
	if len(c.Trust.Findings) == 0 {
		c.Trust.Trusted = true
		return
	}
	c.Trust.Trusted = c.Trust.Explicit
	if c.Trust.Trusted {
		return
	}
	for _, p := range files {
		p.f.Settings = p.safe
	}
}
