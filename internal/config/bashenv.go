package config

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// The values of the bashEnvironment setting: what the environment of the
// commands the agent runs (Bash, and Grep's rg) keeps of basalt's own
// process environment.
const (
	// BashEnvInherit keeps the user's shell environment, as Claude Code
	// does, so `aws s3 ls` works, minus basalt's own secrets.
	BashEnvInherit = "inherit"
	// BashEnvClean also strips AWS credentials and every variable that
	// looks like a secret by name or value, and points the AWS CLI and
	// SDKs at no credentials at all.
	BashEnvClean = "clean"
)

// BashEnvironments are the valid values of bashEnvironment.
var BashEnvironments = []string{BashEnvInherit, BashEnvClean}

// bashEnvironment parses the setting. A value basalt cannot use is a
// warning located in the file, and the strict value applies: a team that
// wrote "strict" or "none" meant less, not more.
func (p *settingsParser) bashEnvironment(s *Settings, m member) {
	var v string
	err := json.Unmarshal(m.raw, &v)
	if err == nil && (v == BashEnvInherit || v == BashEnvClean) {
		s.BashEnvironment = &v
		return
	}
	got := describe(m.raw)
	if err == nil {
		got = "a string that is neither"
	}
	clean := BashEnvClean
	s.BashEnvironment = &clean
	s.Warnings = append(s.Warnings, p.errAt(m.offset, m.path, `want "inherit" or "clean", got `+got+`; "clean" is used`))
}

// resolveBashEnvironment takes the strictest value any file sets: a
// project file cannot hand the agent's commands the credentials the user's
// own settings keep from them, whatever the precedence of the levels.
func (c *Config) resolveBashEnvironment() {
	c.BashEnvironment = defaultValue(BashEnvInherit)
	files := c.filesByPrecedence()
	if m := c.managedFile(); m != nil {
		files = append([]*File{m}, files...)
	}
	for _, f := range files {
		v := f.Settings.BashEnvironment
		if v == nil {
			continue
		}
		if !c.BashEnvironment.Set || *v == BashEnvClean && c.BashEnvironment.Value != BashEnvClean {
			c.BashEnvironment = Value[string]{Value: *v, Source: f.source("bashEnvironment"), Set: true}
		}
	}
}

// ownSecrets are the variables through which basalt reaches its model and
// its collector. Commands the agent runs never get them, whatever
// bashEnvironment says: they are the user's access to Claude, not the
// build's.
var ownSecrets = map[string]bool{
	"AWS_BEARER_TOKEN_BEDROCK": true,
	"ANTHROPIC_API_KEY":        true,
	"ANTHROPIC_AUTH_TOKEN":     true,
	"ANTHROPIC_CUSTOM_HEADERS": true,
}

// IsOwnSecret reports whether a variable of the process environment is
// one of basalt's own secrets: the model-access keys, the custom headers,
// every OTEL_…HEADERS, and any ANTHROPIC_…, CLAUDE_CODE_… or OTEL_…
// variable that is secret by name or value (a gateway URL with a
// password, CLAUDE_CODE_OAUTH_TOKEN).
func IsOwnSecret(name, value string) bool {
	switch {
	case ownSecrets[name]:
		return true
	case strings.HasPrefix(name, "OTEL_") && strings.HasSuffix(name, "HEADERS"):
		return true
	case strings.HasPrefix(name, "ANTHROPIC_"), strings.HasPrefix(name, "CLAUDE_CODE_"), strings.HasPrefix(name, "OTEL_"):
		return IsSecret(name) || LooksSecret(value)
	}
	return false
}

// awsCredentialVars are what "clean" strips besides secrets by name and
// shape: the variables that select or locate AWS credentials.
var awsCredentialVars = map[string]bool{
	"AWS_ACCESS_KEY_ID":           true,
	"AWS_SECRET_ACCESS_KEY":       true,
	"AWS_SESSION_TOKEN":           true,
	"AWS_SECURITY_TOKEN":          true,
	"AWS_PROFILE":                 true,
	"AWS_DEFAULT_PROFILE":         true,
	"AWS_WEB_IDENTITY_TOKEN_FILE": true,
	"AWS_ROLE_ARN":                true,
	"AWS_ROLE_SESSION_NAME":       true,
	"AWS_SHARED_CREDENTIALS_FILE": true,
	"AWS_CONFIG_FILE":             true,
	"AWS_CREDENTIAL_EXPIRATION":   true,
}

// cleanOverrides are set by "clean": without them the AWS CLI would fall
// back to the default profile of ~/.aws/credentials, ~/.aws/config's SSO
// and credential_process profiles, or the instance's role.
var cleanOverrides = map[string]string{
	"AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
	"AWS_CONFIG_FILE":             "/dev/null",
	"AWS_EC2_METADATA_DISABLED":   "true",
}

