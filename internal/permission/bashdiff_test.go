package permission

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
)

// FuzzBashDifferential runs each input through the checker and through a
// real, instrumented bash, and fails when bash runs a command the checker
// did not see although the checker would have allowed the input. The
// checker is given an allow rule for every command it sees, so that it
// allows exactly when it believes it has seen everything that will run;
// whatever it asks or denies is safe by construction and not run.
//
// bash runs restricted (no output redirections, no cd, no command names
// with a slash) in a scratch directory, with a fake HOME, an empty PATH
// apart from a logger, and a short timeout, inside new user, PID and
// network namespaces when unshare allows it. Every command name it tries
// to run is logged: external ones through command_not_found_handle, and
// builtins through read-only wrapper functions.
//
// The seed corpus is the tricky shell below plus mutants of it with a
// carriage return, a backslash-newline, a #, quotes or a backquote
// inserted at several positions; it runs in every `go test`.
func FuzzBashDifferential(f *testing.F) {
	seeds := append(append([]string(nil), differentialSeeds...), mutants(differentialSeeds)...)
	for _, s := range seeds {
		f.Add(s)
	}
	sb := newSandboxBash(f)
	var ran map[string][]string
	if !fuzzing() {
		// Running bash is the slow part; run the seeds the checker allows
		// side by side first.
		ran = sb.runAll(f, seeds)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4096 {
			return
		}
		seen, ok := checkerAllows(t, sb, text)
		if !ok {
			return
		}
		names, done := ran[text]
		if !done {
			names = sb.run(t, text)
		}
		for _, name := range names {
			if !seen[name] && !seen[baseName(name)] {
				t.Fatalf("bash ran %q, which the checker did not see (it saw %v) in %q", name, keys(seen), text)
			}
		}
	})
}

