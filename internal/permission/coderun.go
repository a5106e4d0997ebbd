package permission

import (
	"strings"
)

// gitConfigRuns says what a git -c KEY=VALUE does: code a shell runs
// (core.pager, alias.x=!…, diff.external, filter drivers, …), nothing for
// keys that change only presentation or identity, or unknown for every
// other key, which may run something (include.path, core.hooksPath, …).
func gitConfigRuns(key, value string) (code string, runs, unknown bool) {
	gitSafePrefixes := []string{"color.", "advice.", "user.", "i18n.", "column.", "blame.", "format.pretty"}
	k := strings.ToLower(key)
	last := k[strings.LastIndexByte(k, '.')+1:]
	switch {
	case strings.HasPrefix(k, "alias."):
		if c, ok := strings.CutPrefix(value, "!"); ok {
			return c, true, false
		}
		return "", false, true // an alias of git options (-c …) again
	case k == "core.pager", k == "core.editor", k == "core.sshcommand", k == "core.askpass", k == "core.gitproxy",
		k == "sequence.editor", k == "diff.external", k == "gpg.program", k == "uploadpack.packobjectshook",
		strings.HasPrefix(k, "pager."), strings.HasPrefix(k, "gpg.") && last == "program",
		last == "command", last == "textconv", last == "clean", last == "smudge", last == "process",
		last == "driver", last == "cmd", last == "uploadpack", last == "receivepack", last == "helper":
		switch strings.ToLower(value) {
		case "true", "false", "yes", "no", "on", "off", "0", "1", "":
			if strings.HasPrefix(k, "pager.") {
				return "", false, false
			}
		}
		return strings.TrimPrefix(value, "!"), true, false
	case k == "core.fsmonitor":
		switch strings.ToLower(value) {
		case "true", "false", "yes", "no", "on", "off", "0", "1":
			return "", false, false
		}
		return value, true, false
	}
	for _, p := range gitSafePrefixes {
		if strings.HasPrefix(k, p) {
			return "", false, false
		}
	}
	switch k {
	case "core.quotepath", "core.autocrlf", "core.safecrlf", "init.defaultbranch", "log.showsignature",
		"diff.renames", "diff.noprefix", "merge.conflictstyle", "pull.rebase", "push.default", "commit.gpgsign",
		"status.showuntrackedfiles", "core.abbrev", "safe.directory":
		return "", false, false
	}
	return "", false, true
}

// sshConfigRuns picks out the ssh -o options that run a local command.
func sshConfigRuns(key, value string) (code string, runs, unknown bool) {
	if value == "" {
		// -o "ProxyCommand sh -c …" separates with blanks.
		key, value, _ = strings.Cut(strings.TrimSpace(key), " ")
	}
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "proxycommand", "localcommand", "knownhostscommand", "remotecommand":
		return value, true, false
	case "include", "permitlocalcommand", "sendenv", "setenv", "controlpath", "identityagent", "pkcs11provider", "securitykeyprovider":
		return "", false, true
	}
	return "", false, false
}

// awkSafe reports whether an awk program provably runs no command and
// writes no file: no system(), no pipe, no redirection (a ">" comparison
// is refused too), no getline from a command and no gawk extension.
func awkSafe(prog string) bool {
	return !strings.ContainsAny(prog, "|>@`") && !strings.Contains(prog, "system") && !strings.Contains(prog, "getline") &&
		!strings.Contains(prog, "ENVIRON") && !strings.Contains(prog, "PROCINFO")
}

// sedSafe reports whether a sed script is one of the forms that run
// nothing and write nothing: a single s/…/…/ with flags among g, p, i, I,
// m, M and digits, or a line selection with p, d, q or =. Anything else
// (e, w, r, W, R, several commands) is treated as code.
func sedSafe(script string) bool {
	s := strings.TrimSpace(script)
	if s == "" || strings.ContainsAny(s, "\n;{}") {
		return false
	}
	// An optional address of line numbers, $ and a comma.
	i := 0
	for i < len(s) && strings.IndexByte("0123456789,$", s[i]) >= 0 {
		i++
	}
	s = s[i:]
	switch s {
	case "p", "d", "q", "=", "!d", "!p":
		return true
	}
	if len(s) < 4 || s[0] != 's' {
		return false
	}
	delim := s[1]
	if delim == '\\' || delim == ' ' {
		return false
	}
	parts, j := 0, 2
	for ; j < len(s) && parts < 2; j++ {
		switch s[j] {
		case '\\':
			j++
		case delim:
			parts++
		}
	}
	if parts < 2 {
		return false
	}
	for _, c := range s[j:] {
		if !strings.ContainsRune("gpiImM0123456789", c) {
			return false
		}
	}
	return true
}
