package tool

import "strings"

// shellStateVars are variables bash reads at start-up that change what a
// command line means: a file it sources before the command (BASH_ENV,
// ENV), options and parse modes (BASHOPTS, SHELLOPTS, POSIXLY_CORRECT,
// BASH_COMPAT), where cd goes (CDPATH), which names a glob or a command
// lookup skips (GLOBIGNORE, EXECIGNORE), how words split (IFS), code run
// around commands (PROMPT_COMMAND, PS4 with xtrace) and builtins loaded
// from elsewhere (BASH_LOADABLES_PATH). The permission checker reads the
// command as a fresh bash with none of them would, so the Bash tool never
// passes them on from the user's environment: inherited, they would make
// bash run something other than what was checked.
var shellStateVars = map[string]bool{
	"BASH_ENV": true, "ENV": true, "BASHOPTS": true, "SHELLOPTS": true, "POSIXLY_CORRECT": true,
	"BASH_COMPAT": true, "CDPATH": true, "GLOBIGNORE": true, "EXECIGNORE": true, "IFS": true,
	"PROMPT_COMMAND": true, "PS4": true, "BASH_XTRACEFD": true, "BASH_LOADABLES_PATH": true,
}

// shellSafeEnv returns env without the variables that change how bash
// reads a command: [shellStateVars] and exported functions (BASH_FUNC_*),
// which would let an inherited function named ls run where the checker
// allowed the program ls.
func shellSafeEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if shellStateVars[name] || strings.HasPrefix(name, "BASH_FUNC_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}