// differentialSeeds are inputs where a shell reader is easily wrong. Each
// runs only commands bash cannot find or builtins, so nothing happens.
var differentialSeeds = []string{
	// The three differentials that were found by hand.
	"ls\r#$(cmd)",
	"ls \r# $(cmd)",
	"cat <<EOF\nx\nE\\\nOF\ncmd\nEOF",
	"ls # comment \\\ncmd",
	"ls #\\\ncmd",
	// Here-documents.
	"cat <<EOF\n$(cmd)\nEOF",
	"cat <<'EOF'\n$(cmd)\nEOF\nls",
	"cat <<\"EOF\"\nx\nEOF\nls",
	"cat <<\\EOF\nx\nEOF\nls",
	"cat <<-EOF\n\tx\n\tEOF\nls",
	"cat <<EOF; ls\nx\nEOF",
	"cat <<A <<B\na\nA\nb\nB\nls",
	"echo \"$(cat <<EOF\nx\nEOF\n)\"",
	"echo \"$(cat <<'EOF'\nx\nEOF)\"",
	"echo \"$(cat <<'EOF'\nx\nEOF\ncmd\nEOF\n)\"",
	"echo `cat <<EOF\nx ` cmd `\nEOF`",
	"cat <<EOF\nx\nEOF )\ncmd\nEOF",
	"cat <<EOF\nx\n EOF\ncmd\nEOF",
	"cat <<E\"O\"F\nx\nEOF\ncmd\nEOF",
	"cat <<EOF\nx\nEOF",
	"cat << EOF\nx\nEOF\nls",
	"cat <<EOF\nx\\\\\nEOF\nls",
	"cat <<<word; ls",
	// Comments.
	"ls #x\ncmd",
	"ls#x",
	"ls $#x",
	"ls ${#x}",
	"echo $(ls # )\ncmd)",
	"echo `ls # `\ncmd",
	": '#'\\\ncmd",
	// Quoting and escapes.
	"ls 'a\\'\ncmd",
	"ls \"a\\\"\"; cmd",
	"ls $'a\\'b'; cmd",
	"ls $'\\x27'; cmd",
	"ls \\\ncmd",
	"ls \\\n\\\ncmd",
	"$\\\n#",
	"ls $\\\n(cmd)",
	"ls &\\\n& cmd",
	"ls $\\\n{x:-$(cmd)}",
	"c\\\nmd",
	"ls \\ncmd",
	"l\\\ns",
	"ls \"$(cmd)\"",
	"ls '$(cmd)'",
	"ls \"`cmd`\"",
	"ls `echo \\`cmd\\``",
	"ls $(echo ')'; cmd)",
	"ls \"$(echo \")\"; cmd)\"",
	"echo ${x:-$(cmd)}",
	"echo ${x#$(cmd)}",
	"echo \"${x:-'$(cmd)'}\"",
	// Line continuations and separators.
	"ls; cmd",
	"ls && cmd || cmd2",
	"ls | cmd |& cmd2",
	"ls & cmd",
	"ls;;cmd",
	"ls\ncmd",
	"ls\t;\tcmd",
	// Brace, tilde, globs.
	"echo {a,b}; cmd",
	"{ ls; cmd; }",
	"{ls,cmd}",
	"echo ~; echo ~+; ls",
	"echo [a; cmd",
	"echo *; cmd",
	// Arithmetic.
	"echo $((1+2)); cmd",
	"((1<<2)); cmd",
	"((x=1)); ls",
	"echo $[1+2]; cmd",
	"(( $(cmd) ))",
	"((ls) ; (cmd))",
	"echo $(( (1) ))",
	// Case, loops, functions, conditionals.
	"case x in x) ls;; esac",
	"case x in (x) ls;; *) cmd;; esac",
	"case x in x) ls;& y) cmd;; esac",
	"for i in a b; do ls; done",
	"for ((i=0;i<2;i++)); do ls; done",
	"while false; do cmd; done; ls",
	"if ls; then cmd; else cmd2; fi",
	"[[ -n x ]] && ls",
	"[[ x =~ (a|b) ]]; cmd",
	"[[ x == @(a|b) ]]; ls",
	"[[ x = !($(cmd)) ]]",
	"[[ x == @(`cmd`|b) ]]",
	"echo ${x#+($(cmd))}",
	"case x in @($(cmd))) ;; esac",
	"f() { cmd; }; f",
	"function f { cmd; }",
	// Substitutions.
	"ls <(cmd)",
	"ls >(cmd)",
	"diff <(ls) <(cmd)",
	"x=$(cmd)",
	"x=`cmd`",
	"ls $(cmd)$(cmd2)",
	"ls $(\ncmd\n)",
	"ls $( (cmd) )",
	// Builtins that run code.
	"eval cmd",
	"eval 'ls; cmd'",
	"command cmd",
	"builtin echo x; cmd",
	"time cmd",
	"! cmd",
	"coproc cmd",
	"trap cmd EXIT",
	"exec cmd",
	// Shell options.
	"shopt -s extglob\necho @(a|b)",
	"shopt -s expand_aliases\nalias ls=cmd\nls",
	"set -e; ls",
	// Odd bytes.
	"ls\x00cmd",
	"ls\u00a0cmd",
	"ls\u2028cmd",
	"ls \u202e cmd",
	"ls\x0bcmd",
	"ls\x0ccmd",
	"ls \xff cmd",
	"ls\\",
	"ls \\\\",
	"ls caf\u00e9",
	"echo '\u00e9\u00e8'; ls",
	// Probes that found no differential, kept against regressions.
	"echo $((1<<2))\ncmd",
	"ls <<< $(cmd)",
	"ls $(cat <<EOF\nfoo\nEOF\n)",
	"cat <<EOF\n$(cmd\n)\nEOF",
	"echo ${x/\\}/$(cmd)}",
	"echo ${x//\\//$(cmd)}",
	"echo \"${x/\"}\"/$(cmd)}\"",
	"echo ${x:-\"}\"}$(cmd)",
	"echo \"`echo \"a\"`\"; cmd",
	"echo `echo \\`cmd\\``",
	"a=(1 2 $(cmd))",
	"[[ $(cmd) ]]",
	"ls 2>&1 >&- <&-",
	"coproc x { cmd; }",
	"time -p cmd",
	"function f() ( cmd )",
	"ls #{ }\ncmd",
	"echo ${x@Q}; cmd",
	"echo $'\\c'cmd",
	"echo $\"a\"; cmd",
	"ls ${x:-$(cmd)\n}",
	"cat <<EOF\na\nEOF\n\ncmd",
	"cat <<EOF &&\nx\nEOF\ncmd",
	"cat <<EOF | cmd\nx\nEOF",
	"cat <<EOF\n`cmd`\nEOF",
	"cat <<'EOF'\n`cmd`\nEOF",
	"echo ${x:-'}'}; cmd",
	"echo ${x:-'a'}; cmd",
	"echo ${x:-'$(cmd)'}",
	"echo ${x#'$(cmd)'}",
	"x=${y:-'$(cmd)'}",
	"echo $(echo '$(cmd)')",
	"echo \"$(echo '$(cmd)')\"",
	"echo \"${x:-$(echo '$(cmd)')}\"",
	"echo \"${x:-\"'$(cmd)'\"}\"",
	"echo \"${x:-`echo '$(cmd)'`}\"",
	"echo $((x[$(cmd)]))",
	"case $(cmd) in x) ;; esac",
	"case x in $(cmd)) ;; esac",
	"echo ~$(cmd)",
	"echo ${x[$(cmd)]}",
	"ls >$(cmd)",
	"ls 2>$(cmd)",
	"ls {a..c}; cmd",
	"echo \\#; cmd",
	"echo a\\ #b\ncmd",
	"echo 'a'#b; cmd",
	"echo a#b \\\ncmd",
	"for x in a; do cmd; done",
	"echo $(( $(cmd) ))",
	"echo $(case x in x) cmd;; esac)",
	"echo $(case x in (x) cmd;; esac)",
	"echo $(\n# comment )\ncmd\n)",
	"echo `# c`; cmd",
	"eval 'cmd'",
	"eval \"ls\r#\\$(cmd)\"",
	"eval $'ls\\r#$(cmd)'",
	"é=1",
	"a.b=1",
	"a-b=1",
	"1a=1",
	"a+=1",
	"a[0]=1",
	"a[x y]=1",
	"a[$(cmd)]=1",
	"$((ls); (cmd))",
	"echo $((ls); (cmd))",
	"echo $( (ls); (cmd) )",
	"((ls); (cmd))",
	"(( (ls); (cmd) ))",
	"echo $((echo a) )",
	"echo $[$(cmd)]",
	"é=1 ls",
	"a-b=1 ls",
	"declare é=1",
	"export a-b=$(cmd)",
	"ls &>/dev/null; cmd",
	"ls >&/dev/null; cmd",
	"ls |& cmd",
	"ls ;;& cmd",
	"{ ls; } cmd",
	"ls }; cmd",
	"[[ a ]] ; cmd",
	"[[ a < b ]]; cmd",
	"[[ ( a ) ]]; cmd",
	"ls -- -$(cmd)",
	"for ((;;)); do break; done; cmd",
	"ls ${x:=$(cmd)}",
	"ls ${x:?$(cmd)}",
	"ls ${x/#/$(cmd)}",
}

