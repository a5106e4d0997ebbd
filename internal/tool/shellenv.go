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

// localeVars choose the character set bash reads a command in.
var localeVars = map[string]bool{"LC_ALL": true, "LC_CTYPE": true, "LANG": true}

// shellSafeEnv returns env without the variables that change how bash
// reads a command: [shellStateVars] and exported functions (BASH_FUNC_*),
// which would let an inherited function named ls run where the checker
// allowed the program ls. A locale whose character set is neither UTF-8
// nor plain ASCII becomes C.UTF-8: in Shift-JIS, Big5 or GBK the byte after
// a non-ASCII one may be read as part of it, so a \ or ` the checker saw
// would not be there for bash.
func shellSafeEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		switch {
		case shellStateVars[name] || strings.HasPrefix(name, "BASH_FUNC_"):
			continue
		case localeVars[name] && !asciiCompatibleLocale(value):
			kv = name + "=C.UTF-8"
		}
		out = append(out, kv)
	}
	return out
}

// asciiCompatibleLocale reports whether a locale name reads bytes as the
// checker does: UTF-8, or the C/POSIX locale.
func asciiCompatibleLocale(v string) bool {
	if v == "" || v == "C" || v == "POSIX" {
		return true
	}
	_, charset, ok := strings.Cut(v, ".")
	if !ok {
		// A locale without a codeset takes the system's default for it,
		// which for zh_TW and zh_HK is Big5: unknown, so not trusted.
		return false
	}
	charset, _, _ = strings.Cut(charset, "@")
	switch strings.ToUpper(strings.ReplaceAll(charset, "-", "")) {
	case "UTF8", "ISO88591", "ISO885915", "ASCII", "USASCII":
		return true
	}
	return false
}