// CommandEnv is the environment of commands the agent runs (Bash, and
// Grep's rg): basalt's process environment, that is the user's shell,
// without basalt's own secrets (IsOwnSecret). Variables from settings files are never in it (DESIGN.md
// §4): they configure basalt, not the user's build; nor are credentials
// basalt obtained itself (awsCredentialExport's output lives in the AWS
// SDK's cache, never in an environment). With bashEnvironment "clean" it
// also drops AWS credentials and every variable that is secret by name
// (IsSecret) or by value (LooksSecret), and points the AWS CLI at no
// credential file and no instance role.
func (c *Config) CommandEnv() []string {
	clean := c.BashEnvironment.Value == BashEnvClean
	out := make([]string, 0, len(c.procEnv))
	for k, v := range c.procEnv {
		switch {
		case IsOwnSecret(k, v):
			continue
		case clean && (awsCredentialVars[k] || strings.HasPrefix(k, "AWS_CONTAINER_") || IsSecret(k) || LooksSecret(v)):
			continue
		case clean && cleanOverrides[k] != "":
			continue
		}
		out = append(out, k+"="+v)
	}
	if clean {
		for k, v := range cleanOverrides {
			out = append(out, k+"="+v)
		}
	}
	sort.Strings(out)
	return out
}

// sdkReadsEnv are variables the AWS SDK reads from the process environment
// itself (web identity and container credentials): basalt's own
// credential chain needs them there, so DroppedFromCommands does not list
// them.
func sdkReadsEnv(name string) bool {
	switch name {
	case "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_CA_BUNDLE":
		return true
	}
	return strings.HasPrefix(name, "AWS_CONTAINER_")
}

// DroppedFromCommands lists the variables of the process environment that
// CommandEnv keeps from commands and that basalt itself reads only through
// this Config, never from its process environment; the cli removes them
// from the process too, so a command cannot read them back from basalt's
// /proc/PID/environ.
func (c *Config) DroppedFromCommands() []string {
	kept := map[string]bool{}
	for _, kv := range c.CommandEnv() {
		k, _, _ := strings.Cut(kv, "=")
		kept[k] = true
	}
	var out []string
	for k := range c.procEnv {
		if !kept[k] && !sdkReadsEnv(k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// minSecretValue is the shortest secret value SecretValues lists: shorter
// ones would hide ordinary words in every output.
const minSecretValue = 8

// SecretValues returns the values of basalt's own secrets, as they might
// appear verbatim in what a command prints: the own secrets of the process
// environment (IsOwnSecret), the secret values of settings files' env (by
// name or shape; for a URL, its password), the values of custom headers
// that are not known to be harmless, and with bashEnvironment "clean" the
// secrets CommandEnv drops. The cli hides them in every tool result, so
// however a command came by one (a settings file it read, a file the
// user left around), the model, the transcript and the screen do not get
// it. Values shorter than 8 characters are left out.
func (c *Config) SecretValues() []string {
	seen := map[string]bool{}
	add := func(v string) {
		if len(v) >= minSecretValue {
			seen[v] = true
		}
	}
	// addWhole adds a value as a command may print it: whole, line by
	// line, and JSON-escaped as in a settings file.
	addWhole := func(v string) {
		add(v)
		for _, line := range strings.Split(v, "\n") {
			add(strings.TrimSpace(line))
		}
		if b, err := json.Marshal(v); err == nil {
			add(string(b[1 : len(b)-1]))
		}
	}
	addValue := func(name, v string) {
		switch {
		case IsSecret(name):
			addWhole(v)
		case !LooksSecret(v):
		default:
			if u, err := url.Parse(v); err == nil && u.User != nil {
				if p, ok := u.User.Password(); ok {
					add(p)
					return
				}
			}
			addWhole(v)
		}
	}
	for k, v := range c.procEnv {
		if IsOwnSecret(k, v) {
			addValue("SECRET", v)
		}
	}
	for _, e := range c.env {
		if e.Source.Kind != SourceEnv {
			addValue(e.Name, e.Value)
		}
	}
	for _, h := range c.CustomHeaders.Value {
		if IsSecretHeader(h.Name) {
			add(h.Value)
		}
	}
	if c.BashEnvironment.Value == BashEnvClean {
		for _, k := range c.DroppedFromCommands() {
			if v := c.procEnv[k]; IsSecret(k) || LooksSecret(v) {
				addValue("SECRET", v)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	// Longest first, so that a value containing another is hidden whole.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}
