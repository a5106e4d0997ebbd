// Package permission owns permission modes, allow/ask/deny rules and the
// decision for a tool call.
//
// It decides; it never runs a tool. [Checker.Decide] reads the filesystem
// only to resolve symlinks and expand globs.
//
// # Modes and tool classes
//
// Read-only tools (Read, Grep, Glob, LS) are allowed inside the workspace
// (the project root and the additional directories) in every mode and
// asked outside it. Session tools (TodoWrite, BashOutput, KillBash) touch
// only the session's own state and are allowed unless a rule names them.
// Edits (Edit, Write, MultiEdit) are asked in default mode, allowed in
// acceptEdits mode inside the workspace only, and denied in plan mode.
// Bash is asked unless rules allow every part of the command; acceptEdits
// also allows mkdir, touch, rm, rmdir, mv and cp when every path they name
// is strictly inside the workspace (Claude Code allows the same list plus
// sed; basalt leaves sed out because its e and w commands run programs and
// write files). Plan mode denies Bash. bypassPermissions allows everything
// no deny rule forbids, and ignores ask rules. Unknown tools are asked.
//
// # Rules
//
// Deny beats ask beats allow. A rule without a specifier matches every call
// to its tool ("Read" and "Edit" cover their whole family); "mcp__github__*",
// "mcp__*" and a server name "mcp__github" cover MCP tools by prefix.
// Rule text is read by the rulespec package, which the configuration layer
// uses too, so both give the same verdict: Claude Code's escapes \( \) \\
// are undone first, and a rule that cannot be compiled exactly is kept, not
// refused (see [New]): as an allow rule a Bash rule matches only its exact
// command line, a path rule nothing; as a deny or ask rule a Bash rule
// refuses any command containing its text or the words of one of its parts,
// a path rule the components after its last "..", "~user" or "//" in any
// directory, or, when nothing is left, every call of its family. "Bash(NODE_ENV=test npm test:*)"
// compiles with its assignment (an allow rule needs exactly it, a deny rule
// ignores it), and a * inside an allow prefix rule stays inside one path
// component. Bash rules
// match one simple command at a time, word by word after quote removal:
// "Bash(git status)" is exact, "Bash(go test:*)" is a prefix ending at a
// word boundary (`go test ./...` but not `go testify`), and "*" in
// "Bash(git * main)" matches any text, a lone trailing " *" being optional
// (Claude Code's wildcard form).
//
// Read/Edit rules are gitignore-style patterns in four spellings:
// "//abs/path" is absolute; "~/path" is under the home directory; "/path"
// is under the root of the rule's settings source, as in Claude Code (the
// user settings directory for user rules, the directory of FILE for
// --settings FILE, the project root for everything else); "path" and
// "./path" are under each workspace root. A pattern without a slash
// (".env", "*.key") matches at any depth, "./.env" only at the root; "**"
// spans directories; a pattern that matches a directory covers its
// contents. A specifier on any Edit-family tool (Edit, Write, MultiEdit)
// governs all three, one on any Read-family tool (Read, Grep, Glob, LS)
// governs all four.
//
// # Bash commands
//
// A command line is parsed with mvdan.cc/sh, but bash reads the text
// itself, so text the two may read differently is treated like a command
// that does not parse (asked unless bypassPermissions or a bare "Bash"
// allow rule applies and no rule could object; denied in plan mode). The
// rule is a whitelist, checked before and after parsing: only printable
// ASCII, tab, newline and non-ASCII letters, marks, digits, punctuation
// and symbols in valid UTF-8 (no carriage return, NUL or other control
// character, no Unicode space or invisible character); no line that
// contains a # and ends in a backslash, no trailing backslash, no
// backslash-newline inside a word (bash joins $\⏎# into $#); only
// here-documents with a plain delimiter, without a backslash-newline in an
// unquoted body, without a body line that starts with the delimiter, and
// not inside backquotes; no single quotes inside double quotes ("${x:-'…'}");
// no expansion inside an extended glob ([[ x = !($(cmd)) ]]);
// and bounded nesting. A word with an unquoted { and a later unquoted }
// is a possible brace expansion even when quotes split it ({rm,""} runs
// rm). A differential fuzz test (FuzzBashDifferential)
// runs the checker against a sandboxed bash and fails when bash runs a
// command the checker did not see. The work per command is bounded too
// (256 simple commands, 4096 words, 64 nested statements, 8 directories
// after cd); beyond that the command is asked. Every simple command,
// including those in pipelines, lists, subshells, $(…), backticks,
// process substitutions, function bodies, eval strings, sh -c strings and
// trap/alias strings, must be allowed on its own; deny and ask rules are
// checked against each of them, and against the command inside wrappers
// and the basename of a command given by path. Redirections are checked
// as a Write (>, >>, &>, >&) or a Read (<) of their target, with the Edit
// and Read rules. A deny rule that might match a command only known at run
// time ($CMD args, eval "$X", curl … | sh) makes the command ask, in every
// mode.
//
// Programs that run other programs are read from one table of wrapper
// specs (wrapspec.go) by one generic parser: which options take a value,
// how many operands come before the wrapped command, whether that command
// is an argument list (timeout, sudo, setpriv, chroot, xargs, find -exec),
// a shell string (script -c, su -c, sg, watch, ssh, tar --to-command,
// git -c core.pager=…, man -P, variables such as GIT_PAGER and PS4), or
// code in a language basalt does not read (awk with system(), pipes or
// redirections, sed beyond a plain s///, perl -e, python -c, vim -c,
// gdb -ex, make --eval, git -c with an unknown key, BASH_ENV, LD_PRELOAD).
// Argument lists are checked as commands, shell strings are scanned like
// sh -c, and unreadable code is treated like a command known only at run
// time. Where a wrapper's options are not all known, every later word is
// also tried as the start of the command, so a deny rule holds through an
// option basalt has not seen. A wrapper with no command that runs a shell
// on its input (su, chroot, script, python with no script) is treated the
// same way. Brace expansion in a command name is expanded, so {rm,-rf,x}
// is rm.
//
// Allow rules are stricter and must name the program that runs. The table
// says what they see: the command inside timeout, nohup, nice, stdbuf,
// command, time and env with harmless variables ("Bash(go test:*)" allows
// `timeout 60 go test`, "Bash(timeout:*)" allows no wrapped command); a
// command behind sudo, setpriv, chroot, uv run and similar wrappers only
// when the rule names more than the wrapper ("Bash(sudo apt-get update)",
// never "Bash(sudo:*)"); and nothing behind xargs, watch, su, find -exec
// and the other programs that build or hide their commands. Assignment
// prefixes (FOO=1 cmd) are ignored by deny and ask rules but block allow
// rules unless the variable is on a short allowlist (NODE_ENV, GOOS,
// LANG, …) or is a lower-case shell variable: PATH=., LD_PRELOAD,
// GIT_SSH_COMMAND or PAGER change what runs. Only a bare "Bash" allow
// rule (or bypassPermissions) allows what cannot be checked part by part:
// a parse error, a computed command name, eval, exec, source, sh -c,
// xargs, find -exec/-delete, function definitions, alias/trap/hash/shopt,
// and bare assignments to such variables. Constructs that can run code
// stored in a variable (arithmetic on variables, ${!x}, ${x@P}, [[ -v ]],
// array subscripts in read/printf -v) are treated like commands known only
// at run time: with any Bash deny rule they ask even in bypassPermissions.
//
// An allow rule does not trust the flags of its program that run another
// program or write elsewhere. A second table (allowflags.go) lists, per
// program, the flags that run a program or load configuration (go -exec,
// -toolexec, -vettool, -overlay, -modfile, -ldflags with -extld; npm
// --script-shell, --node-options, --userconfig; npx -c; cargo --config,
// -Z; make --eval and VAR=value operands; git -c, --config-env,
// --exec-path, --upload-pack, --ext-diff), which are always asked, and
// the flags that name a file written or a directory worked in (go -o,
// -coverprofile, -outputdir, -C; cargo --target-dir, --manifest-path;
// make -f, -C; git -C, --git-dir, --work-tree, --output), which are
// trusted inside the workspace and asked outside it or where a rule
// protects the path. An argument of such a program known only at run time
// that could be a flag ($FLAGS, $(…)) is asked too; `./$pkg` is not.
//
// A few builtins need no rule: echo, printf (not -v), pwd, true, false,
// :, exit, set with error-handling flags, and a cd whose target is inside
// the workspace; paths after a cd are resolved against every directory the
// command may be in by then.
//
// A Read or Edit deny rule cannot be enforced on what an arbitrary program
// opens, but static arguments that name a protected path are caught: for
// programs whose operands are all files they read or write (cat, head,
// sort, diff, cp, mv, tar, dd, rsync, source, tee, rm, …) the command is
// denied, for any other program it is asked, and a directory operand that
// holds a protected file asks for those programs and for recursive
// searchers (cp -r ., tar c ., grep -r). $(< file) and every < redirection
// are Reads. An argument known only at run time ($X, $(…), $'…') asks
// whenever a Read or Edit deny rule exists, a relative operand of a
// program told to work elsewhere (tar -C, env --chdir) asks, and git
// object names (HEAD:.env) are read as paths. Grep, Glob and LS leave out
// files [Checker.ReadDenied] reports and do not enter such directories.
//
// # Paths
//
// A path is made absolute against the session's working directory, ~/ is
// expanded, and symlinks are resolved on the longest existing prefix, so
// a file not yet created under a symlinked directory resolves to where it
// would land. Deny and ask rules apply if they match the path as spelled
// or as resolved; an allow needs both covered, and "inside the workspace"
// needs both inside. For deny and ask rules the rule's own literal prefix
// is resolved too, so "//tmp/x" still matches when /tmp is a link, and
// "./.env" matches the file a .env symlink points to; an allow rule never
// stretches to where a link inside it points.
//
// In a Bash command, paths are resolved as bash resolves them or asked:
// ~+ is the working directory; ~-, ~user and paths through /proc/self,
// /proc/PID, /proc/thread-self or /dev/fd (which name the shell's process,
// not basalt's) cannot be resolved and ask; brace expansion is expanded
// statically (cat {a,.env} reads .env). A command line that changes how
// later paths resolve — assigning HOME, CDPATH, PWD, OLDPWD, GLOBIGNORE or
// IFS in any form (prefix, export, declare, read, ${X:=…}), shopt, or a
// command that may create or move links (ln, cp, mv, tar, git checkout,
// …) — makes every other path decision in it ask; deny rules still apply
// to the paths as they are now.
//
// # Protected paths
//
// Some places decide what runs later or with which credentials: basalt's
// and Claude Code's configuration (.basalt/ and .claude/ with their
// settings, agents, commands, skills and hooks, and .mcp.json, in any
// directory; the user-level ~/.config/basalt, $XDG_CONFIG_HOME/basalt,
// ~/.claude and ~/.claude.json; basalt's state directory; /etc/basalt and
// /etc/claude-code), git's (.git/ in any directory, the git directory a
// .git file names, core.hooksPath, husky, pre-commit and lefthook
// configuration), shell start-up files (~/.bash*,
// ~/.profile, ~/.zsh*, fish, ~/.inputrc, /etc/profile, …) and credential
// stores (~/.ssh, ~/.aws, ~/.gitconfig, ~/.netrc, ~/.npmrc, ~/.docker,
// ~/.kube, …). The list is the table in protected.go, each entry with the
// reason the question shows. A write there (an Edit-family call, a
// redirection, or a command that names the place in an argument and is
// not a pure reader such as cat or grep) is asked in every mode but
// bypassPermissions and denied in plan mode, whatever allow rules or
// acceptEdits say; deny rules still win. No rule can lift the ask, so
// none is suggested, and headless the refusal says only
// bypassPermissions could allow it. Every form of the path counts: as
// spelled, as its symlinks resolve, and where a protected place's own
// link points. A file-writing program (cp, mv, tee, …) given an operand
// known only at run time, `git config` that sets a value, and a recursive
// copy or move of or into a directory holding a protected place ask too.
// Inside the workspace, a .claude or .basalt above its outermost root does
// not count (a project may live in .claude/worktrees); a .git does.
// Case-insensitive filesystems are not considered: on Linux ".Basalt" is
// another name that nothing reads.
//
// # Headless runs
//
// With [Options.Headless], and in [ModeDontAsk], every ask becomes a deny
// whose reason says what was not granted, which --allowed-tools value or
// permissions.allow rule would grant it, and that the model should choose
// another approach. [Options.DisableBypass] refuses bypassPermissions.
package permission
