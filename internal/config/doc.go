// Package config turns settings files, the environment and command-line
// flags into one [Config] in which every value records where it came from.
//
// Precedence, lowest first (DESIGN.md §4):
//
//  1. defaults
//  2. user settings: $XDG_CONFIG_HOME/basalt/settings.json, else ~/.claude/settings.json
//  3. project settings: <root>/.basalt/settings.json, else <root>/.claude/settings.json
//  4. local settings: <root>/.basalt/settings.local.json, else <root>/.claude/settings.local.json
//  5. --settings FILE
//  6. the process environment
//  7. command-line flags
//  8. managed policy: /etc/basalt/managed-settings.json, else
//     /etc/claude-code/managed-settings.json; nothing overrides it
//
// <root> is the nearest directory at or above the working directory that
// holds .git, or the working directory itself.
//
// The "env" maps of the files join the effective environment at their
// level: a variable from the process environment beats one from a file,
// and one from the managed file beats both. Settings keys that name the
// same thing as a variable (model and ANTHROPIC_MODEL) follow Claude Code:
// the variable wins over the key.
//
// A project file's risky settings (endpoints, credentials, commands,
// permission grants: see trust.go) apply only when [Input].TrustProject
// accepts the folder and the fingerprint of those settings; otherwise
// [Load] leaves them out and lists them in [Config].Trust. Remembering
// decisions is internal/trust's job, asking the user internal/cli's.
//
// [Load] is pure in the sense that matters for tests: it reads only the
// files named by its [Input] and never the process environment or the
// network. No other package reads os.Getenv.
package config
