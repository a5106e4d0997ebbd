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
//  6. command-line flags
//  7. managed policy: /etc/basalt/managed-settings.json, else
//     /etc/claude-code/managed-settings.json; nothing overrides it
//
// <root> is the nearest directory at or above the working directory that
// holds .git, or the working directory itself.
//
// The process environment is the base of the effective environment, and
// the "env" maps of the files apply over it in the order above, as Claude
// Code does: a team's shared settings pin AWS_REGION or ANTHROPIC_MODEL,
// and the managed file's env beats everything. [Config].EnvOverrides
// lists each variable a file replaced, for config show. Settings keys
// that name the same thing as a variable (model and ANTHROPIC_MODEL)
// follow Claude Code: the variable wins over the key.
//
// Files are read as leniently as Claude Code reads them (settings.go): a
// value of the wrong type is left out with a warning, a file that is not
// JSON is skipped with a warning naming its line and column, and the
// Claude Code keys basalt does not implement are listed once (keys.go).
// Only the managed policy fails closed.
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
