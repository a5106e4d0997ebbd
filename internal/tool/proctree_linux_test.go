//go:build linux

package tool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// escapingTree writes a sleep named after marker into dir and returns a
// command that starts it every way a process can leave its parent or its
// process group, then in the foreground. The returned count is how many
// marked processes run once the tree is up.
func escapingTree(t *testing.T, dir, marker string) (string, int) {
	t.Helper()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep on PATH")
	}
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid on PATH")
	}
	s := filepath.Join(dir, marker)
	if err := os.Symlink(sleep, s); err != nil {
		t.Fatal(err)
	}
	q := shellQuote(s)
	cmd := strings.Join([]string{
		"setsid " + q + " 1000 &",                                         // a new session
		"nohup " + q + " 1000 >/dev/null 2>&1 &",                          // nohup, output detached
		"( " + q + " 1000 & )",                                            // double fork: orphaned at once
		"setsid sh -c " + shellQuote(q+" 1000 >/dev/null 2>&1 &"),         // daemonised: new session, orphaned
		"sh -c " + shellQuote("trap '' TERM HUP; exec "+q+" 1000") + " &", // ignores SIGTERM
		q + " 1000",
	}, "\n")
	return cmd, 6
}

// marked lists the live processes whose command line holds marker.
func marked(marker string) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && strings.Contains(string(data), marker) && !processGone(pid) {
			out = append(out, pid)
		}
	}
	return out
}

// waitMarked waits until want marked processes run.
func waitMarked(t *testing.T, marker string, want int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(marked(marker)) < want; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d marked processes started", len(marked(marker)), want)
		}
	}
}

// waitNoneMarked fails the test when a marked process survives, after
// killing the survivors so that they do not outlive the test.
func waitNoneMarked(t *testing.T, marker string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		left := marked(marker)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, pid := range left {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Fatalf("processes %v survived", left)
		}
	}
}

func markerFor(t *testing.T) string {
	return fmt.Sprintf("basalt-tree-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
}

// A command's whole tree dies with its timeout, a cancelled turn, KillBash
// and the session's end, daemonised children included.
func TestProcessTreeDies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func(t *testing.T, s *Session, cmd, marker string, n int)
	}{
		{"timeout", func(t *testing.T, s *Session, cmd, marker string, n int) {
			ready := filepath.Join(s.WorkDir(), "ready")
			res := call(t, s, Bash{}, map[string]any{"command": cmd + " & touch " + shellQuote(ready) + "; wait", "timeout": 5000})
			wantResult(t, res, true, "timed out")
			if _, err := os.Stat(ready); err != nil {
				t.Fatalf("the tree was not up before the timeout: %v", err)
			}
		}},
		{"cancel", func(t *testing.T, s *Session, cmd, marker string, n int) {
			ctx, cancel := context.WithCancel(t.Context())
			go func() {
				defer cancel()
				waitMarked(t, marker, n)
			}()
			input, _ := json.Marshal(map[string]any{"command": cmd})
			if _, err := (Bash{}).Run(ctx, s, input); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		}},
		{"finished", func(t *testing.T, s *Session, cmd, marker string, n int) {
			// The foreground part returns at once; what it left behind goes.
			res := call(t, s, Bash{}, map[string]any{"command": cmd + " &\necho done"})
			wantResult(t, res, false, "done")
		}},
		{"kill 0", func(t *testing.T, s *Session, cmd, marker string, n int) {
			// The command kills its own process group, which must not take
			// the supervisor with it.
			res := call(t, s, Bash{}, map[string]any{"command": cmd + " &\nsleep 0.2; kill -KILL 0"})
			wantResult(t, res, true, "killed by signal killed")
		}},
		{"KillBash", func(t *testing.T, s *Session, cmd, marker string, n int) {
			res := call(t, s, Bash{}, map[string]any{"command": cmd, "run_in_background": true})
			waitMarked(t, marker, n)
			id := res.Display.(*BashDisplay).BackgroundID
			wantResult(t, call(t, s, KillBash{}, map[string]any{"shell_id": id}), false)
		}},
		{"session close", func(t *testing.T, s *Session, cmd, marker string, n int) {
			call(t, s, Bash{}, map[string]any{"command": cmd, "run_in_background": true})
			waitMarked(t, marker, n)
			s.Close()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			if s.supervisor == "" {
				t.Skip("no supervisor")
			}
			marker := markerFor(t)
			cmd, n := escapingTree(t, t.TempDir(), marker)
			tt.run(t, s, cmd, marker, n)
			waitNoneMarked(t, marker)
		})
	}
}

// When basalt is killed by SIGKILL, nothing in it runs; the supervisor
// still stops the tree. The test binary stands in for basalt.
func TestProcessTreeDiesWithSIGKILLedParent(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	marker := markerFor(t)
	cmd, n := escapingTree(t, t.TempDir(), marker)
	helper := exec.Command(exe, treeHelperArg, t.TempDir(), cmd)
	helper.Env = testEnv(t)
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	waitMarked(t, marker, n)
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	helper.Wait()
	waitNoneMarked(t, marker)
}
