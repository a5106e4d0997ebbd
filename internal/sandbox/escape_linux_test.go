package sandbox

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// needSandbox skips the test, saying why, where bwrap cannot run.
func needSandbox(t testing.TB) {
	t.Helper()
	if st := Probe(context.Background()); !st.Available {
		t.Skipf("sandbox unavailable here: %s (%s)", st.Reason, st.Hint)
	}
}

func startSandbox(t testing.TB, p Policy, o Options) *Sandbox {
	t.Helper()
	needSandbox(t)
	s, err := Start(context.Background(), p, o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// run runs script with sh in the sandbox and returns its exit code and
// combined output.
func run(t testing.TB, s *Sandbox, dir, script string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd, err := s.Command(ctx, "/bin/sh", script, dir, nil)
	if err != nil {
		t.Fatalf("Command: %v", err)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %q: %v", script, err)
	}
	return code, out.String()
}

// fixture is a project (writable) and a directory outside it with a
// file the sandbox must not change.
type fixture struct {
	proj, outside, victim string
}

const victimText = "original\n"

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{proj: t.TempDir(), outside: t.TempDir()}
	f.victim = filepath.Join(f.outside, "victim")
	if err := os.WriteFile(f.victim, []byte(victimText), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) victimIntact(t *testing.T) {
	t.Helper()
	if b, err := os.ReadFile(f.victim); err != nil || string(b) != victimText {
		t.Errorf("the file outside the project changed: %q, %v", b, err)
	}
}

func TestSandboxWritesOnlyInsideWritable(t *testing.T) {
	f := newFixture(t)
	s := startSandbox(t, Policy{Writable: []string{f.proj}}, Options{})
	code, out := run(t, s, f.proj, "echo ok > inside && cat inside")
	if code != 0 || strings.TrimSpace(out) != "ok" {
		t.Fatalf("write inside the project failed: %d %q", code, out)
	}
	home, _ := os.UserHomeDir()
	rel, err := filepath.Rel(f.proj, f.victim)
	if err != nil {
		t.Fatal(err)
	}
	os.Symlink(f.victim, filepath.Join(f.proj, "link"))
	marker := "basalt-sandbox-escape-" + filepath.Base(f.proj)
	for _, tc := range []struct{ name, script, mustNotExist string }{
		{"home", "echo x > \"$HOME/" + marker + "\"", filepath.Join(home, marker)},
		{"etc", "echo x > /etc/" + marker, "/etc/" + marker},
		{"tmp dot-dot", "echo pwned > /tmp/../" + f.victim[1:], ""},
		{"relative dot-dot", "echo pwned > " + rel, ""},
		{"symlink in the project", "echo pwned > link", ""},
		{"proc self root", "echo pwned > /proc/self/root" + f.victim, ""},
		{"proc pid root", "echo pwned > /proc/$$/root" + f.victim, ""},
		{"new hard link", "ln " + f.victim + " hl && echo pwned > hl", ""},
		{"rename over", "echo pwned > new && mv new " + f.victim, ""},
		{"remount", "mount -o remount,rw / 2>&1; echo pwned > " + f.victim, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run(t, s, f.proj, tc.script)
			if code == 0 {
				t.Errorf("escape attempt succeeded (exit 0): %s", out)
			}
			f.victimIntact(t)
			if tc.mustNotExist != "" {
				if _, err := os.Lstat(tc.mustNotExist); err == nil {
					os.Remove(tc.mustNotExist)
					t.Errorf("%s was created outside the sandbox", tc.mustNotExist)
				}
			}
			if v := s.Violation(code, out); v == "" {
				t.Errorf("Violation did not explain %q", out)
			}
		})
	}
}

// A hard link made before the sandbox starts, inside the project, to a
// file outside it is the same inode as that file: the project's writable
// bind makes it writable. The sandbox cannot tell it from any other
// project file without walking the whole tree before every command, so
// this test records the behaviour (README, "Sandbox": hard links); new
// hard links to outside files cannot be made from inside (see "new hard
// link" above: link(2) across mounts is EXDEV).
func TestSandboxPreexistingHardLinkIsWritable(t *testing.T) {
	f := newFixture(t)
	if err := os.Link(f.victim, filepath.Join(f.proj, "hl")); err != nil {
		t.Skipf("cannot make a hard link across these temp dirs: %v", err)
	}
	s := startSandbox(t, Policy{Writable: []string{f.proj}}, Options{})
	code, out := run(t, s, f.proj, "echo changed > hl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	if b, _ := os.ReadFile(f.victim); string(b) != "changed\n" {
		t.Fatalf("documented behaviour changed: the outside inode now reads %q; update README's hard-link note", b)
	}
}

func TestSandboxDenyWrite(t *testing.T) {
	f := newFixture(t)
	settings := filepath.Join(f.proj, ".claude", "settings.json")
	os.MkdirAll(filepath.Dir(settings), 0o755)
	os.WriteFile(settings, []byte("{}\n"), 0o644)
	os.WriteFile(filepath.Join(f.proj, ".claude", "notes"), []byte("n\n"), 0o644)
	missingFile := filepath.Join(f.proj, ".mcp.json")
	missingDeep := filepath.Join(f.proj, ".git", "hooks")
	s := startSandbox(t, Policy{Writable: []string{f.proj}, DenyWrite: []string{settings, missingFile, missingDeep}}, Options{})
	for _, tc := range []struct{ name, script string }{
		{"overwrite", "echo '{\"hooks\":1}' > .claude/settings.json"},
		{"remove", "rm -f .claude/settings.json"},
		{"rename over", "echo '{}' > x && mv x .claude/settings.json"},
		{"rename the parent away", "mv .claude moved && mkdir .claude && echo '{\"hooks\":1}' > .claude/settings.json"},
		{"create a missing file", "echo '{\"mcpServers\":{}}' > .mcp.json"},
		{"create a missing directory", "mkdir -p .git/hooks && echo evil > .git/hooks/pre-commit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run(t, s, f.proj, tc.script)
			if code == 0 {
				t.Errorf("write to a protected path succeeded: %s", out)
			}
			if b, err := os.ReadFile(settings); err != nil || string(b) != "{}\n" {
				t.Errorf("settings changed: %q %v", b, err)
			}
			if v := s.Violation(code, out); v == "" {
				t.Errorf("Violation did not explain %q", out)
			}
		})
	}
	// Other files beside the protected one stay writable.
	if code, out := run(t, s, f.proj, "echo more >> .claude/notes"); code != 0 {
		t.Errorf("a sibling of a protected file is not writable: %s", out)
	}
	// The placeholders bwrap had to create on the host for the missing
	// paths are gone once the commands have ended.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, e1 := os.Lstat(missingFile)
		_, e2 := os.Lstat(filepath.Join(f.proj, ".git"))
		if os.IsNotExist(e1) && os.IsNotExist(e2) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("placeholders left in the project: .mcp.json %v, .git %v", e1, e2)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSandboxDenyRead(t *testing.T) {
	f := newFixture(t)
	secretDir := filepath.Join(f.outside, "ssh")
	os.Mkdir(secretDir, 0o700)
	os.WriteFile(filepath.Join(secretDir, "id_ed25519"), []byte("PRIVATE KEY"), 0o600)
	s := startSandbox(t, Policy{Writable: []string{f.proj}, DenyRead: []string{f.victim, secretDir}}, Options{})
	code, out := run(t, s, f.proj, "cat "+f.victim+"; ls -A "+secretDir+"; cat "+secretDir+"/id_ed25519")
	if strings.Contains(out, "original") || strings.Contains(out, "PRIVATE KEY") || strings.Contains(out, "id_ed25519\n") {
		t.Fatalf("a hidden file was readable (exit %d): %s", code, out)
	}
}

// A process that double-forks into a new session must still die with
// the command: the sandbox's PID namespace ends with it.
func TestSandboxNothingOutlivesTheCommand(t *testing.T) {
	f := newFixture(t)
	s := startSandbox(t, Policy{Writable: []string{f.proj}}, Options{})
	script := `(setsid sh -c 'sleep 1; echo alive > outlived1' &) ; nohup sh -c 'sleep 1; echo alive > outlived2' >/dev/null 2>&1 & echo started`
	code, out := run(t, s, f.proj, script)
	if code != 0 || !strings.Contains(out, "started") {
		t.Fatalf("exit %d: %s", code, out)
	}
	time.Sleep(2 * time.Second)
	for _, name := range []string{"outlived1", "outlived2"} {
		if _, err := os.Stat(filepath.Join(f.proj, name)); err == nil {
			t.Errorf("a background process outlived the command and wrote %s", name)
		}
	}
}

func TestSandboxExitCodeAndEnv(t *testing.T) {
	f := newFixture(t)
	s := startSandbox(t, Policy{Writable: []string{f.proj}, Env: []string{"FROM_POLICY=1"}}, Options{})
	code, out := run(t, s, f.proj, "echo $FROM_POLICY; pwd; exit 7")
	if code != 7 || !strings.Contains(out, "1\n"+f.proj) {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

// Cancelling the command's context ends everything inside, background
// processes included.
func TestSandboxCancelKillsEverything(t *testing.T) {
	f := newFixture(t)
	s := startSandbox(t, Policy{Writable: []string{f.proj}, AllowedDomains: []string{"example.com"}}, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cmd, err := s.Command(ctx, "/bin/sh", `(setsid sh -c 'sleep 2; echo alive > outlived' &); echo started; sleep 30`, f.proj, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	cmd.Wait()
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("the command took %v to die after cancel", d)
	}
	time.Sleep(3 * time.Second)
	if _, err := os.Stat(filepath.Join(f.proj, "outlived")); err == nil {
		t.Fatalf("a background process outlived the cancelled command (output %q)", out.String())
	}
}

// With network (the shared namespace, started through nsenter), a missing
// protected path is still protected and its placeholder still removed.
func TestSandboxDenyWriteWithNetwork(t *testing.T) {
	f := newFixture(t)
	missing := filepath.Join(f.proj, ".mcp.json")
	s := startSandbox(t, Policy{Writable: []string{f.proj}, DenyWrite: []string{missing}, AllowedDomains: []string{"example.com"}}, Options{})
	if err := s.ProxyReachable(context.Background()); err != nil {
		t.Fatalf("ProxyReachable: %v", err)
	}
	code, out := run(t, s, f.proj, "echo '{}' > .mcp.json")
	if code == 0 {
		t.Fatalf("created a protected path: %s", out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Lstat(missing); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("placeholder %s left in the project", missing)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A unix socket outside the known list, which no mount hides, cannot be
// reached either: the seccomp filter refuses socket(AF_UNIX). Pipes and
// socketpair still work, and allowAllUnixSockets lifts the filter.
func TestSandboxUnixSockets(t *testing.T) {
	f := newFixture(t)
	sock := filepath.Join(f.outside, "daemon.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	script := self + " " + unixDialArg + " " + sock
	for _, tc := range []struct {
		name string
		p    Policy
		want string
	}{
		{"refused", Policy{Writable: []string{f.proj}}, "socket: operation not permitted"},
		{"refused with network", Policy{Writable: []string{f.proj}, AllowedDomains: []string{"example.com"}}, "socket: operation not permitted"},
		{"allowed", Policy{Writable: []string{f.proj}, AllowAllUnixSockets: true}, "connected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSandbox(t, tc.p, Options{})
			_, out := run(t, s, f.proj, script+"; echo piped | cat")
			if !strings.Contains(out, tc.want) || !strings.Contains(out, "piped") {
				t.Errorf("got %q, want %q and a working pipe", out, tc.want)
			}
			if v := s.Violation(1, out); tc.want != "connected" && !strings.Contains(v, sock) {
				t.Errorf("Violation %q does not name %s", v, sock)
			}
		})
	}
}
