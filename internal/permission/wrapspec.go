package permission

import "sync"

// allowKind says what an allow rule sees of a command run by a wrapper.
type allowKind int

const (
	// allowProgram: the program is an ordinary command for allow rules
	// (go, git, tar); only its options that run code make it opaque.
	allowProgram allowKind = iota
	// allowInner: allow rules see the inner command, because the wrapper
	// changes nothing they care about (timeout 60 go test).
	allowInner
	// allowNamed: the wrapper runs the command with other privileges or in
	// another context; a rule must name more than the wrapper (sudo).
	allowNamed
	// allowNever: only a bare "Bash" allow rule covers the command; deny
	// and ask rules still see what it runs (xargs, watch, find -exec).
	allowNever
)

// operandKind is what the operands after a wrapper's options are.
type operandKind int

const (
	operandsNone   operandKind = iota // not a command (tar's files, git's subcommand)
	operandsArgv                      // a command and its arguments (timeout 5 rm x)
	operandsShell                     // words joined with blanks and run by a shell (watch, ssh, sg)
	operandsScript                    // arguments for a shell, as if after sh (su user -c …)
	operandsCode                      // the first operand is program text basalt cannot read (awk, perl)
)

// wrapperSpec is the grammar of one program that runs other programs.
// Options are listed with their dashes; "--opt" also matches "--opt=VALUE",
// and a one-letter "-o" also matches "-oVALUE". One generic function,
// [parseWrapper], reads every spec.
type wrapperSpec struct {
	allow allowKind
	why   string // for allowNamed and allowNever: what the wrapper does

	values []string // options that take a value which is no command
	flags  []string // options without a value; other options make the parse a guess
	// clean: for allowInner, the only options that keep the wrapper
	// transparent (env -i); nil means every known option does.
	clean []string

	skip     int // operands before the command: timeout DURATION, flock FILE
	operands operandKind
	// stdinShell: with no command the program runs a shell or reads code
	// from its input (chroot, su, python), which no rule can see.
	stdinShell bool
	// optsAfterSkip: options may follow the skipped operands (setarch ARCH
	// -R cmd, flock FILE -c cmd, su USER -c cmd); otherwise the first
	// operand ends the options, as getopt's "+" does (timeout 60 -s KILL
	// runs a program named -s).
	optsAfterSkip bool
	// fileOperands: operands are files, never what runs, so with
	// stdinShell only a command option keeps it from reading its input
	// (script FILE runs a shell on its input).
	fileOperands bool
	// pipeOpts: the value is a file, or a command when it starts with | or
	// ! (strace -o '|cmd').
	pipeOpts []string
	// codeOperands: an operand containing one of these (any case) is
	// code or a command line (socat EXEC:…, SYSTEM:…).
	codeOperands []string
	// readsInput: the program always runs commands read from its input or
	// a file, whatever its operands (at, batch, crontab).
	readsInput bool
	// assigns: NAME=VALUE operands come before the command (env).
	assigns bool
	// Options are recognised up to the command a wrapper runs, after
	// operands too (GNU getopt permutes: tar xf a.tar --to-command=…,
	// setarch ARCH -R cmd); reading a word as an option that the program
	// would not is the cautious mistake.
	// guess: also try every later word as the start of the command, for
	// wrappers with too many options to list (sudo, setpriv); deny rules
	// then hold even through an option basalt does not know.
	guess bool

	shellOpts []string // the value is a shell command line (script -c, tar --to-command)
	progOpts  []string // the value is a program and its arguments (go test -exec, tar -I)
	codeOpts  []string // the value is code in a language basalt does not read (perl -e, vim -c)
	// scriptOpts: the value is a program checked with safeCode (sed -e).
	scriptOpts []string
	// programFileOpts: the value is a file holding the program (awk -f,
	// make -f); one read from a stream (-, /dev/stdin) is code basalt
	// cannot see.
	programFileOpts []string
	// subOpts: options that run a command only after a subcommand
	// (git rebase -x).
	subOpts map[string][]string
	// runAfter: two operands after which the rest is a command, as an
	// argument list or a shell string (git bisect run, git submodule
	// foreach).
	runAfter map[string]operandKind
	// codePrefix: operands starting with it are code (vim +cmd, less +!cmd).
	codePrefix string
	splitOpts  []string // the value is a command line split at blanks (env -S)
	lookupOpts []string // the program only looks a command up (command -v)
	// endOpts start the command: the rest of the words are it (gdb --args).
	endOpts []string
	// execOpts start a command that ends at ";" or "+" (find -exec).
	execOpts []string
	// changeOpts make the program change files without running code
	// (find -delete): no allow rule short of Bash covers them.
	changeOpts []string
	// stopAt ends the command in operandsShell mode (parallel's :::).
	stopAt []string
	// safeCode: for operandsCode, code that provably runs nothing (an awk
	// program without system, pipes or redirections).
	safeCode func(string) bool
	// configOpts take KEY=VALUE settings, some of which run programs
	// (git -c core.pager=…, ssh -o ProxyCommand=…); see configRuns.
	configOpts []string
	configRuns func(key, value string) (code string, runs, unknown bool)
	// globalOpts are only options before the first operand (git -c, not
	// git commit -c).
	globalOpts []string
	// varOperands: NAME=VALUE operands set variables whose values the
	// program runs (make CC='…').
	varOperands bool
}