// mutationTokens are inserted into the seeds: each changes how the rest of
// the line is read, which is where readers disagree.
var mutationTokens = []string{"\r", "\\\n", "#", "'", "\"", "`", "\\", " #", "\n", "$("}

// mutants inserts every other mutation token (odd ones into odd seeds,
// even ones into even seeds) into each seed at one position, chosen in
// turn among the start, the end, the middle and the places
// where the reading changes (a newline, #, $ or ;), so that the seed
// corpus stays quick while every token meets every kind of place.
func mutants(seeds []string) []string {
	var out []string
	seen := map[string]bool{}
	for i, s := range seeds {
		pos := []int{0, len(s), len(s) / 2}
		for j := 0; j < len(s); j++ {
			if strings.IndexByte("\n#$;", s[j]) >= 0 {
				pos = append(pos, j)
			}
		}
		for k := i % 2; k < len(mutationTokens); k += 2 {
			tok := mutationTokens[k]
			p := pos[(i+k)%len(pos)]
			m := s[:p] + tok + s[p:]
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// checkerAllows reports whether the checker, given an allow rule for every
// command it sees, allows text, and which command names it saw.
func checkerAllows(t testing.TB, sb *sandboxBash, text string) (map[string]bool, bool) {
	scan, err := scanCommand(text, sb.work, sb.home)
	if err != nil {
		return nil, false
	}
	seen := map[string]bool{}
	var allow []string
	add := func(w word) {
		if !w.lit() || seen[w.text] {
			return
		}
		seen[w.text] = true
		if r := fmt.Sprintf("Bash(%s:*)", quoteWord(w.text)); ruleCompiles(r) {
			allow = append(allow, r)
		}
	}
	for _, c := range scan.cmds {
		add(c.words[0])
		for _, f := range c.denyForms {
			add(f[0])
		}
		if c.allowForm != nil {
			add(c.allowForm[0])
		}
	}
	c, err := New(Options{ProjectRoot: sb.work, Home: sb.home, Allow: parseRules(t, allow...)})
	if err != nil {
		t.Fatalf("new checker: %v", err)
	}
	req := bashReq(text)
	req.WorkDir = sb.work
	d := c.Decide(req)
	return seen, d.Behavior == Allow
}

func ruleCompiles(spec string) bool {
	r, err := config.ParseRule(spec)
	if err != nil {
		return false
	}
	_, err = compileBashPattern(r.Specifier)
	return err == nil
}

// sandboxBash runs text under a restricted, instrumented bash.
type sandboxBash struct {
	bash    string
	unshare string // empty: namespaces are not available
	dir     string
	work    string
	home    string
	bin     string
	env     string
}

// loggedBuiltins are builtins wrapped by a logging function. Those that
// act on the caller's scope (return, local, declare, set, shift, …) are
// left alone: wrapping them would change what the input does. builtin
// itself is what the wrappers call.
var loggedBuiltins = []string{
	"alias", "bind", "cd", "command", "compgen", "complete", "dirs", "disown", "echo", "enable",
	"eval", "exec", "fc", "hash", "help", "history", "jobs", "kill", "mapfile", "popd", "printf", "pushd",
	"read", "readarray", "shopt", "source", "test", "trap", "type", "ulimit", "umask", "unalias", "unset", "wait",
}

func newSandboxBash(tb testing.TB) *sandboxBash {
	tb.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		tb.Skip("bash is not installed")
	}
	dir := tb.TempDir()
	sb := &sandboxBash{
		bash: bash,
		dir:  dir,
		work: filepath.Join(dir, "work"),
		home: filepath.Join(dir, "home"),
		bin:  filepath.Join(dir, "bin"),
		env:  filepath.Join(dir, "env.sh"),
	}
	for _, d := range []string{sb.work, sb.home, sb.bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	// The log is named by a variable that the inputs cannot change
	// (BASH_ENV makes it read-only), so that runs may go side by side.
	logger := "#!/bin/sh\nprintf '%s\\0' \"$1\" >> \"$BASHDIFF_LOG\"\n"
	if err := os.WriteFile(filepath.Join(sb.bin, "__log"), []byte(logger), 0o755); err != nil {
		tb.Fatal(err)
	}
	var env strings.Builder
	env.WriteString("readonly BASHDIFF_LOG\ncommand_not_found_handle() { __log \"$1\"; return 127; }\nreadonly -f command_not_found_handle\n")
	for _, b := range loggedBuiltins {
		fmt.Fprintf(&env, "%s() { __log %s; builtin %s \"$@\"; }\nreadonly -f %s\n", b, b, b, b)
	}
	if err := os.WriteFile(sb.env, []byte(env.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	if u, err := exec.LookPath("unshare"); err == nil && exec.Command(u, "-r", "-p", "-f", "-n", "--kill-child", "true").Run() == nil {
		sb.unshare = u
	}
	return sb
}

// runAll runs, four at a time, every text the checker allows, and
// returns what bash ran for each.
func (sb *sandboxBash) runAll(t testing.TB, texts []string) map[string][]string {
	out := map[string][]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, text := range texts {
		if _, ok := checkerAllows(t, sb, text); !ok {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			names, err := sb.exec(text, filepath.Join(sb.dir, fmt.Sprintf("log%d", i)))
			if err != nil {
				return // run again, and fail, in the fuzz function
			}
			mu.Lock()
			out[text] = names
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// run runs text the way the Bash tool does (bash -c with a trap prefix)
// and returns the command names bash tried to run, sorted.
func (sb *sandboxBash) run(t testing.TB, text string) []string {
	t.Helper()
	names, err := sb.exec(text, filepath.Join(sb.dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func (sb *sandboxBash) exec(text, log string) ([]string, error) {
	if err := os.WriteFile(log, nil, 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	// The Bash tool's own prefix, with builtin so the logger stays quiet.
	args := []string{sb.bash, "-r", "-c", "builtin trap 'true' EXIT; " + text}
	if sb.unshare != "" && fuzzing() {
		// Generated inputs may do anything a restricted shell can, such
		// as kill -9 -1; the seeds are known to be harmless.
		args = append([]string{sb.unshare, "-r", "-p", "-f", "-n", "--kill-child"}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = sb.work
	cmd.Env = []string{"PATH=" + sb.bin, "HOME=" + sb.home, "BASH_ENV=" + sb.env, "TMPDIR=" + sb.work, "LC_ALL=C.UTF-8", "BASHDIFF_LOG=" + log}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run() // a failing command is fine: only what it ran matters
	data, err := os.ReadFile(log)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, n := range strings.Split(string(data), "\x00") {
		if n != "" {
			names[n] = true
		}
	}
	return keys(names), nil
}

// fuzzing reports whether the test binary runs with -test.fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
