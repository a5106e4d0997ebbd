package tool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestBash(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   map[string]any
		isError bool
		want    []string
		exact   string // whole content, when set
	}{
		{name: "output", input: map[string]any{"command": "echo hello"}, exact: "hello"},
		{name: "stdout and stderr interleaved in order",
			input: map[string]any{"command": "echo one; echo two >&2; echo three; echo four >&2"},
			exact: "one\ntwo\nthree\nfour"},
		{name: "no output", input: map[string]any{"command": "true"}, exact: "(no output)"},
		{name: "exit code", input: map[string]any{"command": "echo oops; exit 3"}, isError: true, exact: "oops\n[exit code 3]"},
		{name: "exit code survives the cwd trap", input: map[string]any{"command": "false"}, isError: true, want: []string{"[exit code 1]"}},
		{name: "stdin is closed", input: map[string]any{"command": "cat; echo done"}, exact: "done"},
		{name: "syntax error", input: map[string]any{"command": "if then"}, isError: true, want: []string{"syntax error", "[exit code 2]"}},
		{name: "environment from the session only", input: map[string]any{"command": `echo "[$BASALT_TEST_SECRET]" "$LANG"`}, exact: "[] C.UTF-8"},
		{name: "empty command", input: map[string]any{"command": "  "}, isError: true, want: []string{"command is empty"}},
		{name: "zero timeout", input: map[string]any{"command": "true", "timeout": 0}, isError: true, want: []string{"positive"}},
		{name: "timeout over the maximum", input: map[string]any{"command": "true", "timeout": 600001}, isError: true, want: []string{"maximum of 600000 ms"}},
		// Long enough for the supervisor (this test binary, re-executed,
		// slow under -race on a loaded machine) to start bash.
		{name: "timeout", input: map[string]any{"command": "echo started; sleep 30", "timeout": 3000}, isError: true,
			want: []string{"timed out after 3s", "started"}},
		{name: "unknown field", input: map[string]any{"cmd": "ls"}, isError: true, want: []string{`unknown field "cmd"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			res := call(t, s, Bash{}, tt.input)
			if tt.exact != "" && res.Content != tt.exact {
				t.Errorf("content = %q, want %q", res.Content, tt.exact)
			}
			wantResult(t, res, tt.isError, tt.want...)
		})
	}
}

func TestBashDisplay(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	res := call(t, s, Bash{}, map[string]any{"command": "exit 4", "description": "Fail on purpose"})
	d, ok := res.Display.(*BashDisplay)
	if !ok {
		t.Fatalf("Display = %T", res.Display)
	}
	if d.ExitCode != 4 || d.Description != "Fail on purpose" || d.WorkDir != s.WorkDir() || d.TimedOut {
		t.Errorf("display = %+v", d)
	}
}

func TestBashWorkingDirectory(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	other := t.TempDir()
	writeFiles(t, root, map[string]string{"sub/deeper/f.txt": "x", "gone/x": ""})
	s := newSession(t, root, func(o *SessionOptions) { o.AllowedDirs = []string{root} })

	steps := []struct {
		command string
		want    string // substring of the result
		wd      string // working directory afterwards
	}{
		{"cd sub", "(no output)", filepath.Join(root, "sub")},
		{"pwd", filepath.Join(root, "sub"), filepath.Join(root, "sub")},
		{"cd deeper && exit 0", "", filepath.Join(root, "sub", "deeper")},
		{"cd ..; echo moved; exit 5", "[exit code 5]", filepath.Join(root, "sub")},
		{"cd " + other, "outside the allowed directories", filepath.Join(root, "sub")},
		{"pwd", filepath.Join(root, "sub"), filepath.Join(root, "sub")},
		{"(cd " + other + "); pwd", filepath.Join(root, "sub"), filepath.Join(root, "sub")},
		{"cd /", "was reset to " + filepath.Join(root, "sub"), filepath.Join(root, "sub")},
		{"cd ../gone", "", filepath.Join(root, "gone")},
		{"cd .. && rm -r gone", "", root},
	}
	for _, st := range steps {
		res := call(t, s, Bash{}, map[string]any{"command": st.command})
		if !strings.Contains(res.Content, st.want) {
			t.Errorf("%q: content %q does not contain %q", st.command, res.Content, st.want)
		}
		if got := s.WorkDir(); got != st.wd {
			t.Errorf("%q: WorkDir = %s, want %s", st.command, got, st.wd)
		}
	}
	// The working directory disappears under the session: it falls back to
	// the project root.
	call(t, s, Bash{}, map[string]any{"command": "mkdir tmpdir && cd tmpdir"})
	os.Remove(filepath.Join(root, "tmpdir"))
	res := call(t, s, Bash{}, map[string]any{"command": "pwd"})
	wantResult(t, res, false, "no longer exists", root)
}

func TestBashOutputTruncated(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	res := call(t, s, Bash{}, map[string]any{"command": "seq 1 200000"})
	if len(res.Content) > maxCommandOutput+200 {
		t.Errorf("content is %d bytes", len(res.Content))
	}
	if !strings.HasPrefix(res.Content, "1\n2\n3\n") || !strings.HasSuffix(res.Content, "199999\n200000") {
		t.Errorf("head or tail missing: %q … %q", res.Content[:20], res.Content[len(res.Content)-20:])
	}
	wantResult(t, res, false, "bytes of output omitted")
	if d := res.Display.(*BashDisplay); !d.Truncated {
		t.Error("Display.Truncated = false")
	}
}

// processGone reports whether pid has exited (a zombie counts as gone).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return len(fields) > 0 && fields[0] == "Z"
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d survived", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if pid, err2 := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && err2 == nil {
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pid in %s", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A timeout kills the whole process group, grandchildren included, even
// ones that ignore SIGTERM.
func TestBashTimeoutKillsGrandchildren(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	pidFile := filepath.Join(s.WorkDir(), "pid")
	cmd := fmt.Sprintf(`(trap "" TERM; sleep 60 & echo $! > %s; wait) ; echo never`, pidFile)
	res := call(t, s, Bash{}, map[string]any{"command": cmd, "timeout": 3000})
	wantResult(t, res, true, "timed out")
	waitGone(t, readPID(t, pidFile))
}

func TestBashCancel(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	pidFile := filepath.Join(s.WorkDir(), "pid")
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		// Cancel once the command is running (its pid file exists).
		defer cancel()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if data, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(data), "\n") {
				return
			}
		}
	}()
	start := time.Now()
	res, err := Bash{}.Run(ctx, s, json.RawMessage(fmt.Sprintf(`{"command":"echo partial; sleep 60 & echo $! > %s; wait"}`, pidFile)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	wantResult(t, res, true, "partial", "interrupted")
	if time.Since(start) > 30*time.Second {
		t.Errorf("cancel took %s", time.Since(start))
	}
	waitGone(t, readPID(t, pidFile))
}

// A command that leaves a child holding its output open still returns.
func TestBashLingeringChild(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	pidFile := filepath.Join(s.WorkDir(), "pid")
	res := call(t, s, Bash{}, map[string]any{"command": fmt.Sprintf("sleep 60 & echo $! > %s; echo done", pidFile)})
	wantResult(t, res, false, "done")
	waitGone(t, readPID(t, pidFile))
}

func TestBackgroundShells(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	const n = 4
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := call(t, s, Bash{}, map[string]any{
				"command":           fmt.Sprintf("for j in 1 2 3; do echo shell%d-$j; sleep 0.05; done", i),
				"run_in_background": true,
			})
			ids[i] = res.Display.(*BashDisplay).BackgroundID
			wantResult(t, res, false, "Started in the background with ID "+ids[i])
		}()
	}
	wg.Wait()
	// Read all of them concurrently until each has ended.
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var all strings.Builder
			deadline := time.Now().Add(10 * time.Second)
			for {
				res := call(t, s, BashOutput{}, map[string]any{"bash_id": id})
				_, body, _ := strings.Cut(res.Content, "\n")
				if !strings.HasPrefix(body, "(no new output)") {
					all.WriteString(body + "\n")
				}
				if strings.Contains(res.Content, "exited, exit code 0") {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("%s did not finish: %s", id, res.Content)
					return
				}
				time.Sleep(30 * time.Millisecond)
			}
			want := fmt.Sprintf("shell%d-1\nshell%d-2\nshell%d-3\n", i, i, i)
			if all.String() != want {
				t.Errorf("%s output = %q, want %q (each line exactly once)", id, all.String(), want)
			}
		}()
	}
	wg.Wait()
}

func TestKillBash(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	pidFile := filepath.Join(s.WorkDir(), "pid")
	res := call(t, s, Bash{}, map[string]any{
		"command":           fmt.Sprintf(`echo up; (trap "" TERM; sleep 60) & echo $! > %s; wait`, pidFile),
		"run_in_background": true,
	})
	id := res.Display.(*BashDisplay).BackgroundID
	pid := readPID(t, pidFile)
	wantResult(t, call(t, s, KillBash{}, map[string]any{"shell_id": id}), false, "Stopped "+id)
	waitGone(t, pid)
	res = call(t, s, BashOutput{}, map[string]any{"bash_id": id})
	wantResult(t, res, false, id+": killed", "up")
	wantResult(t, call(t, s, KillBash{}, map[string]any{"shell_id": id}), false, "already ended")
}

func TestBashOutputFilterAndErrors(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	wantResult(t, call(t, s, BashOutput{}, map[string]any{"bash_id": "bash_9"}), true, "none has been started")
	res := call(t, s, Bash{}, map[string]any{"command": "printf 'ok 1\\nfail 2\\nok 3\\nfail 4'", "run_in_background": true})
	id := res.Display.(*BashDisplay).BackgroundID
	wantResult(t, call(t, s, BashOutput{}, map[string]any{"bash_id": "bash_9"}), true, "the IDs are: "+id)
	wantResult(t, call(t, s, KillBash{}, map[string]any{"shell_id": "nope"}), true, "the IDs are: "+id)
	wantResult(t, call(t, s, BashOutput{}, map[string]any{"bash_id": id, "filter": "("}), true, "invalid filter")
	deadline := time.Now().Add(5 * time.Second)
	for {
		sh, _ := s.shell(id)
		if sh.status() != "" && !strings.HasPrefix(sh.status(), "running") || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	res = call(t, s, BashOutput{}, map[string]any{"bash_id": id, "filter": "^fail"})
	if want := id + ": exited, exit code 0\nfail 2\nfail 4"; res.Content != want {
		t.Errorf("content = %q, want %q", res.Content, want)
	}
	// Filtered-out lines are gone.
	wantResult(t, call(t, s, BashOutput{}, map[string]any{"bash_id": id}), false, "(no new output)")
}

// Close stops every background shell; goleak in TestMain checks nothing
// is left.
func TestSessionCloseStopsShells(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	pidFile := filepath.Join(s.WorkDir(), "pid")
	call(t, s, Bash{}, map[string]any{"command": fmt.Sprintf("sleep 60 & echo $! > %s; wait", pidFile), "run_in_background": true})
	pid := readPID(t, pidFile)
	s.Close()
	waitGone(t, pid)
	res, err := Bash{}.Run(t.Context(), s, json.RawMessage(`{"command":"true","run_in_background":true}`))
	if !errors.Is(err, errClosed) {
		t.Errorf("background start on a closed session: %v, %+v", err, res)
	}
}

func TestBashEnvironmentFromSessionOnly(t *testing.T) {
	t.Setenv("BASALT_TEST_SECRET", "leaked")
	s := newSession(t, "")
	res := call(t, s, Bash{}, map[string]any{"command": `echo "[$BASALT_TEST_SECRET]"`})
	if res.Content != "[]" {
		t.Errorf("process environment reached the command: %q", res.Content)
	}
}