// privileged is the spec shared by wrappers that run their argument list as
// a command with other privileges or in another context.
func privileged(why string, values ...string) *wrapperSpec {
	return &wrapperSpec{allow: allowNamed, why: why, values: values, operands: operandsArgv, guess: true, stdinShell: true}
}

// wrapperSpecs is the table of programs that run other programs. Shells
// (sh -c), eval, find and the builtins that change the shell are handled
// beside it because their grammar is the shell's own.
// It is built once, on first use, and never changed.
var wrapperSpecs = sync.OnceValue(buildWrapperSpecs)

func buildWrapperSpecs() map[string]*wrapperSpec {
	interp := func(codeOpts ...string) *wrapperSpec {
		return &wrapperSpec{
			allow: allowProgram, why: "runs program text given on its command line",
			codeOpts: codeOpts, stdinShell: true, operands: operandsNone,
		}
	}
	sw := func(s *wrapperSpec, names ...string) map[string]*wrapperSpec {
		m := map[string]*wrapperSpec{}
		for _, n := range names {
			m[n] = s
		}
		return m
	}
	specs := map[string]*wrapperSpec{
		// Transparent: allow rules see the command inside.
		"nohup":   {allow: allowInner, operands: operandsArgv},
		"builtin": {allow: allowInner, operands: operandsArgv},
		"command": {allow: allowInner, operands: operandsArgv, flags: []string{"-p"}, lookupOpts: []string{"-v", "-V"}},
		"nice":    {allow: allowInner, operands: operandsArgv, values: []string{"-n", "--adjustment"}},
		"timeout": {allow: allowInner, operands: operandsArgv, skip: 1,
			values: []string{"-s", "--signal", "-k", "--kill-after"}, flags: []string{"--preserve-status", "--foreground", "-v", "--verbose"}},
		"stdbuf": {allow: allowInner, operands: operandsArgv, values: []string{"-i", "-o", "-e", "--input", "--output", "--error"}},
		"env": {allow: allowInner, operands: operandsArgv, assigns: true,
			values: []string{"-u", "--unset", "-C", "--chdir", "-P"}, flags: []string{"-i", "--ignore-environment", "-0", "--null", "-v", "--debug"},
			clean: []string{"-i", "--ignore-environment"}, splitOpts: []string{"-S", "--split-string"}},
		"time": {allow: allowInner, operands: operandsArgv, values: []string{"-f", "--format", "-o", "--output"},
			flags: []string{"-p", "--portability", "-v", "--verbose", "-q", "--quiet", "-a", "--append"},
			clean: []string{"-p", "--portability", "-v", "--verbose", "-q", "--quiet", "-f", "--format"}},

		// Other privileges or another context: a rule must name more.
		"sudo": privileged("runs a command as another user (sudo)", "-u", "--user", "-g", "--group", "-U", "--other-user",
			"-p", "--prompt", "-C", "--close-from", "-r", "--role", "-t", "--type", "-T", "--command-timeout", "-D", "--chdir", "-R", "--chroot", "-h", "--host"),
		"doas":        privileged("runs a command as another user (doas)", "-u", "-C"),
		"setsid":      privileged("runs a command in a new session (setsid)"),
		"caffeinate":  privileged("runs a command while keeping the machine awake (caffeinate)", "-t", "-w"),
		"ionice":      privileged("runs a command with another I/O priority (ionice)", "-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"),
		"taskset":     {allow: allowNamed, why: "runs a command on chosen CPUs (taskset)", operands: operandsArgv, skip: 1, guess: true, flags: []string{"-a", "--all-tasks", "-c", "--cpu-list", "-p", "--pid"}},
		"chrt":        {allow: allowNamed, why: "runs a command with another scheduling policy (chrt)", operands: operandsArgv, skip: 1, guess: true, values: []string{"-T", "-P", "-D"}},
		"flock":       {optsAfterSkip: true, allow: allowNamed, why: "runs a command holding a lock (flock)", operands: operandsArgv, skip: 1, guess: true, values: []string{"-w", "--timeout", "-E", "--conflict-exit-code"}, shellOpts: []string{"-c", "--command"}},
		"setpriv":     privileged("runs a command with other credentials (setpriv)", "--reuid", "--regid", "--ruid", "--rgid", "--euid", "--egid", "--groups", "--inh-caps", "--ambient-caps", "--bounding-set", "--securebits", "--pdeathsig", "--selinux-label", "--apparmor-profile", "--landlock-access", "--landlock-rule"),
		"prlimit":     privileged("runs a command with other resource limits (prlimit)", "-p", "--pid", "-o", "--output"),
		"nsenter":     privileged("runs a command in other namespaces (nsenter)", "-t", "--target", "-S", "--setuid", "-G", "--setgid"),
		"unshare":     privileged("runs a command in new namespaces (unshare)", "-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd", "--map-user", "--map-group"),
		"chroot":      {allow: allowNamed, why: "runs a command under another root directory (chroot)", operands: operandsArgv, skip: 1, guess: true, stdinShell: true, values: []string{"--userspec", "--groups"}},
		"runuser":     {optsAfterSkip: true, allow: allowNamed, why: "runs commands as another user (runuser)", operands: operandsScript, skip: 1, guess: true, stdinShell: true, values: []string{"-u", "--user", "-g", "--group", "-G", "--supp-group", "-s", "--shell", "-w"}, shellOpts: []string{"-c", "--command", "--session-command"}},
		"su":          {optsAfterSkip: true, allow: allowNever, why: "runs commands as another user (su)", operands: operandsScript, skip: 1, guess: true, stdinShell: true, values: []string{"-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w"}, flags: []string{"-", "-l", "--login", "-m", "-p", "-P", "--pty", "-f"}, shellOpts: []string{"-c", "--command", "--session-command"}},
		"sg":          {optsAfterSkip: true, allow: allowNever, why: "runs a command string with another group (sg)", operands: operandsShell, skip: 1, stdinShell: true, shellOpts: []string{"-c"}},
		"script":      {allow: allowNever, why: "runs a command string under a terminal recorder (script)", operands: operandsNone, stdinShell: true, fileOperands: true, values: []string{"-E", "--echo", "-I", "--log-in", "-O", "--log-out", "-B", "--log-io", "-T", "--log-timing", "-m", "--logging-format"}, shellOpts: []string{"-c", "--command"}},
		"busybox":     {allow: allowNamed, why: "runs one of its applets (busybox)", operands: operandsArgv},
		"strace":      privileged("runs a command under a tracer (strace)", "-e", "-p", "-s", "-u", "-E", "-P", "-I", "-a", "-b", "-O", "-S", "-X"),
		"ltrace":      privileged("runs a command under a tracer (ltrace)", "-e", "-p", "-s", "-u", "-a", "-n", "-x", "-l", "-L"),
		"valgrind":    privileged("runs a command under valgrind"),
		"catchsegv":   privileged("runs a command under catchsegv"),
		"rlwrap":      privileged("runs a command with line editing (rlwrap)", "-a", "-b", "-C", "-D", "-f", "-F", "-g", "-H", "-l", "-O", "-P", "-q", "-s", "-S", "-t", "-w", "-z"),
		"dbus-launch": privileged("runs a command with a session bus (dbus-launch)", "--config-file", "--autolaunch"),
		"systemd-run": privileged("runs a command as a system unit (systemd-run)", "-u", "--unit", "-p", "--property", "-d", "--working-directory", "-E", "--setenv", "--uid", "--gid", "--nice", "--slice", "-M", "--machine", "-H", "--host", "--description", "--on-calendar", "--on-active"),
		"start-stop-daemon": {allow: allowNever, why: "starts a program as a daemon (start-stop-daemon)", operands: operandsArgv, guess: true,
			progOpts: []string{"-x", "--exec", "-a", "--startas"}, values: []string{"-u", "--user", "-g", "--group", "-n", "--name", "-p", "--pidfile", "-c", "--chuid", "-N", "--nicelevel", "-k", "--umask", "-d", "--chdir", "-r", "--chroot", "-s", "--signal", "-R", "--retry", "-P", "--procsched", "-I", "--iosched", "--output"}},

		// Run a command built from arguments or input: never allowed by a
		// rule for the inner command.
		"xargs": {allow: allowNever, why: "runs commands built from its input (xargs)", operands: operandsArgv,
			values: []string{"-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "-n", "--max-args", "-P", "--max-procs", "-s", "--max-chars", "--process-slot-var"},
			flags:  []string{"-0", "--null", "-o", "--open-tty", "-p", "--interactive", "-r", "--no-run-if-empty", "-t", "--verbose", "-x", "--exit"}},
		"watch": {allow: allowNever, why: "runs its arguments as a shell command (watch)", operands: operandsShell,
			values: []string{"-n", "--interval", "-q", "--equexit"}, flags: []string{"-b", "--beep", "-c", "--color", "-d", "--differences", "-e", "--errexit", "-g", "--chgexit", "-p", "--precise", "-t", "--no-title", "-w", "--no-wrap", "-x", "--exec"}},
		"parallel": {allow: allowNever, why: "runs commands built from its arguments or input (parallel)", operands: operandsShell, guess: true, stdinShell: true,
			values: []string{"-j", "--jobs", "-S", "--sshlogin", "--joblog", "--results", "-I", "-a", "--arg-file", "-d", "--delimiter", "-n", "--max-args", "--tmpdir", "--workdir", "--sshloginfile", "--env"},
			stopAt: []string{":::", "::::", ":::+", "::::+"}},
		"ssh": {optsAfterSkip: true, allow: allowNamed, why: "runs a command on another machine (ssh)", operands: operandsShell, skip: 1,
			values:     []string{"-b", "-c", "-D", "-E", "-e", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-p", "-Q", "-R", "-S", "-W", "-w", "-B"},
			codeOpts:   []string{"-F"},
			configOpts: []string{"-o"}, configRuns: sshConfigRuns},
		"rsync":  {allow: allowProgram, shellOpts: []string{"-e", "--rsh"}, values: []string{"--rsync-path", "-f", "--filter", "--exclude", "--include", "--files-from", "-T", "--temp-dir", "--log-file", "--password-file", "-B", "--block-size", "--chmod", "--port"}},
		"scp":    {allow: allowProgram, progOpts: []string{"-S"}, values: []string{"-c", "-i", "-l", "-P", "-J", "-D", "-X"}, codeOpts: []string{"-F"}, configOpts: []string{"-o"}, configRuns: sshConfigRuns},
		"sftp":   {allow: allowProgram, progOpts: []string{"-S"}, values: []string{"-B", "-b", "-c", "-D", "-i", "-J", "-l", "-P", "-R", "-s", "-X"}, codeOpts: []string{"-F"}, configOpts: []string{"-o"}, configRuns: sshConfigRuns},
		"expect": {allow: allowNever, why: "runs an expect script, which can spawn any program", operands: operandsNone, stdinShell: true, codeOpts: []string{"-c"}},
		"find":   {allow: allowProgram, operands: operandsNone, execOpts: []string{"-exec", "-execdir", "-ok", "-okdir"}, changeOpts: []string{"-delete", "-fprint", "-fprint0", "-fprintf", "-fls"}},
		"gdb":    {allow: allowNever, why: "runs a program under a debugger, whose commands can run anything (gdb)", operands: operandsNone, guess: true, codeOpts: []string{"-ex", "--ex", "-eval-command", "--eval-command", "-iex", "--init-eval-command", "-x", "--command", "-ix"}, endOpts: []string{"--args", "-args"}},
		"tar": {allow: allowProgram, operands: operandsNone,
			shellOpts: []string{"--to-command", "--checkpoint-action", "--info-script", "--new-volume-script", "-F"},
			progOpts:  []string{"--use-compress-program", "-I", "--rsh-command"}},
		"make": {allow: allowProgram, operands: operandsNone, codeOpts: []string{"--eval", "-E"}, programFileOpts: []string{"-f", "--file", "--makefile"}, values: []string{"-C", "--directory", "-I", "--include-dir", "-j", "--jobs", "-l", "--load-average", "-o", "--old-file", "-W", "--what-if"}, varOperands: true},
		"git": {allow: allowProgram, operands: operandsNone,
			codeOpts:   []string{"--config-env", "--exec-path", "--upload-pack", "--receive-pack", "--exec", "--extcmd", "--tool", "--ext-diff", "--textconv", "--tree-filter", "--index-filter", "--msg-filter", "--env-filter", "--commit-filter", "--parent-filter", "--tag-name-filter"},
			values:     []string{"-C", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--attr-source"},
			configOpts: []string{"-c"}, configRuns: gitConfigRuns,
			subOpts:  map[string][]string{"rebase": {"-x"}, "difftool": {"-x"}, "send-email": {"--sendmail-cmd", "--smtp-server"}},
			runAfter: map[string]operandKind{"bisect run": operandsArgv, "submodule foreach": operandsShell}, globalOpts: []string{"-c", "--config-env", "--exec-path"}},
		"go": {allow: allowProgram, progOpts: []string{"-exec", "--exec", "-toolexec", "--toolexec", "-vettool", "--vettool"}},
		"awk": {allow: allowProgram, why: "runs an awk program, which can run commands and write files", operands: operandsCode, stdinShell: false,
			values: []string{"-F", "--field-separator", "-v", "--assign", "-i", "--include"}, programFileOpts: []string{"-f", "--file", "-E", "--exec"}, codeOpts: []string{"-l", "--load"}, scriptOpts: []string{"-e", "--source"}, safeCode: awkSafe},
		"sed": {allow: allowProgram, why: "runs a sed script, whose e and w commands run programs and write files", operands: operandsCode,
			values: []string{"-l", "--line-length"}, programFileOpts: []string{"-f", "--file"}, scriptOpts: []string{"-e", "--expression"}, safeCode: sedSafe},
		"vi":        {allow: allowNever, why: "opens an editor, whose commands can run programs", operands: operandsNone, codeOpts: []string{"-c", "--cmd", "-S", "-u", "-U"}, codePrefix: "+"},
		"less":      {allow: allowProgram, operands: operandsNone, codePrefix: "+", values: []string{"-o", "-O", "--log-file", "--LOG-FILE"}, progOpts: []string{"--lesskey-src"}},
		"more":      {allow: allowProgram, operands: operandsNone, codePrefix: "+"},
		"man":       {allow: allowProgram, operands: operandsNone, shellOpts: []string{"-P", "--pager", "-H", "--html"}},
		"emacs":     {allow: allowNever, why: "opens an editor, which can evaluate Lisp", operands: operandsNone, codeOpts: []string{"--eval", "-eval", "--execute", "-l", "--load", "-f", "--funcall"}},
		"perl":      interp("-e", "-E", "-M", "-m", "-x"),
		"python":    interp("-c"),
		"ruby":      interp("-e"),
		"node":      interp("-e", "--eval", "-p", "--print", "-r", "--require", "--import"),
		"bun":       interp("-e", "--eval", "-p", "--print"),
		"php":       interp("-r", "-R", "-B", "-E"),
		"lua":       interp("-e", "-l"),
		"tclsh":     interp(),
		"Rscript":   interp("-e"),
		"osascript": interp("-e"),
		"pwsh":      interp("-c", "-Command", "-EncodedCommand", "-e"),
	}
	for n, s := range sw(specs["vi"], "vim", "nvim", "view", "ex", "gvim", "rvim", "vimdiff") {
		specs[n] = s
	}
	for n, s := range sw(specs["awk"], "gawk", "mawk", "nawk", "busybox-awk") {
		specs[n] = s
	}
	for n, s := range sw(specs["python"], "python2", "python3", "pypy", "pypy3") {
		specs[n] = s
	}
	for n, s := range sw(specs["sed"], "gsed") {
		specs[n] = s
	}
	specs["gmake"] = specs["make"]
	// Runners of other programs: a rule must name the tool too
	// (Bash(uv run pytest:*)), and deny rules see every later word.
	for _, n := range []string{"pkexec", "firejail", "bwrap", "proot", "fakeroot", "fakechroot", "torsocks", "torify",
		"proxychains", "proxychains4", "tsocks", "unbuffer", "eatmydata", "nocache", "chpst", "daemonize", "ifne",
		"chronic", "retry", "uv", "uvx", "poetry", "pipenv", "conda", "mamba", "micromamba", "pixi", "bundle",
		"bunx", "pnpx", "pnpm", "yarn", "direnv", "dotenv", "cross-env", "env-cmd", "with-contenv", "s6-setuidgid",
		"sandbox-exec", "arch", "xterm", "dtach", "abduco", "sshpass", "vagrant", "docker", "podman", "kubectl",
		"flatpak-spawn", "distrobox", "toolbox", "ccache", "distcc"} {
		specs[n] = privileged("runs other programs (" + n + ")")
	}
	specs["npx"] = &wrapperSpec{allow: allowNamed, why: "runs package binaries (npx)", operands: operandsArgv, guess: true,
		values: []string{"-p", "--package"}, shellOpts: []string{"-c", "--call"}}
	specs["nix-shell"] = &wrapperSpec{allow: allowNamed, why: "runs commands in a nix environment", operands: operandsNone, guess: true,
		shellOpts: []string{"--run", "--command"}}
	specs["nix"] = &wrapperSpec{allow: allowNamed, why: "runs commands in a nix environment", operands: operandsArgv, guess: true,
		endOpts: []string{"-c", "--command"}}
	specs["entr"] = &wrapperSpec{allow: allowNever, why: "runs a command when files change (entr)", operands: operandsArgv, guess: true,
		flags: []string{"-a", "-c", "-d", "-n", "-p", "-r", "-z"}, shellOpts: []string{"-s"}}
	specs["watchexec"] = &wrapperSpec{allow: allowNever, why: "runs a command when files change (watchexec)", operands: operandsShell, guess: true,
		values: []string{"-e", "--exts", "-w", "--watch", "-i", "--ignore", "-d", "--debounce", "-f", "--filter", "--shell", "--signal", "--stop-signal", "--project-origin", "--workdir"}}
	specs["nodemon"] = &wrapperSpec{allow: allowNever, why: "runs a command when files change (nodemon)", operands: operandsNone,
		values: []string{"-w", "--watch", "-e", "--ext", "-i", "--ignore", "--delay", "-V"}, shellOpts: []string{"-x", "--exec"}}
	specs["hyperfine"] = &wrapperSpec{allow: allowNever, why: "runs benchmark commands through a shell (hyperfine)", operands: operandsShell,
		values:    []string{"-w", "--warmup", "-m", "--min-runs", "-M", "--max-runs", "-r", "--runs", "-u", "--time-unit", "--export-json", "--export-csv", "--export-markdown", "-S", "--shell", "-L", "--parameter-list", "-P", "--parameter-scan", "-n", "--command-name", "--style", "-D", "--parameter-step-size", "--output"},
		shellOpts: []string{"-p", "--prepare", "-c", "--cleanup", "-s", "--setup", "--conclude"}}
	for _, n := range []string{"tmux", "screen"} {
		specs[n] = &wrapperSpec{allow: allowNever, why: "runs commands given as strings in a terminal multiplexer (" + n + ")", operands: operandsNone, readsInput: true}
	}
	specs["strace"].pipeOpts = []string{"-o", "--output"}
	specs["ltrace"].pipeOpts = []string{"-o", "--output"}
	specs["sort"] = &wrapperSpec{allow: allowProgram, progOpts: []string{"--compress-program"}}
	specs["split"] = &wrapperSpec{allow: allowProgram, shellOpts: []string{"--filter"}}
	specs["diff3"] = &wrapperSpec{allow: allowProgram, progOpts: []string{"--diff-program"}}
	specs["sdiff"] = specs["diff3"]
	specs["zip"] = &wrapperSpec{allow: allowProgram, shellOpts: []string{"-TT", "--unzip-command"}}
	specs["ssh-agent"] = privileged("runs a command with an ssh agent (ssh-agent)", "-a", "-E", "-t", "-P")
	for _, n := range []string{"nc", "ncat", "netcat"} {
		specs[n] = &wrapperSpec{allow: allowProgram, progOpts: []string{"-e", "--exec"}, shellOpts: []string{"-c", "--sh-exec"}, codeOpts: []string{"--lua-exec"}}
	}
	specs["socat"] = &wrapperSpec{allow: allowProgram, why: "connects to a program it starts", codeOperands: []string{"EXEC:", "SYSTEM:"}}
	// Programs whose input is commands, some of which run a shell (ed !,
	// dc !, sqlite3 .shell, psql \!, mail ~!).
	for _, n := range []string{"ed", "red", "dc", "sqlite3", "psql", "mysql", "mariadb", "gnuplot", "mail", "mailx", "ftp", "sftp-batch"} {
		specs[n] = &wrapperSpec{allow: allowProgram, why: "reads commands from its input, which can run programs (" + n + ")", readsInput: true}
	}
	for _, n := range []string{"vi", "vim", "nvim", "view", "ex", "gvim", "rvim", "vimdiff"} {
		vi := *specs[n]
		vi.readsInput = true // ex mode and -s - read commands from the input
		specs[n] = &vi
	}
	for _, n := range []string{"at", "batch", "crontab"} {
		specs[n] = &wrapperSpec{allow: allowNever, why: "schedules commands read from its input or a file (" + n + ")", operands: operandsNone, readsInput: true}
	}
	for n, s := range sw(specs["emacs"], "emacsclient") {
		specs[n] = s
	}
	for n, s := range sw(specs["node"], "nodejs") {
		specs[n] = s
	}
	linux := &wrapperSpec{optsAfterSkip: true, allow: allowNamed, why: "runs a command with another personality (setarch)", operands: operandsArgv, guess: true,
		flags: []string{"-R", "-F", "-Z", "-L", "-X", "-B", "-I", "-S", "-T", "-3", "-v", "--verbose", "--uname-2.6", "--addr-no-randomize", "--fdpic-funcptrs", "--mmap-page-zero", "--addr-compat-layout", "--read-implies-exec", "--32bit", "--short-inode", "--whole-seconds", "--sticky-timeouts"}}
	for _, n := range []string{"linux32", "linux64", "i386", "x86_64", "uname26"} {
		specs[n] = linux
	}
	setarch := *linux
	setarch.skip = 1
	specs["setarch"] = &setarch
	return specs
}
